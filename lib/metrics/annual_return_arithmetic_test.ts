import assert from "node:assert/strict";
import { annualReturnArithmetic } from "./annual_return_arithmetic.ts";
import { assertClose } from "./_testdata.ts";

Deno.test("annualReturnArithmetic is the arithmetic mean times periodsPerYear", () => {
  // mean(0.01, -0.02, 0.04) = 0.01, x 252 = 2.52
  assertClose(annualReturnArithmetic(new Float64Array([0.01, -0.02, 0.04]), { periodsPerYear: 252 }), 2.52, 1e-12);
  assertClose(annualReturnArithmetic(new Float64Array([NaN, 0.01, 0.03]), { periodsPerYear: 12 }), 0.24, 1e-12);
  assert.ok(Number.isNaN(annualReturnArithmetic(new Float64Array(0), { periodsPerYear: 12 })));
  assert.throws(() => annualReturnArithmetic(new Float64Array(1), { periodsPerYear: Infinity }), RangeError);
});
