import { formatStat } from "./format_stat.ts";
import { STATS, STATS_BY_KEY } from "./stats.ts";
import { type StatRow, StatsTableView } from "./stats_table_view.ts";

/**
 * Builds display rows from computed stats (`computeStats` output or any `{ key: number }`):
 * registry keys first in registry order with their titles, then unknown keys as they come, titled
 * by the key. Displays itself in a notebook.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { statsTable } from "./stats_table.ts";
 * const t = statsTable({ sharpe: 1.5, total_return: 0.1234, custom: 7 });
 * assert.deepEqual(t.rows.map((r) => r.key), ["total_return", "sharpe", "custom"]);
 * assert.equal(t.rows[0]!.text, "12.34%");
 * assert.ok(t.toString().startsWith("Total return  12.34%"));
 * ```
 */
export function statsTable(stats: Readonly<Record<string, number>>): StatsTableView {
  const rows: StatRow[] = [];
  for (const def of STATS) {
    if (Object.hasOwn(stats, def.key)) {
      const value = stats[def.key]!;
      rows.push({ key: def.key, title: def.title, value, text: formatStat(def.key, value) });
    }
  }
  for (const [key, value] of Object.entries(stats)) {
    if (!STATS_BY_KEY.has(key)) rows.push({ key, title: key, value, text: formatStat(key, value) });
  }
  return new StatsTableView(rows);
}
