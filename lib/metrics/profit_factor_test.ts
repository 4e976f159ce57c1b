import assert from "node:assert/strict";
import { assertClose, makeTrade, TRADES } from "./_testdata.ts";
import { profitFactor } from "./profit_factor.ts";

Deno.test("profitFactor: gross profit over gross loss of P&L", () => {
  assertClose(profitFactor(TRADES), 35 / 15, 1e-12); // (10 + 20 + 5) / (5 + 10)
  assert.equal(profitFactor([makeTrade({ return: 0.1 })]), Infinity);
  assert.equal(profitFactor([makeTrade({ return: -0.1 })]), 0);
  assert.ok(Number.isNaN(profitFactor([makeTrade({ return: 0 })])));
});
