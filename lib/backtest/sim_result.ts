import type { Table } from "apache-arrow";
import type { Order, Trade } from "../types/mod.ts";
import type { BacktestOptions } from "./backtest_options.ts";
import { equityTable } from "./_equity_table.ts";

/** Orders the engine did not make, by cause. */
export interface SkipCounts {
  /**
   * Notional below `minNotional`; also (portfolio rebalances) a sell whose proceeds would not
   * pay its fixed fee, so a fee alone never takes cash from the account.
   */
  minNotional: number;
  /** Units rounded down to zero lots. */
  lotZero: number;
  /** Not enough cash (or equity, for shorts) for the order, or a budget below the fixed fee. */
  insufficientCash: number;
  /** No price where the order would have filled: the asset had no bar there, or its open/close was NaN. */
  missingBar: number;
  /**
   * Orders the risk engine denied (`risk` runs only; absent otherwise). Each is listed in `denied`. An entry a
   * risk run sized to nothing at the decision's close is counted under its sizing cause instead.
   */
  risk?: number;
}

/** An order the risk engine denied in a backtest with risk limits (`runBacktest({ risk })`). */
export interface DeniedOrder {
  /** Bar index the order was decided on. */
  bar: number;
  /** That bar's open time (epoch ms). */
  ts: number;
  side: "buy" | "sell";
  /** True for exits (signal exits, stops, the exit half of a reversal). */
  reduceOnly: boolean;
  /** The rule that denied it (`trading_window`, `order_rate_day`, `halted`, ...). */
  code: string;
  /** What the denial did to the account: `warning` (this order only), `pause` or `kill`. */
  level: "warning" | "pause" | "kill";
  detail: string;
}

/** The fields of a {@link SimResult}. */
export interface SimResultInit {
  ts: Float64Array;
  /** The list, or a function that builds it on first access. */
  orders: Order[] | (() => Order[]);
  /** The list, or a function that builds it on first access. */
  trades: Trade[] | (() => Trade[]);
  equity: Float64Array;
  /** The array, or a function that builds it on first access. */
  cash: Float64Array | (() => Float64Array);
  /** The array, or a function that builds it on first access. */
  position: Float64Array | (() => Float64Array);
  exposure: number;
  turnover: number;
  feesPaid: number;
  skipped: SkipCounts;
  ruinedAt: number;
  options: BacktestOptions;
  /** Orders the risk engine denied (risk runs); default none. */
  denied?: DeniedOrder[];
}

/**
 * The outcome of one single-asset simulation. Arrays are per bar of the frame, at the bar's close.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { simulate } from "./simulate.ts";
 * const close = new Float64Array([10, 11, 12]);
 * const frame = new Frame(new Float64Array([0, 1, 2]), { close });
 * const r = simulate(frame, { kind: "signals", entries: new Uint8Array([1, 0, 0]), exits: new Uint8Array(3) }, {
 *   fill: "close",
 *   cash: 100,
 * });
 * assert.deepEqual([...r.equity], [100, 110, 120]);
 * assert.equal(r.equityArrow().numRows, 3);
 * ```
 */
export class SimResult {
  /** Bar times (the frame's `ts`). */
  readonly ts: Float64Array;
  #orders: Order[] | (() => Order[]);
  #trades: Trade[] | (() => Trade[]);
  /** Cash + position * close, per bar. After a final `finalize: "close"`, the last bar is net of its costs. */
  readonly equity: Float64Array;
  #cash: Float64Array | (() => Float64Array);
  #position: Float64Array | (() => Float64Array);
  /** Fraction of bars with a position at the close. */
  readonly exposure: number;
  /** Traded notional (sum over orders of size * price) divided by the mean of `equity`. */
  readonly turnover: number;
  /** Sum of all fees (relative and fixed). */
  readonly feesPaid: number;
  /** Orders not made, by cause. */
  readonly skipped: SkipCounts;
  /** Bar at which equity first reached <= 0 (trading stopped there), or -1. */
  readonly ruinedAt: number;
  /** The options as parsed, defaults included (for the manifest). */
  readonly options: BacktestOptions;
  /** Orders the risk engine denied, in decision order (empty without risk limits). */
  readonly denied: DeniedOrder[];

  constructor(init: SimResultInit) {
    this.ts = init.ts;
    this.#orders = init.orders;
    this.#trades = init.trades;
    this.equity = init.equity;
    this.#cash = init.cash;
    this.#position = init.position;
    this.exposure = init.exposure;
    this.turnover = init.turnover;
    this.feesPaid = init.feesPaid;
    this.skipped = init.skipped;
    this.ruinedAt = init.ruinedAt;
    this.options = init.options;
    this.denied = init.denied ?? [];
  }

  /** Every fill, in time order (built on first access). */
  get orders(): Order[] {
    if (typeof this.#orders === "function") this.#orders = this.#orders();
    return this.#orders;
  }

  /** Round trips, in exit order; an open trade last with `finalize: "open"` (built on first access). */
  get trades(): Trade[] {
    if (typeof this.#trades === "function") this.#trades = this.#trades();
    return this.#trades;
  }

  /** Cash per bar (built on first access). */
  get cash(): Float64Array {
    if (typeof this.#cash === "function") this.#cash = this.#cash();
    return this.#cash;
  }

  /** Signed units held at each bar's close (built on first access). */
  get position(): Float64Array {
    if (typeof this.#position === "function") this.#position = this.#position();
    return this.#position;
  }

  /** Final equity (the start cash for an empty frame). */
  get finalEquity(): number {
    return this.equity.length ? this.equity[this.equity.length - 1]! : this.options.cash;
  }

  /** The equity curve as an Arrow table: ts (Int64 epoch ms), equity, drawdown, cash, position. */
  equityArrow(): Table {
    return equityTable(this.ts, this.equity, { cash: this.cash, position: this.position });
  }
}
