import assert from "node:assert/strict";
import { TRADES } from "./_testdata.ts";
import { worstTrade } from "./worst_trade.ts";

Deno.test("worstTrade: lowest closed return", () => {
  assert.equal(worstTrade(TRADES), -0.1);
  assert.ok(Number.isNaN(worstTrade([])));
});
