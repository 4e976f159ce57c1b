import assert from "node:assert/strict";
import { drawdownPeriods } from "./drawdown_periods.ts";
import { assertClose } from "./_testdata.ts";

const DAY = 86_400_000;
const days = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i * DAY);

Deno.test("drawdownPeriods: hand-worked table, deepest first, top N", () => {
  //            0    1   2   3    4    5    6    7    8    9   10   11
  const eq = [100, 90, 95, 100, 120, 60, 90, 121, 110, 115, 121, 100];
  // periods: peak 0 (100) valley 1 (-10 %) recovered 3;
  //          peak 4 (120) valley 5 (-50 %) recovered 7 (121 >= 120);
  //          peak 7 (121) valley 8 (110/121 - 1) recovered 10 (121 >= 121);
  //          peak 10 (121) valley 11 (100/121 - 1) not recovered.
  const ts = days(eq.length);
  const all = drawdownPeriods(new Float64Array(eq), ts, { top: Infinity });
  assert.equal(all.length, 4);
  assert.deepEqual(all.map((p) => p.start / DAY), [4, 10, 0, 7]);
  const [a, b, c, d] = all as [typeof all[0], typeof all[0], typeof all[0], typeof all[0]];
  assert.deepEqual(a, { start: 4 * DAY, valley: 5 * DAY, recovery: 7 * DAY, depth: -0.5, length: 3, days: 3 });
  assert.equal(b.valley, 11 * DAY);
  assert.ok(Number.isNaN(b.recovery));
  assertClose(b.depth, 100 / 121 - 1, 1e-15);
  assert.equal(b.length, 1);
  assert.equal(b.days, 1);
  assertClose(c.depth, -0.1, 1e-15);
  assert.equal(c.recovery, 3 * DAY);
  assert.equal(c.length, 3);
  assertClose(d.depth, 110 / 121 - 1, 1e-15);
  assert.equal(d.recovery, 10 * DAY);

  assert.deepEqual(drawdownPeriods(new Float64Array(eq), ts, { top: 2 }), all.slice(0, 2));
  assert.equal(drawdownPeriods(new Float64Array(eq), ts).length, 4); // default top 5
});

Deno.test("drawdownPeriods: days follow the timestamps, not the bar count; NaN equity skipped", () => {
  // Weekly bars with a gap: peak at day 0, valley day 7, NaN at day 14, recovered day 28.
  const ts = new Float64Array([0, 7, 14, 28].map((d) => d * DAY));
  const [p] = drawdownPeriods(new Float64Array([100, 50, NaN, 100]), ts);
  assert.deepEqual(p, { start: 0, valley: 7 * DAY, recovery: 28 * DAY, depth: -0.5, length: 3, days: 28 });
});

Deno.test("drawdownPeriods: equal depths keep time order; no drawdown; bad input", () => {
  const ts = days(5);
  const eq = new Float64Array([100, 50, 100, 50, 100]);
  assert.deepEqual(drawdownPeriods(eq, ts).map((p) => p.start), [0, 2 * DAY]);
  assert.deepEqual(drawdownPeriods(new Float64Array([1, 2, 3, 3, 4]), ts), []);
  assert.deepEqual(drawdownPeriods(new Float64Array(0), new Float64Array(0)), []);
  assert.throws(() => drawdownPeriods(eq, days(4)), /ts has length 4 but equity has 5/);
  assert.throws(() => drawdownPeriods(eq, ts, { top: 0 }), /top must be a positive integer or Infinity, got 0/);
  assert.throws(() => drawdownPeriods(eq, ts, { top: 1.5 }), RangeError);
});
