/** A closed bar of one symbol, as a feed delivers it (ts is the bar's open time, epoch ms UTC). */
export interface FeedBar {
  symbol: string;
  /** ccxt timeframe (`1m`, `1h`, `1d`). */
  timeframe: string;
  /** ccxt exchange id when the bar came from one. */
  exchange?: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** What every ccxt feed (polling or streaming) is told: the market, where to ask, how much per request. */
export interface CcxtFeedCommonOptions {
  /** ccxt exchange id. Default `binance` (spot markets). */
  exchange?: string;
  /** ccxt symbols, `BTC/USDT`; at least one, no duplicates. */
  symbols: readonly string[];
  /** ccxt timeframe, `1m`, `1h`, `1d`. */
  timeframe: string;
  /** Replaces the `https://host` origin of every REST URL (a fake exchange, a proxy, a testnet). */
  apiUrl?: string;
  /** Extra ccxt constructor options (`rateLimit`); `timeoutMs` wins over a `timeout` here. */
  exchangeOptions?: Record<string, unknown>;
  /** ccxt `timeout` per REST request, ms. Default 10 s. */
  timeoutMs?: number;
  /** Candles per REST request (the exchange may cap it). Default 1000. */
  limit?: number;
  /** Jitter source of the backoff, in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** Where a feed starts: per symbol, the open time of the last bar already processed (bars at or before it are skipped). */
export interface FeedStart {
  /** Last processed bar's open time per symbol; a symbol missing here starts from the feed's beginning. */
  after: ReadonlyMap<string, number>;
  /** Stops the feed: the iterator ends (no error) soon after it fires. */
  signal?: AbortSignal;
}

/**
 * A source of closed bars for the runner. `batches` yields bars in time order: each batch holds bars with the same
 * open time (one per symbol that has it), batches in increasing time; per symbol a bar is never yielded twice nor
 * out of order. A replay ends at the end of its data; a live feed runs until the signal fires.
 *
 * Implementations: `ReplayFeed` (a stored series or CSV, as fast as possible or at a speed factor) and
 * `CcxtPollingFeed` (closed bars polled through ccxt). A websocket feed (ccxt.pro) is a third implementation.
 */
export interface Feed {
  /** Symbols this feed delivers. */
  readonly symbols: readonly string[];
  /** ccxt timeframe of every bar. */
  readonly timeframe: string;
  batches(start: FeedStart): AsyncIterable<FeedBar[]>;
}
