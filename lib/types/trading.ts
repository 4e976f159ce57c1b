import { z } from "zod";

/**
 * Trading-half contracts shared by the risk engine (`lib/risk`), the audit log (`lib/audit`) and the runner
 * (`lib/runner`): accounts, order intents, fills and positions. Quantities are units of the base asset,
 * always positive (the side says the direction); prices and money are in the quote currency.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AccountNameSchema, OrderIntentSchema } from "./mod.ts";
 * assert.equal(AccountNameSchema.parse("paper-1"), "paper-1");
 * assert.throws(() => AccountNameSchema.parse("../etc"));
 * const intent = OrderIntentSchema.parse({
 *   clientOrderId: "paper-1-r1-42-BTCUSDT-buy",
 *   account: "paper-1",
 *   strategy: "sma_cross",
 *   symbol: "BTC/USDT",
 *   side: "buy",
 *   qty: 0.5,
 *   price: 30_000,
 *   reduceOnly: false,
 *   barTs: 1_700_000_000_000,
 * });
 * assert.equal(intent.type, "market");
 * ```
 * @module
 */

/** An account name: lower-case letters, digits, `-` and `_`, 1 to 64 characters (it names a folder). */
export const AccountNameSchema: z.ZodString = z.string().regex(
  /^[a-z0-9][a-z0-9_-]{0,63}$/,
  "an account name is 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit",
);
export type AccountName = z.infer<typeof AccountNameSchema>;

/** Buy or sell. */
export const SideSchema = z.enum(["buy", "sell"]);
export type Side = z.infer<typeof SideSchema>;

/** Trading state of an account: `reducing` allows exits only, `halted` allows nothing new. */
export const TradingStateSchema = z.enum(["active", "reducing", "halted"]);
export type TradingState = z.infer<typeof TradingStateSchema>;

const positive = z.number().finite().positive();

/**
 * What a strategy wants to do, before the risk engine and the broker. `clientOrderId` is deterministic
 * (derived from account, run, bar and symbol), so a restarted runner can look an intent up instead of
 * sending it again.
 */
export const OrderIntentSchema = z.strictObject({
  clientOrderId: z.string().min(1).max(64),
  account: AccountNameSchema,
  strategy: z.string().min(1),
  symbol: z.string().min(1),
  side: SideSchema,
  /** Units, positive. */
  qty: positive,
  /** Reference price for the checks (the expected fill: last close or the limit price). */
  price: positive,
  type: z.enum(["market", "limit"]).default("market"),
  /** True when the order only reduces or closes an existing position (an exit); exits pass `reducing`. */
  reduceOnly: z.boolean(),
  /** Open time (epoch ms UTC) of the bar the decision was made on. */
  barTs: z.number().int(),
  /** Links the bar, signal, decision, verdict, orders and fills of one decision. */
  correlationId: z.string().optional(),
});
export type OrderIntent = z.output<typeof OrderIntentSchema>;
export type OrderIntentInput = z.input<typeof OrderIntentSchema>;

/**
 * One execution of an order (a partial fill when `qty` is less than the order's). `fee` is always the fee valued in
 * the quote currency: cash, P&L and the risk engine use it. A live fill also says what the exchange actually
 * charged, `feeAsset` and `feeAmount` (0.00075 BNB, or 0.0005 BTC taken from a buy's proceeds), so the exchange's
 * balances can be rebuilt from the log; give both or neither.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FillSchema } from "./mod.ts";
 * const fill = { clientOrderId: "o1", symbol: "BTC/USDT", side: "buy", qty: 0.5, price: 100, fee: 0.05, ts: 0 };
 * assert.equal(FillSchema.parse({ ...fill, feeAsset: "BTC", feeAmount: 0.0005 }).feeAsset, "BTC");
 * assert.equal(FillSchema.safeParse({ ...fill, feeAsset: "BTC" }).success, false); // both or neither
 * ```
 */
export const FillSchema = z.strictObject({
  clientOrderId: z.string().min(1).max(64),
  symbol: z.string().min(1),
  side: SideSchema,
  qty: positive,
  price: positive,
  /** Fee paid, valued in the quote currency (>= 0). */
  fee: z.number().finite().nonnegative(),
  /** Execution time, epoch ms UTC. */
  ts: z.number().int(),
  /** The asset the exchange took the fee in (`BNB`, or the asset received on Binance spot). */
  feeAsset: z.string().min(1).max(32).optional(),
  /** How much of `feeAsset` was taken (>= 0). */
  feeAmount: z.number().finite().nonnegative().optional(),
}).refine((f) => (f.feeAsset === undefined) === (f.feeAmount === undefined), {
  message: "feeAsset and feeAmount go together: give both (the fee as charged) or neither",
  path: ["feeAmount"],
});
export type Fill = z.infer<typeof FillSchema>;

/** A position in one symbol: `qty` is signed (negative = short); `avgPrice` is the average entry price. */
export interface Position {
  symbol: string;
  qty: number;
  avgPrice: number;
}
