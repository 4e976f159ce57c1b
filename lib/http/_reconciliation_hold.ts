// The reconciliation hold as the lab shows it: which `reconciliation` reports are waiting for an operator_ack and
// what the latest of them found, folded event by event (lib/audit's TradingControl decides what waits, so the page,
// the stream, /metrics and replay agree on it).
import { type AuditEvent, type AuditEventOf, TradingControl } from "../audit/mod.ts";
import type { TradingState } from "../types/mod.ts";

/** A live account held in `reducing` by reconciliation reports nobody has acknowledged yet. */
export interface ReconciliationHold {
  /** Seqs of the `reconciliation` events waiting for an `operator_ack`, oldest first. */
  waiting: number[];
  /** The state pause / resume / kill left the account in: where an acknowledgement returns it. */
  after: TradingState;
  /** The latest waiting report: the one an acknowledgement names by default (it covers the earlier ones). */
  seq: number;
  ts: number;
  trigger: AuditEventOf<"reconciliation">["payload"]["trigger"];
  /** One line per finding, as the runner wrote them (built from the counts below when it wrote none). */
  messages: string[];
  unknownOpenOrders: number;
  balanceMismatches: number;
}

// A report's lines on a page: enough to see what it is about; the rest is in the event.
const MAX_LINES = 20;

/** Folds a log's events into the hold in force (see {@link ReconciliationHold}). */
export class HoldTracker {
  readonly #control = new TradingControl();
  /** Waiting reports by seq (pruned when an ack lifts them: a long log keeps only what still waits). */
  readonly #reports = new Map<number, Omit<ReconciliationHold, "waiting" | "after">>();

  /** Folds the next event (seq order); kinds that move no trading state are ignored. */
  apply(e: AuditEvent): void {
    // Pause / resume / kill too: they decide where an acknowledgement returns the account.
    if (!this.#control.apply(e)) return;
    if (e.kind === "reconciliation") {
      const p = e.payload;
      const lines = p.messages?.length ? p.messages : [
        ...p.unknownOpenOrders.map((o) =>
          `open order ${o.exchangeOrderId}${
            o.exchangeClientId ? ` (${o.exchangeClientId})` : ""
          } at the exchange: ${o.side} ${o.qty} ${o.symbol}${o.price !== undefined ? ` at ${o.price}` : ""}`
        ),
        ...p.balanceMismatches.map((b) => `${b.asset}: the exchange holds ${b.actual}, the log ${b.expected}`),
      ];
      this.#reports.set(e.seq, {
        seq: e.seq,
        ts: e.ts,
        trigger: p.trigger,
        messages: lines.slice(0, MAX_LINES),
        unknownOpenOrders: p.unknownOpenOrders.length,
        balanceMismatches: p.balanceMismatches.length,
      });
      return;
    }
    if (e.kind !== "operator_ack") return;
    const waiting = new Set(this.#control.unacknowledged);
    for (const seq of this.#reports.keys()) if (!waiting.has(seq)) this.#reports.delete(seq);
  }

  /** The hold in force, or null when no report waits. */
  hold(): ReconciliationHold | null {
    const waiting = this.#control.unacknowledged;
    const latest = waiting.length ? this.#reports.get(waiting[waiting.length - 1]!) : undefined;
    if (latest === undefined) return null;
    return { waiting: [...waiting], after: this.#control.commanded, ...latest, messages: [...latest.messages] };
  }
}
