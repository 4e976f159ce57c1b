import type { AuditEvent } from "../audit/mod.ts";

/**
 * The runner's in-process event types. Each carries the stored audit event it was made from (with its `seq` and
 * `correlationId` linking a bar to its signal, decision, verdict, orders and fills): the bus publishes only what is
 * already durable in the audit log.
 */
export interface RunnerEvents {
  /** Closed bars were recorded (`bars`: one event per batch). */
  bar: AuditEvent;
  /** A strategy signalled on a bar. */
  signal: AuditEvent;
  /** An order intent was approved and sent to the broker (`order_submitted`). */
  order_placed: AuditEvent;
  /** A fill (`order_filled` / `order_partially_filled`). */
  order_filled: AuditEvent;
  /** An order ended without filling completely (`order_cancelled` / `order_rejected` / `order_expired`). */
  order_cancelled: AuditEvent;
  /**
   * An unarmed (dry-run) account logged an order it would have sent (`order_dry_run`): nothing reached the
   * exchange. Its own type, so a subscriber counting rejections or cancellations never counts a dry run.
   */
  order_dry_run: AuditEvent;
  /** The risk engine denied an order or an account rule fired (`risk_verdict` not ok, rule `pause` / `kill`). */
  risk_limit_exceeded: AuditEvent;
  /**
   * An agent or the account changed state (`pause`, `resume`, `kill`, `run_started`, `run_stopped`, a
   * `reconciliation` report, an `operator_ack`). An operator's pause / resume / kill is written to the log by another
   * process (`deno task risk`, the lab); the runner publishes that stored command here when it applies it, once its
   * own `config_change` acknowledgement (target `trading_state`) is durable, so monitors see operator commands too.
   */
  agent_state_change: AuditEvent;
  /** The run failed (`run_stopped` with an error). */
  agent_error: AuditEvent;
  /** A replay reached the end of its data. */
  backtest_complete: AuditEvent;
}

/** A bus event type. */
export type RunnerEventType = keyof RunnerEvents;

/** A subscriber; an exception it throws is reported to `onError`, never to the runner. */
export type RunnerListener<K extends RunnerEventType> = (event: RunnerEvents[K]) => void;

/**
 * A typed synchronous event bus. Subscribers run after the event is durable; a subscriber that throws does not stop
 * the runner or the other subscribers (its error goes to `onError`, default `console.error`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventBus } from "./event_bus.ts";
 * const bus = new EventBus();
 * const seen: number[] = [];
 * const off = bus.on("bar", (e) => seen.push(e.seq));
 * bus.emit("bar", { seq: 7 } as never);
 * off();
 * bus.emit("bar", { seq: 8 } as never);
 * assert.deepEqual(seen, [7]);
 * ```
 */
export class EventBus {
  readonly #listeners = new Map<RunnerEventType, Set<(e: AuditEvent) => void>>();
  readonly #onError: (e: unknown, type: RunnerEventType) => void;

  constructor(options: { onError?: (e: unknown, type: RunnerEventType) => void } = {}) {
    this.#onError = options.onError ?? ((e, type) => console.error(`event bus: a ${type} subscriber failed:`, e));
  }

  /** Subscribes; returns the unsubscribe function. */
  on<K extends RunnerEventType>(type: K, listener: RunnerListener<K>): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, set = new Set());
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Publishes a durable event to the type's subscribers. */
  emit<K extends RunnerEventType>(type: K, event: RunnerEvents[K]): void {
    const set = this.#listeners.get(type);
    if (set === undefined) return;
    for (const l of set) {
      try {
        l(event);
      } catch (e) {
        this.#onError(e, type);
      }
    }
  }

  /** Whether anyone listens (the runner skips building bus events when nobody does). */
  get active(): boolean {
    for (const s of this.#listeners.values()) if (s.size > 0) return true;
    return false;
  }
}

/** The bus type of a stored audit event, or undefined when it has none. */
export function busTypeOf(e: AuditEvent): RunnerEventType | undefined {
  switch (e.kind) {
    case "bar":
    case "bars":
      return "bar";
    case "signal":
      return "signal";
    case "order_submitted":
      return "order_placed";
    case "order_filled":
    case "order_partially_filled":
      return "order_filled";
    case "order_cancelled":
    case "order_rejected":
    case "order_expired":
      return "order_cancelled";
    case "order_dry_run":
      return "order_dry_run";
    case "risk_verdict":
      return e.payload.ok ? undefined : "risk_limit_exceeded";
    case "pause":
    case "kill":
      return e.payload.by === "rule" ? "risk_limit_exceeded" : "agent_state_change";
    case "resume":
    case "run_started":
    case "reconciliation":
    case "operator_ack":
      return "agent_state_change";
    case "run_stopped":
      return e.payload.error !== undefined ? "agent_error" : "agent_state_change";
    default:
      return undefined;
  }
}
