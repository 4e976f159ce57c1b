import assert from "node:assert/strict";
import { annualReturn } from "./annual_return.ts";
import { assertClose } from "./_testdata.ts";

Deno.test("annualReturn is the arithmetic mean times periodsPerYear", () => {
  // mean(0.01, -0.02, 0.04) = 0.01, x 252 = 2.52
  assertClose(annualReturn(new Float64Array([0.01, -0.02, 0.04]), { periodsPerYear: 252 }), 2.52, 1e-12);
  assertClose(annualReturn(new Float64Array([NaN, 0.01, 0.03]), { periodsPerYear: 12 }), 0.24, 1e-12);
  assert.ok(Number.isNaN(annualReturn(new Float64Array(0), { periodsPerYear: 12 })));
  assert.throws(() => annualReturn(new Float64Array(1), { periodsPerYear: Infinity }), RangeError);
});
