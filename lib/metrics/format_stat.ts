import { formatValue } from "./_format.ts";
import { STATS_BY_KEY } from "./stats.ts";

/**
 * Formats a stat value for display by its registry unit: fractions as percent with 2 decimals,
 * ratios with 2, currency with thousands separators, durations as `3d 4h`; NaN as `n/a`,
 * ±Infinity as `inf`/`-inf`. Keys outside the registry format as plain numbers (4 significant
 * digits). Formatting is for display only; stats stay numbers everywhere else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatStat } from "./format_stat.ts";
 * assert.equal(formatStat("max_drawdown", -0.2534), "-25.34%");
 * assert.equal(formatStat("sharpe", 1.23456), "1.23");
 * assert.equal(formatStat("final_equity", 12345.678), "12,345.68");
 * assert.equal(formatStat("max_drawdown_duration", 3 * 86_400_000 + 4 * 3_600_000), "3d 4h");
 * assert.equal(formatStat("sortino", NaN), "n/a");
 * ```
 */
export function formatStat(key: string, value: number): string {
  const def = STATS_BY_KEY.get(key);
  if (def !== undefined) return formatValue(value, def.unit);
  if (Number.isNaN(value)) return "n/a";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return Number(value.toPrecision(4)).toString();
}
