import { AssertionError } from "node:assert";

/** What an indicator or strategy computes: one series or a record of named series. */
export type CausalOutput = Float64Array | Uint8Array | Record<string, Float64Array | Uint8Array>;

/** Options for {@link assertCausal}. */
export interface AssertCausalOptions {
  /**
   * Prefix lengths to test. Default: every length from 0 to 40, then about 40 more spread
   * evenly up to `length - 1`, which covers warm-up boundaries and long-run state.
   */
  prefixes?: number[];
  /** Label for failure messages (e.g. the indicator and its parameters). */
  name?: string;
}

/**
 * Asserts that `compute` is causal: for every tested prefix length k, computing on the first
 * k rows gives exactly the first k values of computing on all `length` rows (NaN equals NaN,
 * and 0 equals -0). `compute(k)` must compute on the first `k` rows of fixed data and return
 * a series of length k, or a record of such series.
 *
 * A value that depends on a later bar (a centered window, a normalization by the whole
 * series, a look-ahead shift) changes when the later bars are cut off, which is what this
 * catches. Throws an AssertionError naming the series, the prefix and the first differing
 * index.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { assertCausal } from "./causality.ts";
 * const data = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i));
 * const trailing = (k: number) => data.slice(0, k).map((_, i, a) => (a[i]! + (a[i - 1] ?? NaN)) / 2);
 * assertCausal(trailing, data.length);
 * const peeking = (k: number) => data.slice(0, k).map((_, i, a) => (a[i]! + (a[i + 1] ?? NaN)) / 2);
 * assert.throws(() => assertCausal(peeking, data.length), /not causal/);
 * ```
 */
export function assertCausal(
  compute: (n: number) => CausalOutput,
  length: number,
  options: AssertCausalOptions = {},
): void {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`assertCausal: length must be a non-negative integer, got ${String(length)}`);
  }
  const label = options.name ? `${options.name}: ` : "";
  const prefixes = options.prefixes ?? defaultPrefixes(length);
  const full = normalize(compute(length), length, label, length);
  for (const k of prefixes) {
    if (!Number.isInteger(k) || k < 0 || k > length) {
      throw new RangeError(`assertCausal: prefix ${String(k)} is outside 0..${length}`);
    }
    const part = normalize(compute(k), k, label, k);
    const keys = Object.keys(full);
    if (Object.keys(part).join() !== keys.join()) {
      throw new AssertionError({
        message: `${label}output on ${k} rows has series [${Object.keys(part)}] but on ${length} rows [${keys}]`,
      });
    }
    for (const key of keys) {
      const a = part[key]!;
      const b = full[key]!;
      for (let i = 0; i < k; i++) {
        const x = a[i]!;
        const y = b[i]!;
        if (x !== y && !(x !== x && y !== y)) {
          throw new AssertionError({
            message: `${label}not causal: ${key}[${i}] is ${x} when computed on the first ${k} rows ` +
              `but ${y} on all ${length} rows`,
            actual: x,
            expected: y,
            operator: "causal",
          });
        }
      }
    }
  }
}

function normalize(
  output: CausalOutput,
  expectedLength: number,
  label: string,
  k: number,
): Record<string, ArrayLike<number>> {
  const record: Record<string, ArrayLike<number>> = ArrayBuffer.isView(output)
    ? { value: output as Float64Array | Uint8Array }
    : output as Record<string, Float64Array | Uint8Array>;
  for (const [key, series] of Object.entries(record)) {
    if (series.length !== expectedLength) {
      throw new AssertionError({
        message: `${label}${key} has ${series.length} values when computed on ${k} rows; ` +
          `outputs must align with the input`,
      });
    }
  }
  return record;
}

function defaultPrefixes(length: number): number[] {
  const set = new Set<number>();
  for (let k = 0; k <= Math.min(40, length); k++) set.add(k);
  const steps = 40;
  for (let s = 1; s <= steps; s++) set.add(Math.min(length, Math.round(40 + (length - 41) * s / steps)));
  set.add(Math.max(0, length - 1));
  return [...set].filter((k) => k >= 0 && k <= length).sort((a, b) => a - b);
}
