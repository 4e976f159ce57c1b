import { z } from "zod";
import { AccountNameSchema, TradingStateSchema } from "../types/mod.ts";

const finite = z.number().finite();
const ms = z.number().int();

/**
 * The JSON form of a `RiskState` (`riskStateToJSON` / `riskStateFromJSON`): maps become records, the order ring
 * its kept timestamps (oldest first) and its capacity. Strict: a snapshot with an unknown or malformed field is
 * refused with the field's path.
 */
export const RiskStateJsonSchema = z.strictObject({
  version: z.literal(1),
  account: AccountNameSchema,
  tradingState: TradingStateSchema,
  reason: z.string(),
  equity: finite,
  cash: finite,
  equityPeak: finite,
  day: z.number().int(),
  dayStartEquity: finite,
  positions: z.array(z.strictObject({
    symbol: z.string().min(1),
    qty: finite,
    avgPrice: finite,
    lastPrice: finite,
  })),
  orders: z.strictObject({ capacity: z.number().int().min(1), timestamps: z.array(ms) }),
  lastOrderAt: z.record(z.string(), ms),
  consecutiveLosses: z.number().int().min(0),
  volatility: z.record(z.string(), z.number().finite().min(0)),
  lastBarClose: z.record(z.string(), finite),
});
export type RiskStateJson = z.infer<typeof RiskStateJsonSchema>;
