import assert from "node:assert/strict";
import { rsi, rsiWarmup } from "./rsi.ts";
import { assertSeriesClose, fixtures, published } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

// StockCharts ChartSchool, "Relative Strength Index (RSI)", spreadsheet cs-rsi.xls: QQQQ
// closes and the 14-day RSI column (first value 70.53), published to 4 decimals.
const RSI_CLOSE = [
  44.3389,
  44.0902,
  44.1497,
  43.6124,
  44.3278,
  44.8264,
  45.0955,
  45.4245,
  45.8433,
  46.0826,
  45.8931,
  46.0328,
  45.614,
  46.282,
  46.282,
  46.0028,
  46.0328,
  46.4116,
  46.2222,
  45.6439,
  46.2122,
  46.2521,
  45.7137,
  46.4515,
  45.7835,
  45.3548,
  44.0288,
  44.1783,
  44.2181,
  44.5672,
  43.4205,
  42.6628,
  43.1314,
];
const RSI14 = published(14, [
  70.5328,
  66.3186,
  66.5498,
  69.4063,
  66.3552,
  57.9749,
  62.9296,
  63.2571,
  56.0593,
  62.3771,
  54.7076,
  50.4228,
  39.9898,
  41.4605,
  41.8689,
  45.4632,
  37.304,
  33.0795,
  37.773,
]);

// Direct transcription of Wilder's procedure over arrays of gains and losses.
function naiveRsi(x: Float64Array, p: number): Float64Array {
  const gains = [...x].slice(1).map((v, i) => Math.max(v - x[i]!, 0));
  const losses = [...x].slice(1).map((v, i) => Math.max(x[i]! - v, 0));
  const out = new Float64Array(x.length).fill(NaN);
  let g = gains.slice(0, p).reduce((a, b) => a + b, 0) / p;
  let l = losses.slice(0, p).reduce((a, b) => a + b, 0) / p;
  for (let i = p; i < x.length; i++) {
    if (i > p) {
      g = (g * (p - 1) + gains[i - 1]!) / p;
      l = (l * (p - 1) + losses[i - 1]!) / p;
    }
    out[i] = l === 0 ? (g === 0 ? 50 : 100) : 100 * g / (g + l);
  }
  return out;
}

Deno.test("rsi: matches the StockCharts cs-rsi.xls worked example (70.53 first)", () => {
  assertSeriesClose(rsi(Float64Array.from(RSI_CLOSE), 14), RSI14, 1e-4, "rsi");
  assert.equal(rsiWarmup(14), 14);
});

Deno.test("rsi: matches a direct transcription of Wilder's procedure", () => {
  const close = randomBars({ n: 2000, seed: 7 }).close;
  for (const p of [1, 2, 14, 50]) assertSeriesClose(rsi(close, p), naiveRsi(close, p), 1e-9, `rsi(${p})`);
});

Deno.test("rsi: edge cases: rising 100, falling 0, flat 50, missing values skipped", () => {
  const up = Float64Array.from({ length: 20 }, (_, i) => i);
  assert.ok(rsi(up, 5).subarray(5).every((v) => v === 100));
  assert.ok(rsi(up.map((v) => -v), 5).subarray(5).every((v) => v === 0));
  assert.ok(rsi(new Float64Array(20).fill(3), 5).subarray(5).every((v) => v === 50));
  // changes +1, (missing), (missing), +1, -1; period 2 seeds on the two valid +1 changes.
  const got = rsi(Float64Array.of(1, 2, NaN, 3, 4, 3), 2);
  assertSeriesClose(got, [NaN, NaN, NaN, NaN, 100, 100 - 100 / (1 + 0.5 / 0.5)], 1e-12, "rsi");
});

Deno.test("rsi: is causal", () => {
  const { clean, gappy } = fixtures(600, 71);
  for (const f of [clean, gappy]) assertCausal((k) => rsi(f.close.subarray(0, k), 14), f.length, { name: "rsi" });
});
