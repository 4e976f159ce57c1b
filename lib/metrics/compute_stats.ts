import { LazyStatsContext } from "./_context.ts";
import { STATS, STATS_BY_KEY, type StatsInput } from "./stats.ts";

/** Options of {@link computeStats}. */
export interface ComputeStatsOptions {
  /** Only these registry keys, in this order; default every stat in `STATS`. */
  keys?: readonly string[];
}

/**
 * Computes registry stats for one run: a plain `{ key: number }` object with snake_case keys
 * (NaN where a stat is undefined or its input is missing), ready for JSON (NaN becomes null) and
 * for `statsTable`. Shared series (returns, core stats, benchmark returns) are derived once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeStats } from "./compute_stats.ts";
 * const day = 86_400_000;
 * const stats = computeStats({
 *   ts: new Float64Array([0, day, 2 * day, 3 * day]),
 *   equity: new Float64Array([100, 110, 99, 121]),
 *   periodsPerYear: 365,
 * });
 * assert.ok(Math.abs(stats.total_return! - 0.21) < 1e-12);
 * assert.ok(Math.abs(stats.max_drawdown! - -0.1) < 1e-12);
 * assert.equal(stats.max_drawdown_duration, 2 * day);
 * assert.ok(Number.isNaN(stats.win_rate)); // no trades given
 * ```
 */
export function computeStats(input: StatsInput, options: ComputeStatsOptions = {}): Record<string, number> {
  const ctx = new LazyStatsContext(input);
  const out: Record<string, number> = {};
  if (options.keys === undefined) {
    for (const s of STATS) out[s.key] = s.fn(ctx);
    return out;
  }
  for (const key of options.keys) {
    const def = STATS_BY_KEY.get(key);
    if (def === undefined) {
      throw new RangeError(`computeStats: unknown stat key ${JSON.stringify(key)}; see STATS for the keys`);
    }
    out[key] = def.fn(ctx);
  }
  return out;
}
