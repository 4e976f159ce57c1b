import assert from "node:assert/strict";
import { stochastic, stochasticWarmup } from "./stochastic.ts";
import { assertSeriesClose, fixtures, published } from "./_test_utils.ts";
import { sma } from "./sma.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

// StockCharts ChartSchool, "Stochastic Oscillator (Fast, Slow, and Full)", spreadsheet
// cs-stochastic.xls: 30 bars of highs and lows, closes from bar 13, and the 14-day %K
// published to 2 decimals. The table has no closes before bar 13; %K there does not use
// them, so any finite value will do and the bar midpoint stands in.
const HIGH = [
  127.009,
  127.6159,
  126.5911,
  127.3472,
  128.173,
  128.4317,
  127.3671,
  126.422,
  126.8995,
  126.8498,
  125.646,
  125.7156,
  127.1582,
  127.7154,
  127.6855,
  128.2228,
  128.2725,
  128.0934,
  128.2725,
  127.7353,
  128.77,
  129.2873,
  130.0633,
  129.1182,
  129.2873,
  128.4715,
  128.0934,
  128.6506,
  129.1381,
  128.6406,
];
const LOW = [
  125.3574,
  126.1633,
  124.9296,
  126.0937,
  126.8199,
  126.4817,
  126.034,
  124.8301,
  126.3921,
  125.7156,
  124.5615,
  124.5715,
  125.0689,
  126.8597,
  126.6309,
  126.8001,
  126.7105,
  126.8001,
  126.1335,
  125.9245,
  126.9891,
  127.8148,
  128.4715,
  128.0641,
  127.6059,
  127.596,
  126.999,
  126.8995,
  127.4865,
  127.397,
];
const CLOSE_FROM_13 = [
  127.2876,
  127.1781,
  128.0138,
  127.1085,
  127.7253,
  127.0587,
  127.3273,
  128.7103,
  127.8745,
  128.5809,
  128.6008,
  127.9342,
  128.1133,
  127.596,
  127.596,
  128.6904,
  128.2725,
];
const K14 = published(13, [
  70.44,
  67.61,
  89.20,
  65.81,
  81.75,
  64.52,
  74.53,
  98.58,
  70.10,
  73.06,
  73.42,
  61.23,
  60.96,
  40.39,
  40.39,
  66.83,
  56.73,
]);

function naiveFastK(f: { high: Float64Array; low: Float64Array; close: Float64Array }, p: number): Float64Array {
  return f.close.map((c, i) => {
    if (i < p - 1) return NaN;
    const hh = Math.max(...f.high.subarray(i - p + 1, i + 1));
    const ll = Math.min(...f.low.subarray(i - p + 1, i + 1));
    // Missing bars in the fixture are NaN in every column, so a NaN extreme marks them.
    if (Number.isNaN(hh) || Number.isNaN(ll)) return NaN;
    return hh > ll ? 100 * (c - ll) / (hh - ll) : 50;
  });
}

Deno.test("stochastic: matches the StockCharts cs-stochastic.xls 14-day %K", () => {
  const high = Float64Array.from(HIGH);
  const low = Float64Array.from(LOW);
  const close = high.map((h, i) => i < 13 ? (h + low[i]!) / 2 : CLOSE_FROM_13[i - 13]!);
  const s = stochastic({ high, low, close });
  assertSeriesClose(s.k, K14, 0.005 + 1e-9, "%K");
  // %D is the 3-day SMA of %K; its first value is (70.44 + 67.61 + 89.20) / 3 = 75.75.
  assertSeriesClose(s.d, sma(s.k, 3), 0, "%D");
  assert.equal(s.d[15]!.toFixed(2), "75.75");
});

Deno.test("stochastic: fast and slow forms match the direct definition on random data", () => {
  for (const missing of [0, 0.02]) {
    const f = randomBars({ n: 1000, seed: 13, missing });
    for (const [kPeriod, smoothK, dPeriod] of [[14, 1, 3], [14, 3, 3], [5, 2, 4], [1, 1, 1]] as const) {
      const fastK = naiveFastK(f, kPeriod);
      const k = smoothK === 1 ? fastK : sma(fastK, smoothK);
      const got = stochastic(f, { kPeriod, smoothK, dPeriod });
      assertSeriesClose(got.k, k, 1e-9, "%K");
      assertSeriesClose(got.d, sma(k, dPeriod), 1e-9, "%D");
      const w = stochasticWarmup({ kPeriod, smoothK, dPeriod });
      if (missing === 0) {
        assert.ok(Number.isNaN(got.d[w.d - 1] ?? NaN) && Number.isFinite(got.d[w.d]!));
        assert.ok(Number.isNaN(got.k[w.k - 1] ?? NaN) && Number.isFinite(got.k[w.k]!));
      }
    }
  }
});

Deno.test("stochastic: flat range is 50, missing bars blank their windows", () => {
  const flat = {
    high: new Float64Array(5).fill(2),
    low: new Float64Array(5).fill(2),
    close: new Float64Array(5).fill(2),
  };
  assert.deepEqual([...stochastic(flat, { kPeriod: 2 }).k], [NaN, 50, 50, 50, 50]);
  const bars = {
    high: Float64Array.of(3, 4, 5, 6, 7),
    low: Float64Array.of(1, 2, NaN, 4, 5),
    close: Float64Array.of(2, 3, 4, 5, 6),
  };
  // bars 1 and 2 hold the missing low; bar 4: HH 7, LL 4, close 6
  assertSeriesClose(stochastic(bars, { kPeriod: 2 }).k, [NaN, 200 / 3, NaN, NaN, 200 / 3], 1e-12, "%K");
});

Deno.test("stochastic: is causal", () => {
  const { clean, gappy } = fixtures(600, 111);
  for (const f of [clean, gappy]) {
    assertCausal((k) => ({ ...stochastic(f.slice(0, k), { smoothK: 3 }) }), f.length, { name: "stochastic" });
  }
});
