import assert from "node:assert/strict";
import { kurtosis } from "./kurtosis.ts";
import { assertClose, EMPYRICAL } from "./_testdata.ts";

Deno.test("kurtosis agrees with scipy.stats.kurtosis (Fisher, bias True and False)", () => {
  // scipy 1.17.1: kurtosis(mixed) = 0.47899864929832114, kurtosis(mixed, bias=False) = 2.0552355224729926
  assertClose(kurtosis(EMPYRICAL.mixed, { bias: true }), 0.47899864929832114, 1e-12);
  assertClose(kurtosis(EMPYRICAL.mixed), 2.0552355224729926, 1e-12);
});

Deno.test("kurtosis: hand-worked and short series", () => {
  // -1, 1, -1, 1: g2 = 1 / 1 - 3 = -2; G2 = (5 * -2 + 6) * 3 / (2 * 1) = -6
  assert.equal(kurtosis(new Float64Array([-1, 1, -1, 1]), { bias: true }), -2);
  assert.equal(kurtosis(new Float64Array([-1, 1, NaN, -1, 1])), -6);
  assert.ok(Number.isNaN(kurtosis(new Float64Array([1, 2, 3]))));
  assert.ok(Number.isNaN(kurtosis(new Float64Array([2, 2, 2, 2, 2]))));
});
