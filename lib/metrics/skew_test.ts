import assert from "node:assert/strict";
import { assertClose, EMPYRICAL } from "./_testdata.ts";
import { skew } from "./skew.ts";

Deno.test("skew agrees with scipy.stats.skew (bias True and False)", () => {
  // scipy 1.17.1: skew(mixed) = -0.3455243970460116, skew(mixed, bias=False) = -0.41883881865707634
  assertClose(skew(EMPYRICAL.mixed, { bias: true }), -0.3455243970460116, 1e-12);
  assertClose(skew(EMPYRICAL.mixed), -0.41883881865707634, 1e-12);
});

Deno.test("skew: symmetric, short and flat series", () => {
  assertClose(skew(new Float64Array([-1, 0, 1, NaN])), 0, 1e-15);
  assert.ok(Number.isNaN(skew(new Float64Array([1, 2]))));
  assert.ok(!Number.isNaN(skew(new Float64Array([1, 2]), { bias: true })));
  assert.ok(Number.isNaN(skew(new Float64Array([3, 3, 3, 3]))));
  // far from zero: shifting keeps precision (same shape as 0, 0, 3)
  assertClose(skew(new Float64Array([1e6, 1e6, 1e6 + 3]), { bias: true }), 1 / Math.SQRT2, 1e-9);
});
