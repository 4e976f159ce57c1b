import assert from "node:assert/strict";
import { assertClose, makeTrade, TRADES } from "./_testdata.ts";
import { payoffRatio } from "./payoff_ratio.ts";

Deno.test("payoffRatio: avg win over |avg loss|", () => {
  assertClose(payoffRatio(TRADES), (0.35 / 3) / 0.075, 1e-12); // 0.11667 / 0.075 = 1.5556
  assert.equal(payoffRatio([makeTrade({ return: 0.1 })]), Infinity);
  assert.ok(Number.isNaN(payoffRatio([makeTrade({ return: -0.1 })])));
  assert.ok(Number.isNaN(payoffRatio([])));
});
