import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { TradingControl } from "../audit/mod.ts";
import type { EventBus } from "../runner/mod.ts";
import { timeframeMs, type TradingState } from "../types/mod.ts";
import type { AccountSnapshot } from "./account_snapshot.ts";
import { seconds, subscribeAll } from "./_bus.ts";
import type { MonitorEvent } from "./monitor_event.ts";
import { ORDER_STATE_OF_KIND as ORDER_STATES, TRADING_STATES as STATES } from "./order_states.ts";

/** Options of {@link RunnerMetrics}. */
export interface RunnerMetricsOptions {
  /** The account the runner trades (the `account` label). */
  account: string;
  /** Where the metrics register. Default: a new registry of their own (never prom-client's global one). */
  registry?: Registry;
  /** The runner's equity, peak, day-start equity and trading state, read at each scrape. */
  snapshot?: () => AccountSnapshot;
  /** The audit log's head seq, read at each scrape (default: the highest seq seen on the bus). */
  auditHead?: () => number;
  /** Orders waiting for their first broker answer that are remembered (the oldest is forgotten). Default 10,000. */
  maxPendingOrders?: number;
}

/**
 * Prometheus metrics of one runner, fed by its {@link EventBus} (paper now; the live runner publishes the same
 * events). Everything is derived from durable events, so a scrape never shows what the log does not hold:
 *
 * | metric | type | labels | from |
 * | --- | --- | --- | --- |
 * | `sentinel_bars_received_total` | counter | account, symbol | `bar` / `bars` events |
 * | `sentinel_feed_lag_seconds` | histogram | account | event time minus the bar's close (open + timeframe) |
 * | `sentinel_feed_last_bar_close_seconds` | gauge | account, symbol | close time of the last bar, epoch s |
 * | `sentinel_order_round_trip_seconds` | histogram | account | `order_submitted` to the broker's first answer |
 * | `sentinel_orders_total` | counter | account, state | submitted, acknowledged, partially_filled, filled, rejected, cancelled, expired; dry_run: an unarmed account's order, never sent (not a rejection) |
 * | `sentinel_risk_denials_total` | counter | account, rule | `risk_verdict` not ok, by its code |
 * | `sentinel_trading_state_changes_total` | counter | account, kind, by | `pause` / `resume` / `kill` |
 * | `sentinel_trading_state` | gauge | account, state | 1 for the state in force (the snapshot's, else the events': pause / resume / kill, and a `reconciliation` needing an ack holds `reducing` until its `operator_ack`) |
 * | `sentinel_equity` | gauge | account | the snapshot |
 * | `sentinel_drawdown_ratio` | gauge | account | `1 - equity / peak` from the snapshot |
 * | `sentinel_audit_events_total` | counter | account | the log's head seq (events written) |
 *
 * Times are the events' own: in a replay the lag is 0 and a round trip is measured in bar time (a `next_open` fill
 * answers one bar later); in paper and live they are wall-clock. Labels are account names, symbols, states and rule
 * codes only: no free text, so nothing secret can reach a scrape. Per-symbol figures are kept in typed arrays and
 * copied into the registry at scrape time, label children of states and rules are cached: an event costs a few map
 * lookups and stores, no allocation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventBus } from "../runner/mod.ts";
 * import { RunnerMetrics } from "./mod.ts";
 * const bus = new EventBus();
 * const m = new RunnerMetrics({ account: "paper-1" });
 * m.attach(bus);
 * bus.emit("bar", {
 *   seq: 1, ts: 3_600_500, account: "paper-1", runId: "r", kind: "bars", prevHash: "", hash: "",
 *   payload: { timeframe: "1h", ts: 0, bars: [{ symbol: "BTC/USDT", open: 1, high: 1, low: 1, close: 1, volume: 1, dataHash: "" }] },
 * });
 * const text = await m.registry.metrics();
 * assert.match(text, /sentinel_bars_received_total\{account="paper-1",symbol="BTC\/USDT"\} 1/);
 * assert.match(text, /sentinel_feed_lag_seconds_sum\{account="paper-1"\} 0.5/);
 * ```
 */
export class RunnerMetrics {
  readonly registry: Registry;
  readonly account: string;
  readonly #lag: Histogram<"account">;
  readonly #rtt: Histogram<"account">;
  readonly #orders: Counter<"account" | "state">;
  readonly #denials: Counter<"account" | "rule">;
  readonly #stateChanges: Counter<"account" | "kind" | "by">;
  /** Per-symbol figures live in typed arrays by slot (a bar costs a map lookup and two stores); a scrape copies them. */
  readonly #slot = new Map<string, number>();
  readonly #symbols: string[] = [];
  #barCount = new Float64Array(16);
  #closeSec = new Float64Array(16);
  readonly #ordersByState = new Map<string, Counter.Internal>();
  readonly #denialsByRule = new Map<string, Counter.Internal>();
  readonly #lagChild: Histogram.Internal<"account">;
  readonly #rttChild: Histogram.Internal<"account">;
  readonly #tfMs = new Map<string, number>();
  /** Submission time by client order id, until the broker's first answer. */
  readonly #pending = new Map<string, number>();
  readonly #maxPending: number;
  readonly #control = new TradingControl();
  #maxSeq = 0;

  constructor(options: RunnerMetricsOptions) {
    const account = options.account;
    this.account = account;
    this.#maxPending = options.maxPendingOrders ?? 10_000;
    const registry = this.registry = options.registry ?? new Registry();
    const registers = [registry];
    // collect() runs with the metric as `this`; these read the runner's side.
    const symbols = this.#symbols;
    const counts = (): Float64Array => this.#barCount;
    const closes = (): Float64Array => this.#closeSec;
    new Counter({
      name: "sentinel_bars_received_total",
      help: "Closed bars the runner recorded, per symbol.",
      labelNames: ["account", "symbol"] as const,
      registers,
      collect() {
        this.reset();
        const c = counts();
        for (let i = 0; i < symbols.length; i++) this.inc({ account, symbol: symbols[i]! }, c[i]!);
      },
    });
    this.#lag = new Histogram({
      name: "sentinel_feed_lag_seconds",
      help: "Feed lag: time the runner recorded a bar minus the bar's close time.",
      labelNames: ["account"] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    new Gauge({
      name: "sentinel_feed_last_bar_close_seconds",
      help: "Close time of the last bar recorded per symbol, epoch seconds (staleness: time() minus this).",
      labelNames: ["account", "symbol"] as const,
      registers,
      collect() {
        const c = closes();
        for (let i = 0; i < symbols.length; i++) this.set({ account, symbol: symbols[i]! }, c[i]!);
      },
    });
    this.#rtt = new Histogram({
      name: "sentinel_order_round_trip_seconds",
      help: "Order round trip: order_submitted to the broker's first answer (ack, fill, rejection, cancellation).",
      labelNames: ["account"] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60, 3600],
      registers,
    });
    this.#orders = new Counter({
      name: "sentinel_orders_total",
      help: "Order steps by state (submitted, acknowledged, partially_filled, filled, rejected, cancelled, expired; " +
        "dry_run: an order an unarmed account would have sent).",
      labelNames: ["account", "state"] as const,
      registers,
    });
    this.#denials = new Counter({
      name: "sentinel_risk_denials_total",
      help: "Order intents the risk engine denied, by rule code.",
      labelNames: ["account", "rule"] as const,
      registers,
    });
    this.#stateChanges = new Counter({
      name: "sentinel_trading_state_changes_total",
      help: "Pause, resume and kill events, by kind and by whom (operator or rule).",
      labelNames: ["account", "kind", "by"] as const,
      registers,
    });
    const state = (): TradingState => this.#control.state;
    const maxSeq = (): number => this.#maxSeq;
    const snapshot = options.snapshot;
    new Gauge({
      name: "sentinel_trading_state",
      help: "1 for the account's trading state in force (active, reducing, halted), 0 for the others.",
      labelNames: ["account", "state"] as const,
      registers,
      collect() {
        const now = snapshot ? snapshot().tradingState : state();
        for (const s of STATES) this.set({ account, state: s }, s === now ? 1 : 0);
      },
    });
    if (snapshot) {
      new Gauge({
        name: "sentinel_equity",
        help: "Account equity in its quote currency (cash plus positions at the last close).",
        labelNames: ["account"] as const,
        registers,
        collect() {
          this.set({ account }, snapshot().equity);
        },
      });
      new Gauge({
        name: "sentinel_drawdown_ratio",
        help: "Drawdown from the equity peak, a fraction (0.1 = 10 %).",
        labelNames: ["account"] as const,
        registers,
        collect() {
          this.set({ account }, drawdown(snapshot()));
        },
      });
    }
    const head = options.auditHead;
    new Counter({
      name: "sentinel_audit_events_total",
      help: "Events in the account's audit log (its head seq).",
      labelNames: ["account"] as const,
      registers,
      collect() {
        this.reset();
        this.inc({ account }, head ? head() : maxSeq());
      },
    });
    this.#lagChild = this.#lag.labels({ account });
    this.#rttChild = this.#rtt.labels({ account });
  }

  /** Subscribes to every event type of the bus; returns the unsubscribe function. */
  attach(bus: EventBus): () => void {
    return subscribeAll(bus, (e) => this.observe(e));
  }

  /** Counts one durable event (what {@link attach} calls for each bus event). */
  observe(e: MonitorEvent): void {
    if (e.seq > this.#maxSeq) this.#maxSeq = e.seq;
    switch (e.kind) {
      case "bars": {
        const p = e.payload;
        const close = p.ts + this.#timeframe(p.timeframe);
        this.#lagChild.observe(seconds(Math.max(0, e.ts - close)));
        for (let i = 0; i < p.bars.length; i++) this.#bar(p.bars[i]!.symbol, close);
        return;
      }
      case "bar": {
        const close = e.payload.ts + this.#timeframe(e.payload.timeframe);
        this.#lagChild.observe(seconds(Math.max(0, e.ts - close)));
        this.#bar(e.payload.symbol, close);
        return;
      }
      case "order_dry_run":
        // Never sent: no round trip to time, and not a rejection.
        this.#order(e.kind);
        return;
      case "order_submitted":
        this.#order(e.kind);
        if (this.#pending.size >= this.#maxPending) this.#pending.delete(this.#pending.keys().next().value!);
        this.#pending.set(e.payload.clientOrderId, e.ts);
        return;
      case "order_acknowledged":
      case "order_partially_filled":
      case "order_filled":
      case "order_rejected":
      case "order_cancelled":
      case "order_expired": {
        this.#order(e.kind);
        const id = e.payload.clientOrderId;
        const sent = this.#pending.get(id);
        if (sent !== undefined) {
          this.#pending.delete(id);
          this.#rttChild.observe(seconds(Math.max(0, e.ts - sent)));
        }
        return;
      }
      case "risk_verdict": {
        if (e.payload.ok) return;
        const rule = e.payload.code;
        let c = this.#denialsByRule.get(rule);
        if (c === undefined) this.#denialsByRule.set(rule, c = this.#denials.labels({ account: this.account, rule }));
        c.inc();
        return;
      }
      case "pause":
      case "kill":
      case "resume":
        this.#control.apply(e);
        this.#stateChanges.inc({ account: this.account, kind: e.kind, by: e.payload.by });
        return;
      case "reconciliation":
      case "operator_ack":
        this.#control.apply(e);
        return;
    }
  }

  /** The exposition text (prom-client's format). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** The exposition's content type. */
  get contentType(): string {
    return this.registry.contentType;
  }

  #bar(symbol: string, closeMs: number): void {
    let i = this.#slot.get(symbol);
    if (i === undefined) {
      i = this.#symbols.length;
      this.#slot.set(symbol, i);
      this.#symbols.push(symbol);
      if (i === this.#barCount.length) {
        const n = new Float64Array(2 * i), c = new Float64Array(2 * i);
        n.set(this.#barCount);
        c.set(this.#closeSec);
        this.#barCount = n;
        this.#closeSec = c;
      }
    }
    this.#barCount[i]! += 1;
    this.#closeSec[i] = seconds(closeMs);
  }

  #order(kind: string): void {
    let c = this.#ordersByState.get(kind);
    if (c === undefined) {
      this.#ordersByState.set(kind, c = this.#orders.labels({ account: this.account, state: ORDER_STATES[kind]! }));
    }
    c.inc();
  }

  #timeframe(tf: string): number {
    let ms = this.#tfMs.get(tf);
    if (ms === undefined) this.#tfMs.set(tf, ms = timeframeMs(tf));
    return ms;
  }
}

/** `1 - equity / peak`, 0 without a positive peak. */
export function drawdown(s: AccountSnapshot): number {
  return s.equityPeak > 0 ? Math.max(0, 1 - s.equity / s.equityPeak) : 0;
}
