/**
 * The risk engine: the one gate between a strategy's order intents and a broker, the same in backtests, paper and
 * live trading. Pure and fast: `RiskEngine.check(intent, state, now)` reads an intent, the account's `RiskState`
 * and an injected clock, and answers a `Verdict` `{ ok, code, level, detail }` with no I/O and no allocation when
 * the order is allowed (over 1,000,000 checks per second, `bench/risk_bench.ts`).
 *
 * - Config: `RiskConfigSchema` (strict zod; a file per account, rules plus per-strategy override blocks merged
 *   field by field), `DEFAULT_RISK_CONFIG` (conservative, each default explained), `parseRiskConfig`,
 *   `loadRiskConfig` (a `ConfigError` naming the field and reason; the caller keeps its old config),
 *   `writeDefaultRiskConfig` (atomic), `riskConfigHash` (SHA-256 of canonical JSON, for audit events).
 * - Rules and their exact comparisons, in the order they answer: `RiskEngine` (which apply to exits: `halted`,
 *   the reduce-only check and the order rate; every other rule only gates entries). `check(intent, state, now,
 *   config)` is the same with a cached engine.
 * - State: `createRiskState`, and the updates the runner calls in place, per event: `recordOrder` (an order sent),
 *   `recordFill`, `recordTradeClosed` (loss streak), `recordBar` (last close time, price, volatility figure),
 *   `markEquity` (peak, UTC day roll of the daily-loss reference). Snapshots: `riskStateToJSON` /
 *   `riskStateFromJSON`.
 * - Trading state machine `active | reducing | halted`, pure transitions returning a new state: `applyVerdict`
 *   (`pause` level -> `reducing`, `kill` level -> `halted`), `pause`, `kill`, and `resume`, which needs
 *   `{ account, afterKill: true }` naming the account to leave `halted`.
 *
 * How the runner uses it, per intent: `v = engine.check(intent, state, now)`; audit-log `v`;
 * `state = applyVerdict(state, v)`; if `v.ok`, send the order and `recordOrder(state, intent, now)`. Per bar:
 * `recordBar`, fills with `recordFill`, `markEquity`, then `state = applyVerdict(state, engine.checkAccount(state,
 * now))` so the circuit breakers fire without waiting for an entry. On a kill with `engine.flattenOnKill`, the
 * runner closes every position itself (the engine denies all orders while halted).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   applyVerdict, createRiskState, DEFAULT_RISK_CONFIG, markEquity, recordBar, recordOrder, resume, RiskEngine,
 * } from "./mod.ts";
 *
 * const engine = new RiskEngine(DEFAULT_RISK_CONFIG);
 * const t0 = Date.UTC(2026, 0, 5, 9, 0);
 * let state = createRiskState({ account: "paper-1", cash: 10_000, now: t0, ringCapacity: engine.ringCapacity });
 * recordBar(state, { symbol: "ETH/USDT", closeTime: t0, close: 2_000, volatility: 0.01 });
 * const buy = {
 *   clientOrderId: "paper-1-r1-1", account: "paper-1", strategy: "sma_cross", symbol: "ETH/USDT",
 *   side: "buy", qty: 1, price: 2_000, type: "market", reduceOnly: false, barTs: t0 - 60_000,
 * } as const;
 *
 * const v = engine.check(buy, state, t0);
 * assert.equal(v.ok, true);
 * recordOrder(state, buy, t0);
 *
 * // The equity falls 25 % from its peak: the drawdown breaker kills the account.
 * markEquity(state, 7_500, t0 + 60_000);
 * state = applyVerdict(state, engine.checkAccount(state, t0 + 60_000));
 * assert.equal(state.tradingState, "halted");
 * assert.equal(engine.check(buy, state, t0 + 120_000).code, "halted");
 * assert.throws(() => resume(state, { account: "paper-1" }), /afterKill: true/);
 * state = resume(state, { account: "paper-1", afterKill: true });
 * assert.equal(state.tradingState, "active");
 * ```
 * @module
 */
export * from "./apply_verdict.ts";
export * from "./check.ts";
export * from "./create_risk_state.ts";
export * from "./default_risk_config.ts";
export * from "./kill.ts";
export * from "./load_risk_config.ts";
export * from "./mark_equity.ts";
export * from "./order_ring.ts";
export * from "./parse_risk_config.ts";
export * from "./pause.ts";
export * from "./record_bar.ts";
export * from "./record_fill.ts";
export * from "./record_order.ts";
export * from "./record_trade_closed.ts";
export * from "./resume.ts";
export * from "./risk_config.ts";
export * from "./risk_config_hash.ts";
export * from "./risk_engine.ts";
export * from "./risk_session.ts";
export * from "./risk_state.ts";
export * from "./risk_state_from_json.ts";
export * from "./risk_state_json.ts";
export * from "./risk_state_to_json.ts";
export * from "./verdict.ts";
export * from "./write_default_risk_config.ts";
export * from "./no_limits_risk_config.ts";
