const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["w", 604_800_000],
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
];

/**
 * The ccxt timeframe of bars from their most common step (gaps and the odd duplicate do not move
 * it); month-like steps (28 to 31 days) give `1M`. Null when there are fewer than 2 bars or the
 * step is not a whole number of seconds. Reads at most the first 20,001 bars.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inferTimeframe } from "./infer_timeframe.ts";
 * assert.equal(inferTimeframe(Float64Array.of(0, 300_000, 600_000, 1_200_000)), "5m");
 * assert.equal(inferTimeframe(Float64Array.of(0)), null);
 * ```
 */
export function inferTimeframe(ts: Float64Array): string | null {
  const counts = new Map<number, number>();
  const n = Math.min(ts.length, 20_001);
  for (let i = 1; i < n; i++) {
    const d = ts[i]! - ts[i - 1]!;
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let step = 0, best = 0;
  for (const [d, c] of counts) if (c > best || (c === best && d < step)) (step = d), (best = c);
  if (step === 0) return null;
  const day = 86_400_000;
  if (step >= 28 * day && step <= 31 * day) return "1M";
  for (const [unit, ms] of UNITS) if (step % ms === 0) return `${step / ms}${unit}`;
  return null;
}
