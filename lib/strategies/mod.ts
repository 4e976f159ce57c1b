/**
 * Strategies: pure, causal functions from a {@link Frame} and typed parameters to signals
 * (entries/exits, shorts mirrored) or target weights, plus the registry that names them.
 *
 * | name | rule (long side; shorts mirrored) | warmup |
 * |---|---|---|
 * | `buy_and_hold` | buy on the first bar with a price, never sell (the benchmark) | 0 |
 * | `sma_cross` | fast SMA crosses above slow SMA: in; crosses below: out | `slow` |
 * | `ema_cross` | the same with EMAs (SMA-seeded) | `slow` |
 * | `macd` | MACD line crosses above its signal line: in; below: out | `slow + signal - 1` |
 * | `rsi_reversion` | RSI crosses back above `lower`: in; above `upper` (or 50): out | `period + 1` |
 * | `bollinger_breakout` | close above the upper band: in; close below the middle: out | `period - 1` |
 * | `momentum_rotation` | portfolio: every `every` bars hold the top `k` by `lookback` return | `lookback` |
 *
 * Conventions:
 * - A signal on bar t is decided at bar t's close from bars 0..t; the backtest engine decides
 *   when it fills. `warmup(p)` is the index of the first bar that can carry a signal; earlier
 *   bars never do (indicators are NaN there, and NaN compares false).
 * - Crosses are `crossedAbove`/`crossedBelow` from `lib/indicators`: both bars defined, strict
 *   `>` (`<`) now and `<=` (`>=`) on the previous bar.
 * - `signals` gets its series through `ctx.indicator(key, compute)`; a sweep passes an
 *   {@link IndicatorCache} so each distinct key (`sma:close:20`) is computed once per frame.
 *   Strategies whose entries/exits are exactly a crossing expose `crossover(p)` for the
 *   sweep's fused kernel.
 * - Params come from zod schemas with defaults and ranges; {@link parseParams} coerces CLI
 *   strings and reports every problem with the value seen, {@link paramFields} describes them
 *   for forms and grids, {@link strategyCodeHash} fingerprints the code for manifests.
 * - `signals` trusts its params (they are parsed once, not per call in a sweep): parse them
 *   with {@link parseParams} or `strategy.params.parse` first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { IndicatorCache, parseParams, registry } from "./mod.ts";
 * const strategy = registry.get("sma_cross");
 * assert.ok(strategy.kind !== "portfolio");
 * const p = parseParams(strategy, { fast: "2", slow: "3" });
 * const close = Float64Array.of(5, 4, 3, 3, 4, 6, 5, 3);
 * const frame = new Frame(Float64Array.from(close.keys()), { close });
 * const cache = new IndicatorCache(frame);
 * const s = strategy.signals(frame, p, cache);
 * // SMA2 crosses above SMA3 on bar 4 (3.5 > 3.33) and below on bar 7 (4 < 4.67)
 * assert.deepEqual(s.kind === "signals" && [...s.entries], [0, 0, 0, 0, 1, 0, 0, 0]);
 * assert.deepEqual(s.kind === "signals" && [...s.exits], [0, 0, 0, 0, 0, 0, 0, 1]);
 * assert.deepEqual(cache.keys(), ["sma:close:2", "sma:close:3"]);
 * ```
 * @module
 */
export * from "./strategy.ts";
export * from "./define_strategy.ts";
export * from "./grid_values.ts";
export * from "./define_portfolio_strategy.ts";
export * from "./direct_context.ts";
export * from "./indicator_cache.ts";
export * from "./is_portfolio_strategy.ts";
export * from "./param_error.ts";
export * from "./param_fields.ts";
export * from "./parse_params.ts";
export * from "./prepare_strategy.ts";
export * from "./strategy_code_hash.ts";
export * from "./strategy_registry.ts";
export * from "./registry.ts";
export * from "./builtin_strategies.ts";
export * from "./buy_and_hold.ts";
export * from "./sma_cross.ts";
export * from "./ema_cross.ts";
export * from "./macd_cross.ts";
export * from "./rsi_reversion.ts";
export * from "./bollinger_breakout.ts";
export * from "./momentum_rotation.ts";
