import assert from "node:assert/strict";
import { assertClose, makeTrade, TRADES } from "./_testdata.ts";
import { winRate } from "./win_rate.ts";

Deno.test("winRate: winners over closed trades, open ignored", () => {
  assertClose(winRate(TRADES), 3 / 6, 1e-15); // 10 %, 20 %, 5 % of 6 closed; 0 % is not a win
  assert.ok(Number.isNaN(winRate([])));
  assert.ok(Number.isNaN(winRate([makeTrade({ return: 0.1, exitIndex: -1 })])));
});
