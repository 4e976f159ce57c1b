import { formatValue } from "./_format.ts";
import { formatFixed } from "./format_fixed.ts";
import { STATS_BY_KEY } from "./stats.ts";

/**
 * Formats a stat value for display by its registry unit, with a fixed number of decimals per
 * unit so a column of one stat lines up: fractions as percent with 2 decimals, ratios 2,
 * dimensionless numbers (skew, kurtosis) 3, currency 2 with thousands separators, counts 0,
 * durations as `3d 4h`. Negative numbers take the typographic minus U+2212 (`MINUS`, as the plots
 * do), never the ASCII hyphen, and a value that rounds to zero takes no sign. NaN is `n/a`,
 * ±Infinity `inf`/`−inf`. Keys outside the registry have no unit: integers show with 0
 * decimals, other values with 4. Formatting is for display only; stats stay numbers everywhere
 * else (JSON, CSV, `data-v` attributes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatStat } from "./format_stat.ts";
 * assert.equal(formatStat("max_drawdown", -0.2534), "\u221225.34%");
 * assert.equal(formatStat("sharpe", 1.23456), "1.23");
 * assert.equal(formatStat("final_equity", 12345.678), "12,345.68");
 * assert.equal(formatStat("max_drawdown_duration", 3 * 86_400_000 + 4 * 3_600_000), "3d 4h");
 * assert.equal(formatStat("sortino", NaN), "n/a");
 * ```
 */
export function formatStat(key: string, value: number): string {
  const def = STATS_BY_KEY.get(key);
  if (def !== undefined) return formatValue(value, def.unit);
  return formatFixed(value, Number.isInteger(value) ? 0 : 4);
}
