import assert from "node:assert/strict";
import { ema, emaWarmup } from "./ema.ts";
import { assertSeriesClose, fixtures, MOVAVG_CLOSE, published } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

// StockCharts ChartSchool, "Moving Averages - Simple and Exponential" (cs-movavg.xls): the
// 10-day EMA, seeded by the 10-day SMA, published to 2 decimals.
const EMA10 = published(9, [
  22.22,
  22.21,
  22.24,
  22.27,
  22.33,
  22.52,
  22.80,
  22.97,
  23.13,
  23.28,
  23.34,
  23.43,
  23.51,
  23.54,
  23.47,
  23.40,
  23.39,
  23.26,
  23.23,
  23.08,
  22.92,
]);

// Independent reference: SMA seed by a slice mean, then alpha*x + (1-alpha)*prev.
function naiveEma(x: Float64Array, p: number, seed: "sma" | "first"): Float64Array {
  const a = 2 / (p + 1);
  const out = new Float64Array(x.length).fill(NaN);
  const start = seed === "sma" ? p - 1 : 0;
  if (start >= x.length) return out;
  out[start] = x.slice(0, start + 1).reduce((s, v) => s + v, 0) / (start + 1);
  for (let i = start + 1; i < x.length; i++) out[i] = a * x[i]! + (1 - a) * out[i - 1]!;
  return out;
}

Deno.test("ema: matches the StockCharts cs-movavg.xls 10-day EMA", () => {
  assertSeriesClose(ema(Float64Array.from(MOVAVG_CLOSE), 10), EMA10, 0.005 + 1e-9, "ema");
});

Deno.test("ema: matches an independent recursion for both seeds", () => {
  const close = randomBars({ n: 2000, seed: 2 }).close;
  for (const p of [1, 2, 12, 200]) {
    for (const seed of ["sma", "first"] as const) {
      assertSeriesClose(ema(close, p, { seed }), naiveEma(close, p, seed), 1e-9, `ema(${p}, ${seed})`);
    }
  }
  assert.equal(emaWarmup(10), 9);
  assert.equal(emaWarmup(10, "first"), 0);
});

Deno.test("ema: a missing value is NaN at its bar and skipped; leading NaN delays the seed", () => {
  const a = 2 / 3;
  const got = ema(Float64Array.of(NaN, 1, 3, NaN, 5), 2);
  assertSeriesClose(got, [NaN, NaN, 2, NaN, 2 + a * 3], 1e-15, "ema");
  assert.throws(() => ema(Float64Array.of(1), 2, { seed: "zero" as "sma" }), { name: "RangeError", message: /"zero"/ });
});

Deno.test("ema: is causal", () => {
  const { clean, gappy } = fixtures(800, 21);
  for (const f of [clean, gappy]) {
    for (const seed of ["sma", "first"] as const) {
      assertCausal((k) => ema(f.close.subarray(0, k), 10, { seed }), f.length, { name: `ema ${seed}` });
    }
  }
});
