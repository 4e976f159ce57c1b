import { AccountNameSchema } from "../types/mod.ts";
import { OrderRing } from "./order_ring.ts";
import type { RiskState } from "./risk_state.ts";

/** Options of `createRiskState`. */
export interface CreateRiskStateOptions {
  /** The account (its name is checked: `resume` after a kill must name it). */
  account: string;
  /** Starting cash, which is also the starting equity, peak and day-start equity (quote currency, >= 0). */
  cash: number;
  /** Time of creation (epoch ms UTC): sets the UTC day of the daily-loss reference. */
  now: number;
  /**
   * Order timestamps kept for the rate limits. Use `RiskEngine.ringCapacity` (the largest rate limit of the
   * config): fewer would undercount. Default 10,000.
   */
  ringCapacity?: number;
}

/**
 * A fresh `active` state for an account with only cash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRiskState } from "./mod.ts";
 * const s = createRiskState({ account: "paper-1", cash: 10_000, now: Date.UTC(2026, 0, 5) });
 * assert.equal(s.tradingState, "active");
 * assert.equal(s.dayStartEquity, 10_000);
 * ```
 */
export function createRiskState(options: CreateRiskStateOptions): RiskState {
  const account = AccountNameSchema.safeParse(options.account);
  if (!account.success) {
    throw new TypeError(`account ${JSON.stringify(options.account)}: ${account.error.issues[0]?.message}`);
  }
  const { cash, now } = options;
  if (!Number.isFinite(cash) || cash < 0) throw new RangeError(`cash must be a finite number >= 0, got ${cash}`);
  if (!Number.isFinite(now)) throw new RangeError(`now must be finite epoch ms, got ${now}`);
  return {
    account: account.data,
    tradingState: "active",
    reason: "",
    equity: cash,
    cash,
    equityPeak: cash,
    day: Math.floor(now / 86_400_000),
    dayStartEquity: cash,
    positions: new Map(),
    orders: new OrderRing(options.ringCapacity ?? 10_000),
    lastOrderAt: new Map(),
    consecutiveLosses: 0,
    volatility: new Map(),
    lastBarClose: new Map(),
  };
}
