// Issue 7, item 19: running-sum indicators stay exact to ~1e-9 of the window's scale after a
// large value leaves the window (found against independent libraries on made-up inputs).
import assert from "node:assert/strict";
import { bollingerBands } from "./bollinger_bands.ts";
import { rollingStd } from "./rolling_std.ts";
import { vwap } from "./vwap.ts";
import { zScore } from "./z_score.ts";
import { mulberry32 } from "../testing/mod.ts";

/** Window mean and deviation recomputed from scratch (two passes). */
function twoPass(x: Float64Array, i: number, p: number, ddof: number): { mean: number; std: number; spread: number } {
  let m = 0;
  for (let j = i - p + 1; j <= i; j++) m += x[j]!;
  m /= p;
  let ss = 0, spread = 0;
  for (let j = i - p + 1; j <= i; j++) {
    ss += (x[j]! - m) ** 2;
    spread = Math.max(spread, Math.abs(x[j]! - m));
  }
  return { mean: m, std: Math.sqrt(ss / (p - ddof)), spread };
}

/** Prices near 100 (noise 1e-4..1) with rare outliers of 1e3..1e12, either sign. */
function outlierSeries(n: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  const noise = 10 ** -(1 + Math.floor(r() * 4));
  let p = 100;
  return Float64Array.from({ length: n }, () => {
    p += (r() - 0.5) * noise;
    if (r() < 0.02) return (r() < 0.5 ? -1 : 1) * 10 ** (3 + Math.floor(r() * 10));
    return p;
  });
}

Deno.test("rollingStd / zScore reproduction: [1e6, 100.01, 100.02, 100.03, 100.01, ...] with period 3", () => {
  const x = Float64Array.of(1e6, 100.01, 100.02, 100.03, 100.01, 100.02, 100.03);
  const s = rollingStd(x, 3);
  const exact = Math.sqrt(((0.01) ** 2 + 0 + (0.01) ** 2) / 3); // 0.008165
  assert.ok(Math.abs(s[3]! - exact) <= 1e-9 * exact, `std[3] = ${s[3]}, exact ${exact}`);
  const z = zScore(x, 3, { ddof: 0 });
  assert.ok(Math.abs(z[3]! - 0.01 / exact) <= 1e-7, `z[3] = ${z[3]}, exact ${0.01 / exact}`); // 1.2247
  const b = bollingerBands(x, 3, { ddof: 0 });
  assert.ok(Math.abs(b.upper[3]! - (100.02 + 2 * exact)) <= 1e-9, `upper[3] = ${b.upper[3]}`);
});

Deno.test("rolling vwap reproduction: prices 100..107, volumes [1e15, 0.1 x 7], window 3", () => {
  const price = Float64Array.from({ length: 8 }, (_, i) => 100 + i);
  const volume = Float64Array.of(1e15, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
  const v = vwap({ high: price, low: price, close: price, volume }, { window: 3 });
  // Bar 2 still holds the 1e15 volume at 100; from bar 3 on each window is three equal volumes.
  assert.ok(Math.abs(v[2]! - 100) < 1e-9, `vwap[2] = ${v[2]}`);
  for (let i = 3; i < 8; i++) assert.ok(Math.abs(v[i]! - (100 + i - 1)) <= 1e-9 * 100, `vwap[${i}] = ${v[i]}`);
});

Deno.test("property: rollingStd, zScore, Bollinger middle with random outliers match a two-pass reference", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r = mulberry32(1000 + seed);
    const n = 300 + Math.floor(r() * 600);
    const p = 2 + Math.floor(r() * 40);
    const ddof = seed % 2;
    const x = outlierSeries(n, seed);
    const std = rollingStd(x, p, { ddof });
    const z = zScore(x, p, { ddof });
    const mid = bollingerBands(x, p, { ddof }).middle;
    for (let i = p - 1; i < n; i++) {
      const ref = twoPass(x, i, p, ddof);
      // 1e-9 of the window's scale: its largest deviation from the mean (plus rounding of its level).
      let level = 0;
      for (let j = i - p + 1; j <= i; j++) level = Math.max(level, Math.abs(x[j]!));
      const tol = 1e-9 * ref.spread + 1e-15 * level;
      const what = `seed ${seed}, period ${p}, ddof ${ddof}, bar ${i}`;
      assert.ok(Math.abs(std[i]! - ref.std) <= tol, `${what}: std ${std[i]} vs ${ref.std}`);
      assert.ok(Math.abs(mid[i]! - ref.mean) <= tol, `${what}: mean ${mid[i]} vs ${ref.mean}`);
      if (ref.std > 1e-6 * ref.spread) {
        const zr = (x[i]! - ref.mean) / ref.std;
        assert.ok(Math.abs(z[i]! - zr) <= 1e-8 * Math.max(1, Math.abs(zr)), `${what}: z ${z[i]} vs ${zr}`);
      }
    }
  }
});

Deno.test("property: rolling vwap with random volume outliers matches a from-scratch window sum", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r = mulberry32(2000 + seed);
    const n = 300 + Math.floor(r() * 2500);
    const w = 1 + Math.floor(r() * 40);
    // Price outliers (a bad tick of 1e6..1e12), volume outliers (1e6..1e17) and zero volumes.
    const close = Float64Array.from(
      { length: n },
      () => (r() < 0.01 ? 10 ** (6 + Math.floor(r() * 7)) : 100 + r() * 10),
    );
    const high = close.map((c) => c + r());
    const low = close.map((c) => c - r());
    const volume = Float64Array.from({ length: n }, () => {
      const x = r();
      return x < 0.02 ? 10 ** (6 + Math.floor(r() * 12)) : x < 0.1 ? 0 : r();
    });
    const v = vwap({ high, low, close, volume }, { window: w });
    for (let i = w - 1; i < n; i++) {
      let pv = 0, vol = 0;
      for (let j = i - w + 1; j <= i; j++) {
        pv += (high[j]! + low[j]! + close[j]!) / 3 * volume[j]!;
        vol += volume[j]!;
      }
      const ref = pv / vol;
      if (vol === 0) {
        assert.ok(Number.isNaN(v[i]!), `seed ${seed}, window ${w}, bar ${i}: ${v[i]} for no volume`);
        continue;
      }
      assert.ok(Math.abs(v[i]! - ref) <= 1e-9 * ref, `seed ${seed}, window ${w}, bar ${i}: ${v[i]} vs ${ref}`);
    }
  }
});
