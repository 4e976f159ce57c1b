import assert from "node:assert/strict";
import { assertClose } from "./_testdata.ts";
import { monthlyReturns } from "./monthly_returns.ts";

const DAY = 86_400_000;

Deno.test("monthlyReturns: daily bars across a year boundary", () => {
  // equity grows 1 % a day from 2023-12-30 for 35 days: Dec has 1 growth step (30 -> 31),
  // Jan 31 steps (Dec 31 -> Jan 31), Feb 2 steps (Jan 31 -> Feb 2).
  const t0 = Date.UTC(2023, 11, 30);
  const n = 35;
  const ts = new Float64Array(n).map((_, i) => t0 + i * DAY);
  const equity = new Float64Array(n).map((_, i) => 100 * 1.01 ** i);
  const m = monthlyReturns(ts, equity);
  assert.deepEqual(m.years, [2023, 2024]);
  assertClose(m.months[0]![11]!, 0.01, 1e-12);
  assertClose(m.months[1]![0]!, 1.01 ** 31 - 1, 1e-12);
  assertClose(m.months[1]![1]!, 1.01 ** 2 - 1, 1e-12);
  assert.ok(Number.isNaN(m.months[1]![2]!));
  assertClose(m.annual[0]!, 0.01, 1e-12);
  assertClose(m.annual[1]!, 1.01 ** 33 - 1, 1e-12); // months compound to the year
});

Deno.test("monthlyReturns: a missing month and a NaN bar; bad input", () => {
  const ts = new Float64Array([
    Date.UTC(2024, 0, 5),
    Date.UTC(2024, 0, 20),
    Date.UTC(2024, 2, 3),
    Date.UTC(2024, 2, 4),
  ]);
  const m = monthlyReturns(ts, new Float64Array([100, 120, NaN, 90]));
  assertClose(m.months[0]![0]!, 0.2, 1e-12);
  assert.ok(Number.isNaN(m.months[0]![1]!));
  assertClose(m.months[0]![2]!, -0.25, 1e-12); // 90 / 120 - 1, from the last month with data
  assertClose(m.annual[0]!, -0.1, 1e-12);
  assert.deepEqual(monthlyReturns(new Float64Array(0), new Float64Array(0)).years, []);
  assert.throws(() => monthlyReturns(new Float64Array(2), new Float64Array(3)), RangeError);
});
