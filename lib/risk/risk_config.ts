import { z } from "zod";

/**
 * What a failed rule does. `warning`: deny this order only (the account keeps trading). `pause`: deny it and move
 * the account to `reducing` (exits only until an operator resumes). `kill`: deny it and move the account to
 * `halted` (nothing new until an operator resumes naming the account).
 */
export const RuleLevelSchema = z.enum(["warning", "pause", "kill"]);
export type RuleLevel = z.infer<typeof RuleLevelSchema>;

/** Weekday names used by the trading window (UTC). */
export const WeekdaySchema = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
export type Weekday = z.infer<typeof WeekdaySchema>;

const level = RuleLevelSchema;
const positive = z.number().finite().positive();
const count = z.number().int().positive();
const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const clock = z.string().regex(HHMM, 'a UTC time "HH:MM" from "00:00" to "24:00"');

// Every rule block has `enabled` and `level`, so a user switches a rule off without losing its limit.
const rules = {
  /** Value of the symbol's position after the order (|qty after| x intent price, quote currency). */
  maxPositionValue: z.strictObject({ enabled: z.boolean(), limit: positive, level }),
  /** That value as a fraction of the account's equity (0.25 = a quarter). */
  maxPositionShare: z.strictObject({ enabled: z.boolean(), limit: positive, level }),
  /** Sum over symbols of |qty| x price after the order (quote currency). */
  maxGrossExposure: z.strictObject({ enabled: z.boolean(), limit: positive, level }),
  /** Gross exposure after the order divided by equity. */
  maxLeverage: z.strictObject({ enabled: z.boolean(), limit: positive, level }),
  /**
   * `allow: null` allows every symbol not in `deny`; a list allows only those (`deny` wins). Symbols are compared
   * exactly, as the intents spell them (`BTC/USDT`, case-sensitive). Entries only.
   */
  symbols: z.strictObject({
    enabled: z.boolean(),
    allow: z.array(z.string().min(1)).nullable(),
    deny: z.array(z.string().min(1)),
    level,
  }),
  /** Orders of the account in the last 60 s, the last 3600 s (sliding) and the current UTC day. */
  orderRate: z.strictObject({
    enabled: z.boolean(),
    perMinute: count,
    perHour: count,
    perDay: count,
    level,
  }),
  /** Minimum time between two orders of the same symbol (`scope: "symbol"`) or of the account. Entries only. */
  minTradeInterval: z.strictObject({
    enabled: z.boolean(),
    ms: z.number().int().positive(),
    scope: z.enum(["symbol", "account"]),
    level,
  }),
  /** Entries only on these UTC weekdays, from `start` (inclusive) to `end` (exclusive); start > end wraps midnight. */
  tradingWindow: z.strictObject({
    enabled: z.boolean(),
    days: z.array(WeekdaySchema).min(1),
    start: clock,
    end: clock,
    level,
  }),
  /** Loss since the UTC day's start equity, in quote currency (`unit: "quote"`) or as a fraction of it (<= 1). */
  dailyLoss: z.strictObject({
    enabled: z.boolean(),
    limit: positive,
    unit: z.enum(["fraction", "quote"]),
    level,
  }),
  /** (peak - equity) / peak, the circuit breaker; `limit` is a fraction, at most 1 (0.2 = 20 %). */
  maxDrawdown: z.strictObject({ enabled: z.boolean(), limit: positive, level }),
  /**
   * The symbol's volatility figure (set by the runner with `recordBar`) above `max` denies entries in it.
   * `measure` and `window` tell the runner what to compute: the standard deviation of the last `window`
   * one-bar simple returns (`return_std`) or ATR(`window`) / close (`atr_pct`). `onMissing` decides when the
   * runner has no figure yet (warm-up).
   */
  volatilityHalt: z.strictObject({
    enabled: z.boolean(),
    max: positive,
    measure: z.enum(["return_std", "atr_pct"]),
    window: z.number().int().min(2),
    onMissing: z.enum(["deny", "allow"]),
    level,
  }),
  /** Entries are denied once this many closed trades in a row lost money. */
  maxConsecutiveLosses: z.strictObject({ enabled: z.boolean(), limit: count, level }),
  /** Entries are denied when `now - close time of the symbol's last bar > maxBarAgeMs`, or no bar was seen. */
  staleData: z.strictObject({ enabled: z.boolean(), maxBarAgeMs: z.number().int().positive(), level }),
};

type RuleShapes = typeof rules;

/** The rules of an account: every rule block, every field. */
export const RiskRulesSchema: z.ZodObject<RuleShapes, z.core.$strict> = z.strictObject(rules);
export type RiskRules = z.infer<typeof RiskRulesSchema>;

const overrideShape = Object.fromEntries(
  Object.entries(rules).map(([k, v]) => [k, v.partial().optional()]),
) as { [K in keyof RuleShapes]: z.ZodOptional<ReturnType<RuleShapes[K]["partial"]>> };

/** A strategy's override block: any rule, any field; merged field by field over the account's rules. */
export const RiskRulesOverrideSchema: z.ZodObject<typeof overrideShape, z.core.$strict> = z.strictObject(overrideShape);
export type RiskRulesOverride = z.infer<typeof RiskRulesOverrideSchema>;

/**
 * An account's risk config file (JSON). Strict: an unknown or malformed field is refused with its path.
 *
 * - `rules`: the account's rules (every field required, so the file shows every limit in force);
 * - `strategies`: per-strategy override blocks, merged field by field over `rules` for that strategy's intents;
 * - `flattenOnKill`: whether a kill (by a rule or an operator) also closes every position. The engine only
 *   reports it (`RiskEngine.flattenOnKill`); the runner sends the closing orders as part of the kill.
 */
export const RiskConfigSchema = z.strictObject({
  version: z.literal(1),
  flattenOnKill: z.boolean(),
  rules: RiskRulesSchema,
  strategies: z.record(z.string().min(1), RiskRulesOverrideSchema),
}).superRefine((cfg, ctx) => {
  // Checked on the merged rules of the account and of each strategy: an override of one field can break another.
  const blocks: [PropertyKey[], RiskRulesOverride | undefined][] = [[["rules"], undefined]];
  for (const [name, o] of Object.entries(cfg.strategies)) blocks.push([["strategies", name], o]);
  for (const [path, o] of blocks) {
    const w = { ...cfg.rules.tradingWindow, ...o?.tradingWindow };
    if (w.start === w.end) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "tradingWindow", "end"],
        message: `an empty window (start = end = "${w.start}"); use "00:00" to "24:00" for the whole day`,
      });
    }
    if (w.start === "24:00") {
      ctx.addIssue({
        code: "custom",
        path: [...path, "tradingWindow", "start"],
        message: 'start "24:00" is the next day; use "00:00"',
      });
    }
    const dd = { ...cfg.rules.maxDrawdown, ...o?.maxDrawdown };
    if (dd.limit > 1) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "maxDrawdown", "limit"],
        message: `a drawdown is a fraction of the peak, at most 1 (0.2 = 20 %) (got ${dd.limit})`,
      });
    }
    const dl = { ...cfg.rules.dailyLoss, ...o?.dailyLoss };
    if (dl.unit === "fraction" && dl.limit > 1) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "dailyLoss", "limit"],
        message: `a fraction of the day's start equity is at most 1 (0.03 = 3 %; or unit "quote" for an amount) ` +
          `(got ${dl.limit})`,
      });
    }
  }
});
export type RiskConfig = z.infer<typeof RiskConfigSchema>;
