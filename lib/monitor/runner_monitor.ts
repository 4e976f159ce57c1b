import type { AccountConfig } from "../accounts/mod.ts";
import type { Notifier } from "../notify/mod.ts";
import type { EventBus } from "../runner/mod.ts";
import type { AccountSnapshot } from "./account_snapshot.ts";
import { AlertEngine } from "./alert_engine.ts";
import { notifyOperators } from "./notify_operators.ts";
import { RunnerMetrics } from "./runner_metrics.ts";
import { serveMetrics } from "./serve_metrics.ts";

/** What the monitor reads of a runner once it is open (PaperRunner and LiveRunner both have these). */
export interface MonitoredRunner {
  risk: { state: AccountSnapshot };
  log: { head(): { seq: number } };
}

/** Options of {@link RunnerMonitor}. */
export interface RunnerMonitorOptions {
  /** The account's name. */
  account: string;
  /** Its config: the `alerts` rules and the notify sinks' secrets come from it. */
  config: AccountConfig;
  /** The runner's bus, heard from now on. */
  bus: EventBus;
  /** The account's notify sinks (the caller closes them). */
  notifier: Notifier;
  /** Serve Prometheus metrics on 127.0.0.1 at this port (0: a free one); undefined: no metrics. */
  metricsPort?: number;
  /** Check feed staleness by the wall clock (a live feed; never a replay, whose time is its bars'). */
  wallClockStaleness: boolean;
  /** Hears the metrics server's address once it listens. */
  onListen?: (addr: Deno.NetAddr) => void;
}

/**
 * Everything `deno task paper` and `deno task live` watch a run with, wired to the runner's bus: operator
 * notifications (denials, pauses, kills, starts, stops, errors), the account's alert rules, and the Prometheus
 * metrics server. Built before the runner opens (so nothing the runner publishes while recovering is missed); set
 * {@link runner} once it is open (until then the figures are NaN and no drawdown or loss alert fires). Disposing
 * stops the staleness timer and the metrics server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RunnerMonitor } from "./runner_monitor.ts";
 * import { EventBus } from "../runner/mod.ts";
 * import { DEFAULT_RISK_CONFIG } from "../risk/mod.ts";
 * const config = {
 *   version: 1 as const, name: "paper-1", kind: "paper" as const, startingCash: 10_000, quote: "USDT",
 *   createdAt: "2026-01-05T00:00:00.000Z", risk: DEFAULT_RISK_CONFIG, notify: { console: false, webhooks: [] },
 * };
 * const notifier = { notify: () => {}, flush: async () => {}, close: async () => {}, stats: () => ({}) } as never;
 * await using monitor = new RunnerMonitor({
 *   account: "paper-1", config, bus: new EventBus(), notifier, metricsPort: 0, wallClockStaleness: false,
 * });
 * assert.ok(monitor.metrics);
 * assert.equal(monitor.alerts, undefined, "no alert rules in this config");
 * ```
 */
export class RunnerMonitor implements AsyncDisposable {
  /** The runner, once open. */
  runner: MonitoredRunner | undefined = undefined;
  readonly metrics: RunnerMetrics | undefined;
  readonly alerts: AlertEngine | undefined;
  readonly #timer: Disposable;
  readonly #server: Deno.HttpServer<Deno.NetAddr> | undefined;

  constructor(o: RunnerMonitorOptions) {
    notifyOperators(o.bus, o.notifier, o.account);
    const snapshot = (): AccountSnapshot => {
      const s = this.runner?.risk.state;
      return s
        ? { equity: s.equity, equityPeak: s.equityPeak, dayStartEquity: s.dayStartEquity, tradingState: s.tradingState }
        : { equity: NaN, equityPeak: NaN, dayStartEquity: NaN, tradingState: "active" };
    };
    this.metrics = o.metricsPort === undefined
      ? undefined
      : new RunnerMetrics({ account: o.account, snapshot, auditHead: () => this.runner?.log.head().seq ?? 0 });
    this.metrics?.attach(o.bus);
    const alerts = o.config.alerts;
    this.alerts = alerts === undefined ? undefined : new AlertEngine({
      account: o.account,
      config: alerts,
      notifier: o.notifier,
      snapshot,
      ...(this.metrics ? { registry: this.metrics.registry } : {}),
      // The sinks mask their own URLs; the engine's record of recent alerts is masked too.
      secrets: o.config.notify.webhooks.flatMap((w) => [w.url, ...Object.values(w.headers ?? {})]),
    });
    this.alerts?.attach(o.bus);
    this.#timer = o.wallClockStaleness && this.alerts ? this.alerts.startTimer() : { [Symbol.dispose]: () => {} };
    this.#server = this.metrics && o.metricsPort !== undefined
      ? serveMetrics({
        registry: this.metrics.registry,
        port: o.metricsPort,
        ...(o.onListen ? { onListen: o.onListen } : {}),
      })
      : undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#timer[Symbol.dispose]();
    await this.#server?.shutdown();
  }
}
