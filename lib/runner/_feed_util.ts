// Small pieces the ccxt feeds (polling and streaming) share.
import type { FeedBar } from "./feed.ts";

/** `p`, or a rejection with the signal's reason as soon as it fires (the work behind `p` is abandoned). */
export function orAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) {
    p.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      p.catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** A ccxt OHLCV row (`[ts, open, high, low, close, volume]`) as a feed bar. */
export function toBar(c: number[], symbol: string, timeframe: string, exchange: string): FeedBar {
  return { symbol, timeframe, exchange, ts: c[0]!, open: c[1]!, high: c[2]!, low: c[3]!, close: c[4]!, volume: c[5]! };
}
