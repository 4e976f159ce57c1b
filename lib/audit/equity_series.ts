import { fillBaseFee } from "../types/mod.ts";
import type { AuditEvent } from "./audit_event.ts";
import { barsOf } from "./bars_of.ts";
import { checkStartingCash, seedOf } from "./_seed.ts";

/** Options of {@link equitySeries}. */
export interface EquitySeriesOptions {
  /** Starting cash when no `run_started` or account `config_change` carries one (overrides them when set), as {@link replay}'s. */
  startingCash?: number;
}

/** An account's equity and cash after each batch of bars, aligned to `ts`. Money is in the quote currency. */
export interface EquitySeries {
  /** Decision time of each batch: the event `ts` its `bar` events share, epoch ms UTC, in log order. */
  ts: Float64Array;
  /** `cash + sum(qty * mark)` after the batch and everything logged before the next batch's first bar. */
  equity: Float64Array;
  /** Cash at the same moment. */
  cash: Float64Array;
}

interface Holding {
  qty: number;
  /** Marked by a bar: a fill then no longer moves the mark (as {@link replay}). */
  barSeen: boolean;
  mark: number;
  /** Filled at least once: in `filled`, whose order is the sum's. */
  filled: boolean;
}

/**
 * The account's equity curve from its audit events, in one pass: one point per batch of bars (the `bar` events that
 * share a decision time, event `ts`), valued after the batch's own signals, orders and fills, i.e. just before the
 * next batch's first bar (or at the end of the events). Positions are marked at their latest bar close, or at the
 * last fill price before any bar of the symbol, exactly as {@link replay} does, so the last point equals
 * `replay(events).equity` when the events end after a batch. Events before the first bar make no point of their own
 * (there is no price to mark at); fills logged after the last batch move the last point.
 *
 * Only `run_started`, account `config_change` (the seed), `bar`, `order_filled` and `order_partially_filled` move the
 * curve, so passing just those kinds gives the same series. Times are as logged: a paper run's wall clock, a replay's
 * bar times.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AuditEvent, equitySeries, replay } from "./mod.ts";
 * const bar = (ts: number, close: number) => ({
 *   kind: "bar", seq: 0, ts, account: "a", runId: "r", prevHash: "", hash: "",
 *   payload: { symbol: "BTC/USDT", timeframe: "1h", ts, open: close, high: close, low: close, close, volume: 1, dataHash: "a".repeat(64) },
 * });
 * const events = [
 *   { kind: "run_started", seq: 0, ts: 0, account: "a", runId: "r", prevHash: "", hash: "", payload: { mode: "replay", startingCash: 1_000 } },
 *   bar(1, 100),
 *   { kind: "order_filled", seq: 0, ts: 1, account: "a", runId: "r", prevHash: "", hash: "",
 *     payload: { clientOrderId: "o1", symbol: "BTC/USDT", side: "buy", qty: 2, price: 100, fee: 1, ts: 1 } },
 *   bar(2, 110),
 * ].map((e, i) => ({ ...e, seq: i + 1 })) as AuditEvent[];
 * const s = equitySeries(events);
 * assert.deepEqual([...s.ts], [1, 2]);
 * assert.deepEqual([...s.equity], [999, 1_019]);
 * assert.deepEqual([...s.cash], [799, 799]);
 * assert.equal(s.equity.at(-1), replay(events).equity);
 * ```
 */
export function equitySeries(events: Iterable<AuditEvent>, options: EquitySeriesOptions = {}): EquitySeries {
  checkStartingCash(options.startingCash);
  let startingCash = options.startingCash ?? 0;
  let seeded = options.startingCash !== undefined;
  let cash = startingCash;
  const holdings = new Map<string, Holding>();
  // First-fill order, as replay's positions map: the same summation order gives the same float, to the last bit.
  const filled: Holding[] = [];
  let cap = 256;
  let ts = new Float64Array(cap);
  let eq = new Float64Array(cap);
  let ca = new Float64Array(cap);
  let n = 0;
  // The batch whose point is open (NaN: none yet); a bar with another event ts closes it and opens the next.
  let batchTs = NaN;
  let lastSeq = 0;

  for (const ev of events) {
    if (ev.seq <= lastSeq) {
      throw new RangeError(`equitySeries: events must be in seq order; seq ${ev.seq} came after ${lastSeq}`);
    }
    lastSeq = ev.seq;
    switch (ev.kind) {
      case "run_started":
      case "config_change": {
        const amount = seeded ? undefined : seedOf(ev);
        if (amount !== undefined) seed(amount);
        break;
      }
      case "bar":
      case "bars": {
        // A batch is the bars sharing a decision time: one `bars` event, or `bar` events with the same ts.
        if (ev.ts !== batchTs || ev.kind === "bars") {
          if (!Number.isNaN(batchTs)) close();
          batchTs = ev.ts;
        }
        for (const p of barsOf(ev)) {
          const h = holdings.get(p.symbol);
          if (h) {
            h.mark = p.close;
            h.barSeen = true;
          } else holdings.set(p.symbol, { qty: 0, barSeen: true, mark: p.close, filled: false });
        }
        break;
      }
      case "order_filled":
      case "order_partially_filled": {
        const f = ev.payload;
        const dir = f.side === "buy" ? 1 : -1;
        let h = holdings.get(f.symbol);
        if (!h) holdings.set(f.symbol, h = { qty: 0, barSeen: false, mark: f.price, filled: false });
        if (!h.filled) {
          h.filled = true;
          filled.push(h);
        }
        // replay's rule: a fee taken in the base asset leaves as units of the position, not as cash.
        const baseFee = fillBaseFee(f);
        const delta = dir * f.qty - baseFee;
        cash -= dir * f.qty * f.price + (baseFee > 0 ? 0 : f.fee);
        if (!h.barSeen) h.mark = f.price;
        const q0 = h.qty;
        let q1 = q0 + delta;
        // replay's dust rule on a reducing fill: 0.1 + 0.2 - 0.3 units is flat, not 5.6e-17.
        const reducing = q0 !== 0 && delta !== 0 && Math.sign(q0) !== Math.sign(delta);
        if (reducing && Math.abs(q1) <= 1e-9 * Math.max(Math.abs(q0), Math.abs(delta))) q1 = 0;
        h.qty = q1;
        break;
      }
    }
  }
  if (!Number.isNaN(batchTs)) close();
  return { ts: ts.slice(0, n), equity: eq.slice(0, n), cash: ca.slice(0, n) };

  function close(): void {
    if (n === cap) {
      cap *= 2;
      ts = grow(ts, cap);
      eq = grow(eq, cap);
      ca = grow(ca, cap);
    }
    let e = cash;
    for (let i = 0; i < filled.length; i++) e += filled[i]!.qty * filled[i]!.mark;
    ts[n] = batchTs;
    eq[n] = e;
    ca[n] = cash;
    n++;
  }

  function seed(amount: number): void {
    cash += amount - startingCash;
    startingCash = amount;
    seeded = true;
  }
}

function grow(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}
