import { z } from "zod";

/**
 * How much to put into each entry made by a signal (target weights ignore it).
 *
 * Every budget includes fees: the cash an entry spends (notional + fee + fixedFee) equals the
 * budget, so `all` with fee `f` buys `(cash - fixedFee) / (price * (1 + f))` units.
 * - `all`: all available equity (single asset: the cash, since entries happen only when flat).
 * - `fraction`: `value` (0 < value <= 1) of equity, capped at what is available.
 * - `cash`: a fixed budget in quote currency; skipped (counted as insufficient cash) when not available.
 * - `units`: a fixed number of units (rounded down to the lot); skipped when it cannot be paid for.
 */
export type SizeSpec =
  | { kind: "all" }
  | { kind: "fraction"; value: number }
  | { kind: "cash"; value: number }
  | { kind: "units"; value: number };

/** Every option of a simulation, as parsed (defaults filled in). The manifest records this object. */
export interface BacktestOptions {
  /**
   * When a signal fills. `"next_open"` (default): a signal on bar t fills at bar t+1's open, and a
   * signal on the last bar does nothing. `"close"`: fills at bar t's close.
   */
  fill: "next_open" | "close";
  /** Relative fee, a fraction of the notional of each order, charged on entries and on exits. Default 0. */
  fee: number;
  /** Fixed fee per order in quote currency. Default 0. */
  fixedFee: number;
  /**
   * Full bid-ask spread as a fraction of the price: buys pay `price * (1 + spread/2)`, sells get
   * `price * (1 - spread/2)`. Default 0.
   */
  spread: number;
  /**
   * Slippage as a fraction, always adverse; added to the half spread: buys fill at
   * `price * (1 + spread/2 + slippage)`, sells at `price * (1 - spread/2 - slippage)`. Default 0.
   */
  slippage: number;
  /** Starting cash in quote currency. Default 10,000. */
  cash: number;
  /** Sizing of signal entries. Default `{ kind: "all" }`. See {@link SizeSpec}. */
  size: SizeSpec;
  /** Units are rounded down to a multiple of `lot` (0 = fractional units, the default). */
  lot: number;
  /**
   * Entries (and rebalancing orders) whose notional is below this are skipped and counted in
   * `skipped.minNotional`. The notional is units x fill price (after spread and slippage, before
   * fees): what is actually traded, in single-asset and portfolio runs alike. Full closes of a
   * position are never skipped for it; but a portfolio rebalancing sell whose proceeds do not
   * pay its fixed fee is skipped and counted there too. Default 0.
   */
  minNotional: number;
  /**
   * `"long"` (default), `"short"` or `"both"`. With `"both"`, `shortEntries` is required, and an
   * entry against an open position closes it and opens the other side in the same fill step
   * (exit reason `reversal`). With `"short"` and no `shortEntries`, the long pair is run as the
   * short pair (`entries` open shorts, `exits` close them).
   *
   * A missing `shortExits` (with `shortEntries` given) means the long `entries` close shorts, in
   * `"short"` as in `"both"`: with `"both"` a long entry reverses a short anyway, so a short
   * opened on the same bar closes on the same bar in both directions. Target weights are
   * clamped to the allowed side.
   */
  direction: "long" | "short" | "both";
  /**
   * Stop-loss as a fraction of the entry fill price (long: `entry * (1 - stopLoss)`, short:
   * `entry * (1 + stopLoss)`), or null (off, the default). Portfolio runs apply it per asset (see
   * simulatePortfolio).
   */
  stopLoss: number | null;
  /** Take-profit as a fraction of the entry fill price, or null (off, the default). */
  takeProfit: number | null;
  /**
   * Trailing stop as a fraction from the best price since entry (long: highest high, short:
   * lowest low; starting at the entry fill price), or null (off, the default).
   */
  trailingStop: number | null;
  /**
   * What to do with a position still open after the last bar: `"close"` (default) closes it at
   * the last close (costs applied, exit reason `end`), so the last bar is not counted as held in
   * `exposure` (the account is flat at that close); `"open"` reports it as an open trade marked
   * at the last close, without exit costs.
   *
   * backtesting.py differs: its `finalize_trades=True` closes open trades with market orders that
   * its broker fills on a re-run of the last bar, at that bar's **open** (its close only with
   * `trade_on_close=True`); ours fill at the last bar's close. The last bar's open-to-close move is
   * in our final trade and not in its.
   */
  finalize: "close" | "open";
  /** Asset name written into orders and trades of a single-asset run. Default `"asset"`. */
  asset: string;
}

/** What callers pass: any subset of {@link BacktestOptions}; missing fields take their defaults. */
export type BacktestOptionsInput = Partial<BacktestOptions>;

const fraction = z.number().min(0).lt(1);
const stop = z.number().gt(0).nullable().default(null);

/**
 * Zod schema of {@link BacktestOptions} with defaults. Unknown keys are rejected, so a typo
 * (`stoploss`) fails loudly instead of being ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BacktestOptionsSchema } from "./backtest_options.ts";
 * const o = BacktestOptionsSchema.parse({ fee: 0.001 });
 * assert.equal(o.fill, "next_open");
 * assert.deepEqual(o.size, { kind: "all" });
 * assert.equal(o.stopLoss, null);
 * ```
 */
export const BacktestOptionsSchema = z.strictObject({
  fill: z.enum(["next_open", "close"]).default("next_open"),
  fee: fraction.default(0),
  fixedFee: z.number().min(0).default(0),
  spread: fraction.default(0),
  slippage: fraction.default(0),
  cash: z.number().gt(0).default(10_000),
  size: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("all") }),
    z.strictObject({ kind: z.literal("fraction"), value: z.number().gt(0).max(1) }),
    z.strictObject({ kind: z.literal("cash"), value: z.number().gt(0) }),
    z.strictObject({ kind: z.literal("units"), value: z.number().gt(0) }),
  ]).default({ kind: "all" }),
  lot: z.number().min(0).default(0),
  minNotional: z.number().min(0).default(0),
  direction: z.enum(["long", "short", "both"]).default("long"),
  stopLoss: stop,
  takeProfit: stop,
  trailingStop: stop,
  finalize: z.enum(["close", "open"]).default("close"),
  asset: z.string().min(1).default("asset"),
}).refine((o) => o.spread / 2 + o.slippage < 1, {
  message: "spread/2 + slippage must be below 1 so that sells get a positive price",
});
