import assert from "node:assert/strict";
import { assertClose, TRADES } from "./_testdata.ts";
import { avgTrade } from "./avg_trade.ts";

Deno.test("avgTrade: mean closed return", () => {
  assertClose(avgTrade(TRADES), 0.2 / 6, 1e-15); // (0.1 - 0.05 + 0.2 + 0 - 0.1 + 0.05) / 6
  assert.ok(Number.isNaN(avgTrade([])));
});
