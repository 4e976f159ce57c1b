import assert from "node:assert/strict";
import { TRADES } from "./_testdata.ts";
import { bestTrade } from "./best_trade.ts";

Deno.test("bestTrade: highest closed return", () => {
  assert.equal(bestTrade(TRADES), 0.2); // the open +50 % is ignored
  assert.ok(Number.isNaN(bestTrade([])));
});
