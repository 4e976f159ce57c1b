import type { Trade } from "../types/mod.ts";
import type { Columns } from "./columns.ts";

/**
 * A trade list as snake_case columns, the layout of `trades.parquet` and `trades.csv`:
 * `asset, direction, entry_index, exit_index, entry_ts, exit_ts, entry_price, exit_price, size,
 * pnl, return, fees, bars, duration_ms, exit_reason`. Times are epoch ms as doubles, so an open
 * trade's `exit_ts` can be NaN (its `exit_index` is -1 and its exit price the last close).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tradeColumns } from "./trade_columns.ts";
 * const c = tradeColumns([{
 *   asset: "GOOG", direction: "long", entryIndex: 1, exitIndex: 3, entryTs: 10, exitTs: 30, entryPrice: 100,
 *   exitPrice: 110, size: 2, pnl: 19.6, return: 0.098, fees: 0.4, bars: 2, durationMs: 20, exitReason: "signal",
 * }]);
 * assert.deepEqual(c.asset, ["GOOG"]);
 * assert.deepEqual([...(c.pnl as Float64Array)], [19.6]);
 * ```
 */
export function tradeColumns(trades: readonly Trade[]): Columns {
  const n = trades.length;
  const num = (): Float64Array => new Float64Array(n);
  const c = {
    asset: new Array<string>(n),
    direction: new Array<string>(n),
    entry_index: num(),
    exit_index: num(),
    entry_ts: num(),
    exit_ts: num(),
    entry_price: num(),
    exit_price: num(),
    size: num(),
    pnl: num(),
    return: num(),
    fees: num(),
    bars: num(),
    duration_ms: num(),
    exit_reason: new Array<string>(n),
  };
  for (let i = 0; i < n; i++) {
    const t = trades[i]!;
    c.asset[i] = t.asset;
    c.direction[i] = t.direction;
    c.entry_index[i] = t.entryIndex;
    c.exit_index[i] = t.exitIndex;
    c.entry_ts[i] = t.entryTs;
    c.exit_ts[i] = t.exitTs;
    c.entry_price[i] = t.entryPrice;
    c.exit_price[i] = t.exitPrice;
    c.size[i] = t.size;
    c.pnl[i] = t.pnl;
    c.return[i] = t.return;
    c.fees[i] = t.fees;
    c.bars[i] = t.bars;
    c.duration_ms[i] = t.durationMs;
    c.exit_reason[i] = t.exitReason;
  }
  return c;
}
