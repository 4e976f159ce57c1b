import assert from "node:assert/strict";
import { assertClose, makeTrade, TRADES } from "./_testdata.ts";
import { avgWin } from "./avg_win.ts";

Deno.test("avgWin: mean of winning returns", () => {
  assertClose(avgWin(TRADES), 0.35 / 3, 1e-15); // (0.1 + 0.2 + 0.05) / 3
  assert.ok(Number.isNaN(avgWin([makeTrade({ return: -0.1 })])));
});
