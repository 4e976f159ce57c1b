/**
 * The paper runner: one event loop from a feed of closed bars through each promoted strategy, the risk engine and a
 * broker to the account's audit log (DESIGN.md "Runner").
 *
 * - {@link PaperRunner}: the loop; intents durable before the broker sees them, deterministic client ids, state
 *   rebuilt from the log on start (crash-safe: tested by SIGKILLing replays at random points), operator pause /
 *   resume / kill read from the log, flatten on kill.
 * - Feeds ({@link Feed}): {@link ReplayFeed} (stored bars, `speed` max or a factor) and {@link CcxtPollingFeed}
 *   (closed bars polled through ccxt, retries, late bars), {@link CcxtStreamFeed} (ccxt.pro klines, validated, REST
 *   backfill after drops, polling fallback, latency and lag stats).
 * - Broker: {@link SimulatedBroker}, the backtester's fill model (`SingleBook`, stops) with a durable order store
 *   keyed by client id; {@link CcxtBroker}, the live {@link Broker} over ccxt (exchange client ids, fills as they come,
 *   never an order twice: the `timestamp` + `recvWindow` rule), and {@link reconcile} / {@link gatherReconcile}, the
 *   audit log against the exchange (unresolved orders, unknown open orders, balance mismatches -> `reducing`).
 * - {@link LiveRunner}: the same loop with an exchange {@link Broker} and a live feed: orders sent right after the
 *   durable decision, fills from the broker's updates as they come, reconciliation on start and after reconnects
 *   (`reducing` until an `operator_ack` on a mismatch), a dry run unless armed (`deno task live`).
 * - {@link StrategyStepper}: a vectorized strategy one bar at a time, exact (streamed indicators or recomputation).
 * - {@link EventBus}: typed events, published only once durable. {@link runnerState}: is a runner running.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { noLimitsRiskConfig } from "../risk/mod.ts";
 * import { smaCross } from "../strategies/mod.ts";
 * import { PaperRunner, ReplayFeed } from "./mod.ts";
 * const closes = [10, 9, 8, 9, 10, 11, 10, 9, 8, 9];
 * const frame = Frame.fromBars(closes.map((c, i) => ({ ts: i * 3_600_000, open: c, high: c, low: c, close: c, volume: 1 })));
 * const dataDir = await Deno.makeTempDir();
 * const runner = await PaperRunner.open({
 *   account: "demo", dataDir, risk: noLimitsRiskConfig(), startingCash: 1_000, mode: "replay", timeframe: "1h",
 *   sleeves: [{ id: "sma", strategy: smaCross, params: { fast: 1, slow: 2 }, symbol: "X/USDT" }],
 * });
 * const summary = await runner.run(new ReplayFeed({ frames: { "X/USDT": frame }, timeframe: "1h" }));
 * assert.equal(summary.reason, "end of data");
 * assert.ok(summary.fills > 0);
 * assert.equal(runner.log.verify().ok, true);
 * runner.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 * @module
 */
export * from "./broker.ts";
export * from "./ccxt_broker.ts";
export * from "./ccxt_polling_feed.ts";
export * from "./ccxt_stream_feed.ts";
export * from "./event_bus.ts";
export * from "./feed.ts";
export * from "./live_runner.ts";
export * from "./merged_feed.ts";
export * from "./paper_runner.ts";
export * from "./reconcile.ts";
export * from "./replay_feed.ts";
export * from "./routing_broker.ts";
export * from "./runner_lock.ts";
export * from "./runner_state.ts";
export * from "./runner_state_error.ts";
export * from "./sim_broker.ts";
export * from "./sleeve.ts";
export * from "./strategy_stepper.ts";
