/**
 * Promotion: from research to a paper or live account. {@link promote} checks five gates for a strategy version
 * (its code hash and params) and, when all pass, appends a `promotion` event to the account's audit log; the runner
 * then trades what {@link loadPromotedSleeves} reads back from the log.
 *
 * | gate | passes when |
 * |---|---|
 * | `backtest` | a recorded backtest of the same code hash, params and options spans >= 183 days with Sharpe > 0 |
 * | `walk_forward` | a recorded walk-forward of that code covering the params has >= 2 folds, mean out-of-sample Sharpe > 0 |
 * | `risk_limits` | the account's risk config loads, with a daily-loss or drawdown limit enabled |
 * | `parity` | the paper runner's replay of the evidence data matches the backtest order for order |
 * | `audit_chain` | the account's audit log verifies |
 *
 * With `data`, missing evidence is computed on it and recorded in the runs registry. A failing gate refuses the
 * promotion ({@link PromotionRefused}, carrying the {@link PromotionChecklist}).
 *
 * A strategy written in a notebook cell is promoted the same way: `await promote({ strategy: myStrategy, ... })`
 * saves it as `strategies/<name>-<hash12>.js` ({@link saveStrategy}), loads it back, checks its code hash, and the
 * event names that file and its sha256; {@link resolvePromotedStrategy} refuses code that changed since ("promote
 * the new version"). From the command line: `deno task promote --strategy NAME --param k=v --account NAME
 * [--market exchange:SYMBOL:timeframe] [--data SERIES|FILE]`.
 *
 * In a notebook (notebook 05 defines `zReversion` and loads `frame`):
 *
 * ```ts ignore
 * import { promote, PromotionRefused } from "../lib/promotion/mod.ts";
 * try {
 *   const r = await promote({
 *     strategy: zReversion, params: { period: 20, entry: 2, exit: 0 }, account: "paper-1",
 *     market: "samples:SPX:1d", data: { frame, series: "samples:SPX:1d", calendar: "weekdays" },
 *   });
 *   console.log(`promoted, event ${r.seq}`);
 * } catch (e) {
 *   if (e instanceof PromotionRefused) console.log(e.checklist.gates); else throw e;
 * }
 * ```
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAccount } from "../accounts/mod.ts";
 * import { promote, PromotionRefused } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000, quote: "USD" });
 * await assert.rejects(
 *   promote({ dataDir, account: "paper-1", strategy: "sma_cross", market: "binance:BTC/USDT:1h" }),
 *   (e: Error) => e instanceof PromotionRefused && /backtest \(no recorded backtest/.test(e.message),
 * );
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 * @module
 */
export * from "./evaluate_gates.ts";
export * from "./load_promoted_sleeves.ts";
export * from "./promote.ts";
export * from "./promotion_checklist.ts";
export * from "./promotion_refused.ts";
export * from "./resolve_promoted_strategy.ts";
export * from "./save_strategy.ts";
