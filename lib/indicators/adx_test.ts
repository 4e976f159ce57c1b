import assert from "node:assert/strict";
import { adx, adxWarmup } from "./adx.ts";
import { assertSeriesClose, fixtures } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";
import type { Frame } from "../frame/mod.ts";

// Independent reference: Wilder's procedure as StockCharts' ADX article lays it out, with
// whole arrays of TR, +DM, -DM, their smoothed 14-sums, the DIs and DX.
function naiveAdx(f: Frame, p: number): { adx: Float64Array; plusDI: Float64Array; minusDI: Float64Array } {
  const n = f.length;
  const tr = [NaN], pdm = [NaN], mdm = [NaN];
  for (let i = 1; i < n; i++) {
    const up = f.high[i]! - f.high[i - 1]!;
    const down = f.low[i - 1]! - f.low[i]!;
    pdm.push(up > down && up > 0 ? up : 0);
    mdm.push(down > up && down > 0 ? down : 0);
    tr.push(
      Math.max(f.high[i]! - f.low[i]!, Math.abs(f.high[i]! - f.close[i - 1]!), Math.abs(f.low[i]! - f.close[i - 1]!)),
    );
  }
  const smooth = (x: number[]): number[] => {
    const s = new Array<number>(n).fill(NaN);
    s[p] = x.slice(1, p + 1).reduce((a, b) => a + b, 0);
    for (let i = p + 1; i < n; i++) s[i] = s[i - 1]! - s[i - 1]! / p + x[i]!;
    return s;
  };
  const tr14 = smooth(tr), p14 = smooth(pdm), m14 = smooth(mdm);
  const plusDI = new Float64Array(n).fill(NaN), minusDI = new Float64Array(n).fill(NaN);
  const adxOut = new Float64Array(n).fill(NaN);
  const dx: number[] = [];
  for (let i = p; i < n; i++) {
    plusDI[i] = tr14[i]! > 0 ? 100 * p14[i]! / tr14[i]! : 0;
    minusDI[i] = tr14[i]! > 0 ? 100 * m14[i]! / tr14[i]! : 0;
    const sum = plusDI[i]! + minusDI[i]!;
    dx[i] = sum > 0 ? 100 * Math.abs(plusDI[i]! - minusDI[i]!) / sum : 0;
  }
  if (2 * p - 1 < n) adxOut[2 * p - 1] = dx.slice(p, 2 * p).reduce((a, b) => a + b, 0) / p;
  for (let i = 2 * p; i < n; i++) adxOut[i] = (adxOut[i - 1]! * (p - 1) + dx[i]!) / p;
  return { adx: adxOut, plusDI, minusDI };
}

Deno.test("adx: hand-worked period-2 example", () => {
  // bar  high low close  +DM -DM TR
  //  0    10   8   9
  //  1    11   9  10      1   0   2
  //  2    12   9  11      1   0   3
  //  3    11   8   9      0   1   3
  //  4    10   6   7      0   2   4
  // bar 2: sums TR 5, +DM 2, -DM 0 -> +DI 40, -DI 0, DX 100
  // bar 3: TR 5 - 2.5 + 3 = 5.5, +DM 2 - 1 = 1, -DM 1 -> DIs 100/5.5 each, DX 0; ADX (100 + 0) / 2 = 50
  // bar 4: TR 6.75, +DM 0.5, -DM 2.5 -> DX 100 * 2 / 3; ADX (50 + 200/3) / 2 = 175/3
  const bars = {
    high: Float64Array.of(10, 11, 12, 11, 10),
    low: Float64Array.of(8, 9, 9, 8, 6),
    close: Float64Array.of(9, 10, 11, 9, 7),
  };
  const d = adx(bars, 2);
  assertSeriesClose(d.plusDI, [NaN, NaN, 40, 100 / 5.5, 50 / 6.75], 1e-12, "+DI");
  assertSeriesClose(d.minusDI, [NaN, NaN, 0, 100 / 5.5, 250 / 6.75], 1e-12, "-DI");
  assertSeriesClose(d.adx, [NaN, NaN, NaN, 50, 175 / 3], 1e-12, "ADX");
  assert.deepEqual(adxWarmup(14), { adx: 27, plusDI: 14, minusDI: 14 });
});

Deno.test("adx: matches the array-by-array procedure on random data", () => {
  const f = randomBars({ n: 1500, seed: 9 });
  for (const p of [1, 2, 14, 30]) {
    const got = adx(f, p);
    const want = naiveAdx(f, p);
    assertSeriesClose(got.plusDI, want.plusDI, 1e-9, `+DI(${p})`);
    assertSeriesClose(got.minusDI, want.minusDI, 1e-9, `-DI(${p})`);
    assertSeriesClose(got.adx, want.adx, 1e-9, `ADX(${p})`);
  }
});

Deno.test("adx: flat market is 0 everywhere; missing bars are skipped", () => {
  const flat = {
    high: new Float64Array(20).fill(5),
    low: new Float64Array(20).fill(5),
    close: new Float64Array(20).fill(5),
  };
  const d = adx(flat, 3);
  assert.ok(d.adx.subarray(5).every((v) => v === 0) && d.plusDI.subarray(3).every((v) => v === 0));
  const f = randomBars({ n: 60, seed: 10 });
  const holed = { high: f.high.slice(), low: f.low, close: f.close };
  holed.high[30] = NaN;
  const got = adx(holed, 5);
  assert.ok(Number.isNaN(got.adx[30]!) && Number.isNaN(got.adx[31]!) && Number.isFinite(got.adx[32]!));
});

Deno.test("adx: is causal", () => {
  const { clean, gappy } = fixtures(600, 91);
  for (const f of [clean, gappy]) {
    assertCausal((k) => ({ ...adx(f.slice(0, k), 14) }), f.length, { name: "adx" });
  }
});
