import type { AuditEvent } from "./audit_event.ts";

/** One symbol's closed bar as an audit event recorded it (from a `bar` or a `bars` event). */
export interface LoggedBar {
  symbol: string;
  timeframe: string;
  /** Bar open time, epoch ms UTC. */
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  dataHash: string;
}

/**
 * The bars an event carries: one for `bar`, one per symbol for `bars` (the runner's batch), none for other kinds.
 * Readers that follow prices (replay, status, equity) go through this so both forms count alike.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { barsOf } from "./bars_of.ts";
 * const h = "ab".repeat(32);
 * const e = { kind: "bars", payload: { timeframe: "1m", ts: 0, bars: [
 *   { symbol: "A", open: 1, high: 1, low: 1, close: 1, volume: 0, dataHash: h },
 *   { symbol: "B", open: 2, high: 2, low: 2, close: 2, volume: 0, dataHash: h },
 * ] } } as never;
 * assert.deepEqual(barsOf(e).map((b) => `${b.symbol}@${b.close}`), ["A@1", "B@2"]);
 * ```
 */
export function barsOf(e: AuditEvent): LoggedBar[] {
  if (e.kind === "bar") return [e.payload];
  if (e.kind !== "bars") return [];
  const p = e.payload;
  return p.bars.map((b) => ({ ...b, timeframe: p.timeframe, ts: p.ts }));
}
