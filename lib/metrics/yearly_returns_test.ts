import assert from "node:assert/strict";
import { monthlyReturns } from "./monthly_returns.ts";
import { assertClose, randomReturns } from "./_testdata.ts";
import { yearlyReturns } from "./yearly_returns.ts";

Deno.test("yearlyReturns: hand-worked, first year from the first value, years compound to the total", () => {
  const ts = new Float64Array([
    Date.UTC(2022, 11, 31, 23, 59), // 100, the run starts on the last minute of 2022
    Date.UTC(2023, 0, 1), // 110: a new year starts exactly at midnight UTC
    Date.UTC(2023, 11, 31, 23, 59, 59, 999), // 99
    Date.UTC(2025, 2, 1), // 108.9 (no 2024 data)
    Date.UTC(2025, 5, 1), // NaN is skipped
  ]);
  const eq = new Float64Array([100, 110, 99, 108.9, NaN]);
  const out = yearlyReturns(eq, ts);
  assert.deepEqual(out.map((y) => y.year), [2022, 2023, 2025]);
  assertClose(out[0]!.ret, 0, 0); // a single bar: nothing happened in 2022
  assertClose(out[1]!.ret, 99 / 100 - 1, 1e-15);
  assertClose(out[2]!.ret, 108.9 / 99 - 1, 1e-15);
  const total = out.reduce((g, y) => g * (1 + y.ret), 1) - 1;
  assertClose(total, 108.9 / 100 - 1, 1e-12);
});

Deno.test("yearlyReturns agrees with monthlyReturns' annual column on a long daily curve", () => {
  const r = randomReturns(3000, 3);
  const eq = new Float64Array(r.length + 1);
  const ts = new Float64Array(r.length + 1);
  eq[0] = 1000;
  ts[0] = Date.UTC(2017, 3, 17, 12);
  for (let i = 0; i < r.length; i++) {
    eq[i + 1] = eq[i]! * (1 + r[i]!);
    ts[i + 1] = ts[i]! + 86_400_000;
  }
  const out = yearlyReturns(eq, ts);
  const m = monthlyReturns(ts, eq);
  assert.deepEqual(out.map((y) => y.year), m.years);
  out.forEach((y, i) => assertClose(y.ret, m.annual[i]!, 1e-12, String(y.year)));
});

Deno.test("yearlyReturns: empty and misaligned input", () => {
  assert.deepEqual(yearlyReturns(new Float64Array(0), new Float64Array(0)), []);
  assert.deepEqual(yearlyReturns(new Float64Array([NaN]), new Float64Array([0])), []);
  assert.throws(
    () => yearlyReturns(new Float64Array(3), new Float64Array(2)),
    /yearlyReturns: ts has length 2 but equity has 3/,
  );
});
