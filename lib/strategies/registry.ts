import { builtinStrategies } from "./builtin_strategies.ts";
import { StrategyRegistry } from "./strategy_registry.ts";

/**
 * The shared registry, holding the {@link builtinStrategies}. The CLI, web lab, sweeps and
 * MCP look strategies up here; a notebook may `registry.register(myStrategy)` to make its own
 * strategy available to them in the same process.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registry } from "./registry.ts";
 * assert.equal(registry.get("sma_cross").name, "sma_cross");
 * assert.deepEqual(registry.list().map((s) => s.name), [
 *   "bollinger_breakout", "buy_and_hold", "ema_cross", "macd", "momentum_rotation", "rsi_reversion", "sma_cross",
 * ]);
 * ```
 */
export const registry: StrategyRegistry = new StrategyRegistry(builtinStrategies);
