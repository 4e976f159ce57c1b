import type { RiskConfig } from "./risk_config.ts";

/**
 * The limits a new account starts with (written into its config file by `writeDefaultRiskConfig`, where the user
 * sees and changes them). Conservative, and scale-free where the account's size is unknown:
 *
 * - `maxPositionValue` / `maxGrossExposure`: off (100,000 quote units kept as a placeholder): an absolute cap
 *   depends on the account's size, which a default cannot know; the share and leverage limits bound the same risk.
 * - `maxPositionShare` 0.25: no single symbol holds more than a quarter of equity, so one bad market cannot take
 *   the account down alone.
 * - `maxLeverage` 1: no borrowing; gross exposure stays within equity.
 * - `symbols`: every symbol allowed, none denied (the strategy's market decides; restrict it per account).
 * - `orderRate` 5 / minute, 60 / hour, 200 / UTC day: a bar-driven strategy sends at most a few orders per bar; a
 *   runaway loop is stopped within a minute.
 * - `minTradeInterval` 60 s per symbol: at most one order per symbol per one-minute bar, so a strategy cannot
 *   churn one symbol; a stop-loss exit is never delayed (exits are exempt).
 * - `tradingWindow`: off, every weekday 00:00-24:00 UTC (crypto trades around the clock).
 * - `dailyLoss` 3 % of the UTC day's start equity, level `pause`: stop adding risk on a bad day; exits go on.
 * - `maxDrawdown` 20 % from the equity peak, level `kill`: the circuit breaker; a human looks before anything new.
 * - `volatilityHalt`: standard deviation of the last 20 one-bar returns above 5 %, entries in that symbol denied
 *   (level `warning`: they resume by themselves when it calms down). A missing figure denies (fail closed).
 * - `maxConsecutiveLosses` 5, level `pause`: a strategy that stopped working is paused for a look.
 * - `staleData` 5 minutes after the bar's close: a decision on old data is not acted on.
 * Frozen at every level; edit a copy (`structuredClone(DEFAULT_RISK_CONFIG)`).
 *
 * - `flattenOnKill` false: closing everything at market in a crash can realise the worst prices; the operator
 *   decides (set it true for unattended accounts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_RISK_CONFIG, RiskConfigSchema } from "./mod.ts";
 * assert.deepEqual(RiskConfigSchema.parse(DEFAULT_RISK_CONFIG), DEFAULT_RISK_CONFIG);
 * assert.equal(DEFAULT_RISK_CONFIG.rules.maxDrawdown.level, "kill");
 * ```
 */
export const DEFAULT_RISK_CONFIG: Readonly<RiskConfig> = deepFreeze(
  {
    version: 1,
    flattenOnKill: false,
    rules: {
      maxPositionValue: { enabled: false, limit: 100_000, level: "warning" },
      maxPositionShare: { enabled: true, limit: 0.25, level: "warning" },
      maxGrossExposure: { enabled: false, limit: 100_000, level: "warning" },
      maxLeverage: { enabled: true, limit: 1, level: "warning" },
      symbols: { enabled: true, allow: null, deny: [], level: "warning" },
      orderRate: { enabled: true, perMinute: 5, perHour: 60, perDay: 200, level: "warning" },
      minTradeInterval: { enabled: true, ms: 60_000, scope: "symbol", level: "warning" },
      tradingWindow: {
        enabled: false,
        days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        start: "00:00",
        end: "24:00",
        level: "warning",
      },
      dailyLoss: { enabled: true, limit: 0.03, unit: "fraction", level: "pause" },
      maxDrawdown: { enabled: true, limit: 0.2, level: "kill" },
      volatilityHalt: {
        enabled: true,
        max: 0.05,
        measure: "return_std",
        window: 20,
        onMissing: "deny",
        level: "warning",
      },
      maxConsecutiveLosses: { enabled: true, limit: 5, level: "pause" },
      staleData: { enabled: true, maxBarAgeMs: 300_000, level: "warning" },
    },
    strategies: {},
  } satisfies RiskConfig,
);

// Frozen at every level: the defaults are shared; a caller edits a copy (structuredClone).
function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v !== null && typeof v === "object") deepFreeze(v);
  return Object.freeze(o);
}
