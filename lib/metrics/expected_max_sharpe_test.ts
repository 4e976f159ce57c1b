import assert from "node:assert/strict";
import { assertClose } from "./_testdata.ts";
import { expectedMaxSharpe } from "./expected_max_sharpe.ts";

Deno.test("expectedMaxSharpe: the DSR paper's SR0 and edge cases", () => {
  // Bailey & López de Prado (2014), numerical example: N = 100, V = 0.5 / 250 -> 0.1132 (paper),
  // 0.11317200186513214 (scipy 1.17.1: sqrt(V) ((1 - g) ppf(0.99) + g ppf(1 - 1 / (100 e))))
  assertClose(expectedMaxSharpe({ trials: 100, variance: 0.5 / 250 }), 0.11317200186513214, 1e-12);
  assertClose(expectedMaxSharpe({ trials: 10, variance: 0.01 }), 0.157459830134575, 1e-12);
  assert.equal(expectedMaxSharpe({ trials: 1, variance: 4 }), 0);
  assert.equal(expectedMaxSharpe({ trials: 1, variance: 4, mean: 0.2 }), 0.2);
  assert.equal(expectedMaxSharpe({ trials: 50, variance: 0 }), 0);
  assert.throws(() => expectedMaxSharpe({ trials: 0, variance: 1 }), RangeError);
  assert.throws(() => expectedMaxSharpe({ trials: 5, variance: -1 }), RangeError);
});
