import assert from "node:assert/strict";
import { atr, atrWarmup } from "./atr.ts";
import { assertSeriesClose, fixtures, published } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

// StockCharts ChartSchool, "Average True Range (ATR)", spreadsheet cs-atr.xls: QQQQ daily bars
// with the True Range and 14-day ATR columns (ATR to 6 decimals).
const ATR_HIGH = [
  48.7,
  48.72,
  48.9,
  48.87,
  48.82,
  49.05,
  49.2,
  49.35,
  49.92,
  50.19,
  50.12,
  49.66,
  49.88,
  50.19,
  50.36,
  50.57,
  50.65,
  50.43,
  49.63,
  50.33,
  50.29,
  50.17,
  49.32,
  48.5,
  48.3201,
  46.8,
  47.8,
  48.39,
  48.66,
  48.79,
];
const ATR_LOW = [
  47.79,
  48.14,
  48.39,
  48.37,
  48.24,
  48.635,
  48.94,
  48.86,
  49.5,
  49.87,
  49.2,
  48.9,
  49.43,
  49.725,
  49.26,
  50.09,
  50.3,
  49.21,
  48.98,
  49.61,
  49.2,
  49.43,
  48.08,
  47.64,
  41.55,
  44.2833,
  47.31,
  47.2,
  47.9,
  47.7301,
];
const ATR_CLOSE = [
  48.16,
  48.61,
  48.75,
  48.63,
  48.74,
  49.03,
  49.07,
  49.32,
  49.91,
  50.13,
  49.53,
  49.5,
  49.75,
  50.03,
  50.31,
  50.52,
  50.41,
  49.34,
  49.37,
  50.23,
  49.2375,
  49.93,
  48.43,
  48.18,
  46.57,
  45.41,
  47.77,
  47.72,
  48.62,
  47.85,
];
const TRUE_RANGE = [
  0.91,
  0.58,
  0.51,
  0.5,
  0.58,
  0.415,
  0.26,
  0.49,
  0.6,
  0.32,
  0.93,
  0.76,
  0.45,
  0.465,
  1.1,
  0.48,
  0.35,
  1.22,
  0.65,
  0.96,
  1.09,
  0.9325,
  1.85,
  0.86,
  6.7701,
  2.5167,
  2.39,
  1.19,
  0.94,
  1.0599,
];
const ATR14 = published(13, [
  0.555,
  0.593929,
  0.585791,
  0.568949,
  0.615452,
  0.61792,
  0.642354,
  0.674329,
  0.69277,
  0.775429,
  0.78147,
  1.209229,
  1.30262,
  1.38029,
  1.366698,
  1.336219,
  1.316482,
]);
const QQQQ = {
  high: Float64Array.from(ATR_HIGH),
  low: Float64Array.from(ATR_LOW),
  close: Float64Array.from(ATR_CLOSE),
};

Deno.test("atr: matches the StockCharts cs-atr.xls true ranges and 14-day ATR", () => {
  // With period 1 the ATR is the true range itself.
  assertSeriesClose(atr(QQQQ, 1), TRUE_RANGE, 1e-9, "tr");
  assertSeriesClose(atr(QQQQ, 14), ATR14, 1e-6, "atr");
  assert.equal(atrWarmup(14), 13);
});

Deno.test("atr: matches the direct definition on random data", () => {
  const f = randomBars({ n: 1500, seed: 8 });
  const tr = f.high.map((h, i) =>
    i === 0
      ? h - f.low[i]!
      : Math.max(h - f.low[i]!, Math.abs(h - f.close[i - 1]!), Math.abs(f.low[i]! - f.close[i - 1]!))
  );
  for (const p of [1, 3, 14]) {
    const want = new Float64Array(f.length).fill(NaN);
    want[p - 1] = tr.slice(0, p).reduce((a, b) => a + b, 0) / p;
    for (let i = p; i < f.length; i++) want[i] = (want[i - 1]! * (p - 1) + tr[i]!) / p;
    assertSeriesClose(atr(f, p), want, 1e-9, `atr(${p})`);
  }
});

Deno.test("atr: a gap counts from the previous close; missing bars are skipped", () => {
  const bars = {
    high: Float64Array.of(101, 101, 121, 105, 122, 123),
    low: Float64Array.of(99, 99, 119, 100, 118, 121),
    close: Float64Array.of(100, 100, 120, NaN, 120, 122),
  };
  // TRs 2, 2, 21 (gap from 100 to 121), missing (no close), missing (previous close missing),
  // 3 (123 - 120): the average carries (2 * 1 + 21) / 2 = 11.5 over the gap to (11.5 + 3) / 2.
  assertSeriesClose(atr(bars, 2), [NaN, 2, 11.5, NaN, NaN, 7.25], 1e-12, "atr");
  assert.throws(() => atr({ ...bars, close: new Float64Array(3) }, 2), { name: "RangeError", message: /close has 3/ });
});

Deno.test("atr: is causal", () => {
  const { clean, gappy } = fixtures(600, 81);
  for (const f of [clean, gappy]) assertCausal((k) => atr(f.slice(0, k), 14), f.length, { name: "atr" });
});
