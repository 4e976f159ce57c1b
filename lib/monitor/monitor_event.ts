import type { AuditEvent } from "../audit/mod.ts";

/** What every event on the runner's bus carries (a stored audit event's envelope). */
interface Envelope {
  seq: number;
  ts: number;
  account: string;
  runId: string;
  correlationId?: string;
}

/**
 * The streaming feed's word that a stream went quiet (no message for `silentMs`), for the `feedStale` alert: for one
 * symbol, or (no `symbol`) the whole stream. The websocket feed that will publish it is being written; this is the
 * shape the monitor expects from it (its `onStatus` `{ kind: "stale", silentMs }` goes to
 * `AlertEngine.feedStatus` meanwhile).
 */
export interface FeedStaleEvent extends Envelope {
  kind: "feed_stale";
  payload: { symbol?: string; exchange?: string; silentMs: number; reason?: string };
}

/**
 * Reconciliation's word that the exchange and the log disagree (an unknown open order, a balance that differs from
 * the rebuilt position), for the `reconciliationMismatch` alert. The live broker that will publish it is being
 * written; this is the shape the monitor expects from it.
 */
export interface ReconciliationMismatchEvent extends Envelope {
  kind: "reconciliation_mismatch";
  payload: { what: string; detail: string; symbol?: string; clientOrderId?: string };
}

/**
 * An event the monitor reads from the bus: a stored audit event, or one of the kinds the live path will add. The
 * monitor dispatches on `kind`, not on the bus type it came under, so a new kind works under whichever bus type
 * its publisher chooses.
 */
export type MonitorEvent = AuditEvent | FeedStaleEvent | ReconciliationMismatchEvent;
