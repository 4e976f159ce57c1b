/** Options of {@link syntheticCloses}. */
export interface SyntheticClosesOptions {
  /** Seed of the splitmix32 that fills the generator's state. Default 20240101 (the SMA-X-990 fixture). */
  seed?: number;
  /** First close. Default 100. */
  start?: number;
  /** Volatility per step: close[i] = close[i-1] * (1 + vol * z). Default 0.001. */
  vol?: number;
}

/**
 * Reproducible synthetic closes, the reference workload of the SMA-X-990 sweep bench: a random
 * walk with normal steps that any language can regenerate bit for bit.
 *
 * - Generator: xoshiro128** on 32-bit words (output `rotl(s1 * 5, 7) * 9`), its state four
 *   successive outputs of splitmix32 seeded with `seed` (`a += 0x9e3779b9; t = a ^ (a >>> 16);
 *   t = imul(t, 0x21f0aaad); t ^= t >>> 15; t = imul(t, 0x735a2d97); return (t ^ (t >>> 15)) >>> 0`).
 * - Normal step: z = (sum of 12 uniforms x / 2^32) - 6 (Irwin–Hall, mean 0, variance 1).
 * - close[0] = start, close[i] = close[i-1] * (1 + vol * z) for i >= 1.
 *
 * With the defaults, 1,000,000 closes written as little-endian float64 hash to SHA-256
 * `4c0781a8d16b80e77c453e8e9c9f815bfa8e116c7d94cc3a86771b6d2fb3b538` (tested).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { syntheticCloses } from "./synthetic_closes.ts";
 * const c = syntheticCloses(3);
 * assert.equal(c[0], 100);
 * assert.ok(Math.abs(c[1]! / c[0]! - 1) < 0.006);
 * assert.deepEqual(syntheticCloses(3), c);
 * ```
 */
export function syntheticCloses(n: number, options: SyntheticClosesOptions = {}): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer >= 0, got ${n}`);
  const vol = options.vol ?? 0.001;
  let a = (options.seed ?? 20240101) >>> 0;
  const splitmix = (): number => {
    a = (a + 0x9e3779b9) >>> 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
  let s0 = splitmix(), s1 = splitmix(), s2 = splitmix(), s3 = splitmix();
  const out = new Float64Array(n);
  if (n === 0) return out;
  out[0] = options.start ?? 100;
  for (let i = 1; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < 12; k++) {
      const x = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      sum += x / 4294967296;
    }
    out[i] = out[i - 1]! * (1 + vol * (sum - 6));
  }
  return out;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
