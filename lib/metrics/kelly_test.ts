import assert from "node:assert/strict";
import { assertClose, makeTrade, TRADES } from "./_testdata.ts";
import { kelly } from "./kelly.ts";

Deno.test("kelly: p - (1 - p) / b", () => {
  // p = 0.5, b = 1.5556: 0.5 - 0.5 / 1.5556 = 0.5 - 0.32143 = 0.17857
  assertClose(kelly(TRADES), 0.17857142857142855, 1e-12);
  assert.equal(kelly([makeTrade({ return: 0.1 }), makeTrade({ return: 0.2 })]), 1); // no loser: b = inf
  assert.ok(Number.isNaN(kelly([makeTrade({ return: -0.1 })])));
  assert.ok(Number.isNaN(kelly([])));
});
