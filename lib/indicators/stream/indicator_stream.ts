/** One closed bar as the streams read it (a runner's bar object satisfies it). */
export interface StreamBar {
  /** First trade price of the bar. */
  open: number;
  /** Highest price. */
  high: number;
  /** Lowest price. */
  low: number;
  /** Last price. */
  close: number;
  /** Traded quantity. */
  volume: number;
}

/** The bar field a single-input stream reads. */
export type StreamColumn = "open" | "high" | "low" | "close" | "volume";

/**
 * An indicator fed one closed bar at a time. After the `i`-th push (`count === i + 1`) its
 * value is `Object.is`-equal to the vectorized indicator at index `i` over the same bars.
 */
export interface IndicatorStream {
  /** Feeds the next bar and returns the new value (the main output of multi-output indicators). */
  push(bar: StreamBar): number;
  /** Value after the last push; NaN before the first push and during warm-up. */
  readonly value: number;
  /** Number of bars pushed so far. */
  readonly count: number;
}
