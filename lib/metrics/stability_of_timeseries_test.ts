import assert from "node:assert/strict";
import { stabilityOfTimeseries } from "./stability_of_timeseries.ts";
import { assertClose, EMPYRICAL, randomReturns } from "./_testdata.ts";

/** Independent reference: build the cumulative log curve, then a textbook two-pass R². */
function reference(returns: Float64Array): number {
  const y: number[] = [];
  let c = 0;
  for (const r of returns) {
    if (Number.isNaN(r)) continue;
    c += Math.log(1 + r);
    y.push(c);
  }
  const n = y.length;
  if (n < 2) return NaN;
  const mx = (n - 1) / 2;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  y.forEach((v, i) => {
    sxy += (i - mx) * (v - my);
    sxx += (i - mx) ** 2;
    syy += (v - my) ** 2;
  });
  return (sxy * sxy) / (sxx * syy);
}

Deno.test("stabilityOfTimeseries matches empyrical's published values", () => {
  // empyrical test_stats.py `test_stability_of_timeseries`: mixed_returns keeps its leading NaN
  // there, and NaN returns are dropped before the fit.
  const mixed = new Float64Array([NaN, 1, 10, -4, 2, 3, 2, 1, -10].map((v) => v / 100));
  assertClose(stabilityOfTimeseries(mixed), 0.1529973665111273, 1e-12);
  assertClose(stabilityOfTimeseries(new Float64Array(10).fill(0.01)), 1, 1e-12); // flat_line_1
  assert.ok(Number.isNaN(stabilityOfTimeseries(EMPYRICAL.empty)));
  assert.ok(Number.isNaN(stabilityOfTimeseries(EMPYRICAL.one)));
});

Deno.test("stabilityOfTimeseries: hand-worked R² and the two-pass reference", () => {
  // log1p(r) = 1, 0, 1 -> y = 1, 1, 2 against x = 0, 1, 2: Sxy = 1, Sxx = 2, Syy = 2/3 -> R² = 3/4
  const e1 = Math.E - 1;
  assertClose(stabilityOfTimeseries(new Float64Array([e1, 0, e1])), 0.75, 1e-14);
  for (const seed of [1, 2, 3]) {
    const r = randomReturns(2000, seed, 0.0004, 0.02);
    r[5] = NaN;
    assertClose(stabilityOfTimeseries(r), reference(r), 1e-10, `seed ${seed}`);
  }
  // The same values shifted far from zero: the fit is centred, so no precision is lost.
  const trend = randomReturns(500, 9, 0.01, 0.001);
  assertClose(stabilityOfTimeseries(trend), reference(trend), 1e-10);
});

Deno.test("stabilityOfTimeseries: undefined fits are NaN", () => {
  assert.ok(Number.isNaN(stabilityOfTimeseries(new Float64Array([NaN, 0.01, NaN])))); // one finite value
  assert.ok(Number.isNaN(stabilityOfTimeseries(new Float64Array(5)))); // flat curve: R² undefined (scipy: nan)
  assert.ok(Number.isNaN(stabilityOfTimeseries(new Float64Array([0.1, -1, 0.1])))); // wiped out: log(0)
});
