import assert from "node:assert/strict";
import { bollingerBands, bollingerBandsWarmup } from "./bollinger_bands.ts";
import { assertSeriesClose, fixtures, published, twoPassStd } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

// StockCharts ChartSchool, "Bollinger Bands" (cs-bbands.xls): SPY closes and the (20, 2)
// middle, upper and lower bands, published to 6 decimals. StockCharts uses the population
// deviation, like our default ddof 0.
const BB_CLOSE = [
  86.1557,
  89.0867,
  88.7829,
  90.3228,
  89.0671,
  91.1453,
  89.4397,
  89.175,
  86.9302,
  87.6752,
  86.9596,
  89.4299,
  89.3221,
  88.7241,
  87.4497,
  87.2634,
  89.4985,
  87.9006,
  89.126,
  90.7043,
  92.9001,
  92.9784,
  91.8021,
  92.6647,
  92.6843,
  92.3021,
  92.7725,
  92.5373,
  92.949,
  93.2039,
  91.0669,
  89.8318,
  89.7435,
  90.3994,
  90.7387,
  88.0177,
  88.0867,
  88.8439,
  90.7781,
  90.5416,
  91.3894,
  90.65,
];
const BB_MIDDLE = published(19, [
  88.70794,
  89.04516,
  89.239745,
  89.390705,
  89.5078,
  89.68866,
  89.7465,
  89.91314,
  90.081255,
  90.382195,
  90.65863,
  90.863995,
  90.88409,
  90.90516,
  90.988925,
  91.153375,
  91.19109,
  91.1205,
  91.167665,
  91.25027,
  91.242135,
  91.1666,
  91.05018,
]);
const BB_UPPER = published(19, [
  91.291862,
  91.949268,
  92.612595,
  92.9342,
  93.31195,
  93.72845,
  93.899592,
  94.266255,
  94.565096,
  94.786912,
  95.043001,
  94.907605,
  94.902912,
  94.89532,
  94.861013,
  94.673629,
  94.556593,
  94.678752,
  94.575786,
  94.534271,
  94.532306,
  94.369251,
  94.148503,
]);
const BB_LOWER = published(19, [
  86.124018,
  86.141052,
  85.866895,
  85.84721,
  85.70365,
  85.64887,
  85.593408,
  85.560025,
  85.597414,
  85.977478,
  86.274259,
  86.820385,
  86.865268,
  86.915,
  87.116837,
  87.633121,
  87.825587,
  87.562248,
  87.759544,
  87.966269,
  87.951964,
  87.963949,
  87.951857,
]);

Deno.test("bollingerBands: matches the StockCharts cs-bbands.xls (20, 2) bands", () => {
  const bb = bollingerBands(Float64Array.from(BB_CLOSE));
  assertSeriesClose(bb.middle, BB_MIDDLE, 1e-6, "middle");
  assertSeriesClose(bb.upper, BB_UPPER, 1e-6, "upper");
  assertSeriesClose(bb.lower, BB_LOWER, 1e-6, "lower");
  assert.equal(bollingerBandsWarmup(), 19);
});

Deno.test("bollingerBands: bandwidth and %b follow their definitions on random data", () => {
  const close = randomBars({ n: 1000, seed: 6 }).close;
  const bb = bollingerBands(close, 10, { mult: 1.5, ddof: 1 });
  const std = twoPassStd(close, 10, 1);
  const upper = bb.middle.map((m, i) => m + 1.5 * std[i]!);
  const lower = bb.middle.map((m, i) => m - 1.5 * std[i]!);
  assertSeriesClose(bb.upper, upper, 1e-9, "upper");
  assertSeriesClose(bb.lower, lower, 1e-9, "lower");
  assertSeriesClose(bb.bandwidth, upper.map((u, i) => (u - lower[i]!) / bb.middle[i]!), 1e-9, "bandwidth");
  const pb = close.map((x, i) => upper[i] === lower[i] ? 0.5 : (x - lower[i]!) / (upper[i]! - lower[i]!));
  assertSeriesClose(bb.percentB, pb, 1e-6, "percentB");
});

Deno.test("bollingerBands: flat windows give %b 0.5 and zero bandwidth; out buffers are used", () => {
  const x = Float64Array.of(1, 2, 2, 2);
  const out = { middle: new Float64Array(4), percentB: new Float64Array(4) };
  const bb = bollingerBands(x, 3, { out });
  assert.equal(bb.middle, out.middle);
  assert.equal(bb.percentB[3], 0.5);
  assert.equal(bb.bandwidth[3], 0);
  assert.throws(() => bollingerBands(x, 3, { out: { upper: out.middle, lower: out.middle } }), /share memory/);
  assert.throws(() => bollingerBands(x, 3, { mult: NaN }), { name: "RangeError", message: /mult.*NaN/ });
});

Deno.test("bollingerBands: is causal", () => {
  const { clean, gappy } = fixtures(600, 61);
  for (const f of [clean, gappy]) {
    assertCausal(
      (k) => ({ ...bollingerBands(f.close.subarray(0, k), 20) }),
      f.length,
      { name: "bollingerBands" },
    );
  }
});
