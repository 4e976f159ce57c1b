import type { OrderIntent } from "../types/mod.ts";
import type { RiskConfig } from "./risk_config.ts";
import { RiskEngine } from "./risk_engine.ts";
import type { RiskState } from "./risk_state.ts";
import type { Verdict } from "./verdict.ts";

const engines = new WeakMap<RiskConfig, RiskEngine>();

/**
 * `new RiskEngine(config).check(intent, state, now)`, with the engine compiled once per config object (cached
 * weakly). A config object must not be mutated after its first use (the cache would not see it); build a new
 * one. See `RiskEngine` for every rule.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { check, createRiskState, DEFAULT_RISK_CONFIG, kill } from "./mod.ts";
 * const state = kill(createRiskState({ account: "a", cash: 1_000, now: 0 }), "test");
 * const intent = {
 *   clientOrderId: "c", account: "a", strategy: "s", symbol: "X", side: "sell", qty: 1, price: 1,
 *   type: "market", reduceOnly: true, barTs: 0,
 * } as const;
 * assert.equal(check(intent, state, 0, DEFAULT_RISK_CONFIG).code, "halted");
 * ```
 */
export function check(intent: OrderIntent, state: RiskState, now: number, config: RiskConfig): Verdict {
  let engine = engines.get(config);
  if (engine === undefined) {
    engine = new RiskEngine(config);
    engines.set(config, engine);
  }
  return engine.check(intent, state, now);
}
