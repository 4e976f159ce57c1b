/**
 * What a single-asset strategy emits, aligned to `frame.ts` (one element per bar).
 *
 * Signal arrays are `Uint8Array` with 1 where the event happens on that bar's close. The engine,
 * not the strategy, decides when the order fills (`fill: "next_open"` or `"close"`).
 */
export interface SignalSet {
  kind: "signals";
  /** Open (or add to nothing) a long position. */
  entries: Uint8Array;
  /** Close a long position. */
  exits: Uint8Array;
  /** Open a short position (ignored with `direction: "long"`). */
  shortEntries?: Uint8Array;
  /** Close a short position. Missing: the long `entries` close shorts (see `BacktestOptions.direction`). */
  shortExits?: Uint8Array;
}

/**
 * Target weights per bar: the fraction of equity to hold (negative is short). `NaN` means
 * "no change, keep what is held"; rebalancing happens only on bars with a finite weight.
 */
export interface WeightSet {
  kind: "weights";
  weights: Float64Array;
}

/** Output of a strategy's `signals`: event signals or target weights. */
export type Signals = SignalSet | WeightSet;
