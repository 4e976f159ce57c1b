/**
 * Monitoring and alerts of a running account: Prometheus metrics and alert rules, both fed by the runner's
 * {@link EventBus} (the paper runner now; the live runner publishes the same events), both derived only from durable
 * events.
 *
 * - {@link RunnerMetrics}: a prom-client `Registry` of its own (never the global one, and no default metrics: under
 *   Deno several of them are wrong or zero, see TOOLCHAIN-2 §5) with bars received, feed lag, order round-trip
 *   latency, orders by state, risk denials by rule, trading state, equity and drawdown, audit events written.
 *   {@link serveMetrics} serves it on loopback (`deno task paper --metrics-port N`). The lab's own `/metrics`
 *   (lib/http) derives per-account gauges from each account's audit log instead.
 * - {@link AlertEngine}: the account config's `alerts` rules (lib/accounts' `AlertConfigSchema`: drawdown, daily
 *   loss, feed stale, order rejected, reconciliation mismatch, kill switch; all off by default) to the account's
 *   notifier sinks, deduplicated per rule + account + key and rate-limited per sink ({@link RateLimitedNotifier}).
 *   Kinds the live path will add (`feed_stale`, `reconciliation_mismatch`; {@link MonitorEvent}) are understood
 *   under any bus type.
 *
 * Secrets: metric labels are account names, symbols, states and rule codes only, never free text; an alert's text is
 * masked with the secrets given and again by each sink.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConsoleSink } from "../notify/mod.ts";
 * import { EventBus } from "../runner/mod.ts";
 * import { AlertEngine, RunnerMetrics } from "./mod.ts";
 *
 * const bus = new EventBus();
 * const snapshot = { equity: 8_500, equityPeak: 10_000, dayStartEquity: 9_000, tradingState: "active" as const };
 * const metrics = new RunnerMetrics({ account: "paper-1", snapshot: () => snapshot });
 * metrics.attach(bus);
 * const lines: string[] = [];
 * const alerts = new AlertEngine({
 *   account: "paper-1",
 *   config: { dedupSeconds: 900, perSinkPerMinute: 10, drawdown: { enabled: true, above: 0.1, level: "warning" } },
 *   notifier: new ConsoleSink({ write: (l) => lines.push(l) }),
 *   snapshot: () => snapshot,
 *   registry: metrics.registry,
 *   clock: () => 0,
 * });
 * alerts.attach(bus);
 *
 * const bars = {
 *   seq: 5, ts: 3_600_000, account: "paper-1", runId: "r", kind: "bars" as const, prevHash: "", hash: "",
 *   payload: { timeframe: "1h", ts: 0, bars: [{ symbol: "BTC/USDT", open: 1, high: 1, low: 1, close: 1, volume: 1, dataHash: "" }] },
 * };
 * bus.emit("bar", bars);
 * bus.emit("bar", { ...bars, seq: 6, payload: { ...bars.payload, ts: 3_600_000 }, ts: 7_200_000 });
 *
 * const text = await metrics.metrics();
 * assert.match(text, /sentinel_drawdown_ratio\{account="paper-1"\} 0.15/);
 * assert.match(text, /sentinel_bars_received_total\{account="paper-1",symbol="BTC\/USDT"\} 2/);
 * assert.match(text, /sentinel_alerts_total\{account="paper-1",rule="drawdown"\} 1/);
 * assert.match(text, /sentinel_alerts_suppressed_total\{account="paper-1",rule="drawdown",reason="duplicate"\} 1/);
 * assert.equal(lines.length, 1);
 * assert.match(lines[0]!, /WARNING paper-1 alert_drawdown drawdown 15.00 % beyond 10.00 %/);
 * ```
 * @module
 */
export * from "./account_snapshot.ts";
export * from "./alert.ts";
export * from "./alert_engine.ts";
export * from "./monitor_event.ts";
export * from "./notify_operators.ts";
export * from "./order_states.ts";
export * from "./rate_limited_notifier.ts";
export * from "./runner_metrics.ts";
export * from "./runner_monitor.ts";
export * from "./serve_metrics.ts";
