import type { RiskRules, RiskRulesOverride, RuleLevel, Weekday } from "./risk_config.ts";

/** A rule set flattened for the hot path: a disabled limit is Infinity (or a false flag), never a branch on null. */
export interface CompiledRules {
  posValue: number;
  posValueLevel: RuleLevel;
  posShare: number;
  posShareLevel: RuleLevel;
  gross: number;
  grossLevel: RuleLevel;
  leverage: number;
  leverageLevel: RuleLevel;
  symbolsOn: boolean;
  allow: Set<string> | null;
  deny: Set<string>;
  symbolsLevel: RuleLevel;
  rateOn: boolean;
  perMinute: number;
  perHour: number;
  perDay: number;
  rateLevel: RuleLevel;
  intervalMs: number;
  intervalPerSymbol: boolean;
  intervalLevel: RuleLevel;
  windowOn: boolean;
  dayMask: number;
  windowStartMs: number;
  windowEndMs: number;
  windowLevel: RuleLevel;
  dailyLoss: number;
  dailyLossFraction: boolean;
  dailyLossLevel: RuleLevel;
  drawdown: number;
  drawdownLevel: RuleLevel;
  volMax: number;
  volMissingDeny: boolean;
  volLevel: RuleLevel;
  losses: number;
  lossesLevel: RuleLevel;
  staleMs: number;
  staleLevel: RuleLevel;
}

// Bit per UTC weekday as Date.getUTCDay numbers them (0 = Sunday).
const DAY_BIT: Record<Weekday, number> = { sun: 1, mon: 2, tue: 4, wed: 8, thu: 16, fri: 32, sat: 64 };

function clockMs(hhmm: string): number {
  return (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * 60_000;
}

/** The account's rules with a strategy's override merged over them, field by field (lists are replaced). */
export function mergeRules(base: RiskRules, override: RiskRulesOverride | undefined): RiskRules {
  if (override === undefined) return base;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(base) as (keyof RiskRules)[]) out[k] = { ...base[k], ...override[k] };
  return out as RiskRules;
}

export function compileRules(r: RiskRules): CompiledRules {
  const on = (b: { enabled: boolean }, v: number): number => b.enabled ? v : Infinity;
  let dayMask = 0;
  for (const d of r.tradingWindow.days) dayMask |= DAY_BIT[d];
  return {
    posValue: on(r.maxPositionValue, r.maxPositionValue.limit),
    posValueLevel: r.maxPositionValue.level,
    posShare: on(r.maxPositionShare, r.maxPositionShare.limit),
    posShareLevel: r.maxPositionShare.level,
    gross: on(r.maxGrossExposure, r.maxGrossExposure.limit),
    grossLevel: r.maxGrossExposure.level,
    leverage: on(r.maxLeverage, r.maxLeverage.limit),
    leverageLevel: r.maxLeverage.level,
    symbolsOn: r.symbols.enabled,
    allow: r.symbols.allow === null ? null : new Set(r.symbols.allow),
    deny: new Set(r.symbols.deny),
    symbolsLevel: r.symbols.level,
    rateOn: r.orderRate.enabled,
    perMinute: r.orderRate.perMinute,
    perHour: r.orderRate.perHour,
    perDay: r.orderRate.perDay,
    rateLevel: r.orderRate.level,
    intervalMs: r.minTradeInterval.enabled ? r.minTradeInterval.ms : 0,
    intervalPerSymbol: r.minTradeInterval.scope === "symbol",
    intervalLevel: r.minTradeInterval.level,
    windowOn: r.tradingWindow.enabled,
    dayMask,
    windowStartMs: clockMs(r.tradingWindow.start),
    windowEndMs: clockMs(r.tradingWindow.end),
    windowLevel: r.tradingWindow.level,
    dailyLoss: on(r.dailyLoss, r.dailyLoss.limit),
    dailyLossFraction: r.dailyLoss.unit === "fraction",
    dailyLossLevel: r.dailyLoss.level,
    drawdown: on(r.maxDrawdown, r.maxDrawdown.limit),
    drawdownLevel: r.maxDrawdown.level,
    volMax: on(r.volatilityHalt, r.volatilityHalt.max),
    volMissingDeny: r.volatilityHalt.enabled && r.volatilityHalt.onMissing === "deny",
    volLevel: r.volatilityHalt.level,
    losses: on(r.maxConsecutiveLosses, r.maxConsecutiveLosses.limit),
    lossesLevel: r.maxConsecutiveLosses.level,
    staleMs: on(r.staleData, r.staleData.maxBarAgeMs),
    staleLevel: r.staleData.level,
  };
}
