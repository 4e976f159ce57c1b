import type { Exchange } from "ccxt";
import { Frame } from "../frame/mod.ts";
import {
  type Calendar,
  ExchangeError,
  formatSeries,
  type SeriesId,
  TemporaryExchangeError,
  timeframeMs,
} from "../types/mod.ts";
import { createExchange, hintFor, pointAt, validatePage } from "./_exchange.ts";
import { abortableSleep, backoffMs, type Ccxt, classify, retryAfterMs } from "./_retry.ts";
import type { BarSink, OnConflict } from "./bar_sink.ts";

/** What {@link DownloadOptions.onProgress} receives after every page. */
export interface DownloadProgress {
  /** `exchange:SYMBOL:timeframe`. */
  series: string;
  /** Bars stored by this run so far. */
  fetched: number;
  /** Bars expected for the whole range of this run (24/7 estimate: range / timeframe). */
  expected: number;
  /** Bars of the range covered so far (position of the cursor; counts gaps as covered). */
  covered: number;
  /** Covered bars per second since the start of this run. */
  barsPerSec: number;
  /** Seconds left at the current speed; NaN before the first page. */
  etaSec: number;
  /** Open time of the latest stored bar, or undefined before any. */
  lastTs: number | undefined;
  /** Pages fetched and retries made so far. */
  pages: number;
  retries: number;
  /** True on the last call. */
  done: boolean;
}

/** Options for {@link downloadOhlcv}. */
export interface DownloadOptions {
  /**
   * A ccxt exchange id (default `binance`) or a ccxt exchange instance. An id is created with
   * `enableRateLimit: true` (and, for binance, spot markets only) and closed at the end; an
   * instance belongs to the caller, who closes it.
   */
  exchange?: string | Exchange;
  /** Extra ccxt constructor options when `exchange` is an id (`timeout`, `rateLimit`, keys). */
  exchangeOptions?: Record<string, unknown>;
  /** ccxt symbol, `BTC/USDT`. */
  symbol: string;
  /** ccxt timeframe, `1m`, `1h`, `1d`. */
  timeframe: string;
  /** First bar wanted: epoch ms, or an ISO date (`2024-01-01`, UTC when no zone). */
  since: number | string;
  /** End (exclusive): epoch ms or ISO date. Default: the last closed bar. */
  until?: number | string;
  /** Where pages go; its `lastTs` decides where a re-run resumes. */
  sink: BarSink;
  /** Series id exchange name in the sink. Default the ccxt exchange id. */
  exchangeName?: string;
  /** Calendar passed to the sink. Default `24/7`. */
  calendar?: Calendar;
  /**
   * Passed to the sink: what to do with a downloaded bar whose time is stored with other values
   * (`fail`, the default, stops the download before that page is stored; `keep`; `replace`). A
   * download resumes after the last stored bar, so this only matters when another writer raced it.
   */
  onConflict?: OnConflict;
  /** Bars per request. Default 1000 (ccxt caps it to what the exchange allows). */
  limit?: number;
  /** Replaces the `https://host` origin of every REST URL in `ex.urls.api` (fakes, proxies, testnets). */
  apiUrl?: string;
  /** Retries per request after the first attempt. Default 5. */
  maxRetries?: number;
  /** Backoff: full jitter over `min(maxMs, baseMs * 2^attempt)`. Default `{ baseMs: 500, maxMs: 30_000 }`. */
  backoff?: { baseMs: number; maxMs: number };
  /** A `Retry-After` longer than this fails at once (a ban, not a pause). Default 120 s. */
  maxRetryAfterMs?: number;
  /** Aborts between pages and during waits; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after every page and once at the end. */
  onProgress?: (p: DownloadProgress) => void;
  /** Clock used to decide which bars are closed. Default `Date.now`. */
  now?: () => number;
  /** Wait function (tests inject a fake clock). Default a timer that honours `signal`. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** What {@link downloadOhlcv} did. */
export interface DownloadResult {
  id: SeriesId;
  /** Bars received and handed to the sink by this run. */
  fetched: number;
  /** Of those, as the sink counted them: new bars, bars equal to stored ones, bars that differed. */
  inserted: number;
  identical: number;
  differing: number;
  pages: number;
  /** Requests retried (all causes). */
  retries: number;
  /** Total time waited because of `Retry-After` headers, ms. */
  retryAfterWaitMs: number;
  /** Where this run started (epoch ms): `since`, or the bar after the sink's last one. */
  from: number;
  /** Exclusive end of the range this run aimed for. */
  to: number;
  /** True when this run started from the sink's last bar instead of `since`. */
  resumed: boolean;
  /** Open time of the latest bar in the sink after this run, or undefined. */
  lastTs: number | undefined;
  /** Sentences about anything odd (the exchange stopped advancing, ...). */
  warnings: string[];
}

/**
 * Downloads OHLCV bars with ccxt into a {@link BarSink}, page by page.
 *
 * - **Range.** From `since`, or from the sink's last bar + one timeframe when that is later
 *   (so a re-run resumes), to `until` or the last *closed* bar (`ts + timeframe <= now`).
 *   An unclosed bar is never stored.
 * - **Paging.** `fetchOHLCV(symbol, timeframe, cursor, limit)`; the cursor moves past the last
 *   returned bar, so pages starting later than asked (gaps) are fine. On an empty page it asks
 *   once for the newest bar: if that is older than the cursor there is nothing more and it stops;
 *   otherwise (exchanges answering fixed windows) it skips `limit` bars ahead. It stops at the end
 *   of the range, or when the exchange stops advancing (with a warning, never looping).
 * - **Storage.** Each page is validated, sorted, de-duplicated and appended as it arrives, so an
 *   interruption loses at most the page in flight and the next run resumes.
 * - **Validation.** Every candle must have finite numbers, 0 <= low <= high, non-negative prices
 *   and volume, and a time aligned to the timeframe (checked for timeframes dividing a day). A
 *   body that is not JSON, or (for exchanges answering a JSON array, like Binance) any raw row
 *   ccxt cannot parse into such a candle, makes the whole page malformed: it is never stored and
 *   the request is retried like a network error.
 * - **Retries.** ccxt `NetworkError`s (RequestTimeout, ExchangeNotAvailable, DDoSProtection,
 *   RateLimitExceeded), other `OperationFailed` errors and malformed pages are retried with
 *   exponential backoff and full jitter, up to `maxRetries`; on a rate limit the wait is at least
 *   the `Retry-After` header (ccxt raises 429/418 as DDoSProtection and keeps the headers in
 *   `last_response_headers`). Exhausted retries throw `TemporaryExchangeError` (re-running
 *   resumes). Permanent errors (BadSymbol, BadRequest, AuthenticationError, other ExchangeError)
 *   throw `ExchangeError` at once, naming the symbol.
 * - **Rate limit.** ccxt's own throttle (`enableRateLimit: true`) spaces requests.
 * - **Abort.** `signal` is checked between pages and interrupts waits; a request in flight
 *   finishes (bounded by ccxt's `timeout`) and is discarded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { downloadOhlcv, MemorySink } from "./mod.ts";
 * import { startFakeExchange } from "../testing/fake_exchange.ts";
 * const t0 = Date.UTC(2024, 0, 1), m = 60_000;
 * const bars = Array.from({ length: 5 }, (_, i) => ({ ts: t0 + i * m, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 }));
 * const fake = await startFakeExchange({ series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }] });
 * const sink = new MemorySink();
 * // The fake serves all 5 bars; at t0 + 4.5 min the last one is still open, so 4 are stored.
 * const r = await downloadOhlcv({
 *   symbol: "BTC/USDT", timeframe: "1m", since: "2024-01-01", sink, apiUrl: fake.url, now: () => t0 + 4.5 * m,
 * });
 * await fake.close();
 * assert.equal(r.fetched, 4);
 * assert.equal(await sink.lastTs(r.id), t0 + 3 * m);
 * ```
 */
export async function downloadOhlcv(options: DownloadOptions): Promise<DownloadResult> {
  const { symbol, timeframe, sink, signal } = options;
  const tf = timeframeMs(timeframe);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const maxRetries = options.maxRetries ?? 5;
  const backoff = options.backoff ?? { baseMs: 500, maxMs: 30_000 };
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
  const limit = options.limit ?? 1000;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new RangeError(`Invalid maxRetries ${maxRetries}: use a whole number >= 0`);
  }
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Invalid limit ${limit}: use a whole number >= 1`);
  if (!(backoff.baseMs >= 0 && backoff.maxMs >= backoff.baseMs)) {
    throw new RangeError(`Invalid backoff ${JSON.stringify(backoff)}: use { baseMs >= 0, maxMs >= baseMs }`);
  }
  const since = toMs(options.since, "since");
  const until = options.until === undefined ? Infinity : toMs(options.until, "until");

  const given = options.exchange ?? "binance";
  const owned = typeof given === "string";
  // ccxt takes ~150 ms to import; load it only when a download actually runs.
  const ccxt: Ccxt = (await import("ccxt")).default;
  const ex = typeof given === "string" ? createExchange(ccxt, given, options.exchangeOptions) : given;
  if (options.apiUrl !== undefined) pointAt(ex, options.apiUrl);
  const id: SeriesId = { exchange: options.exchangeName ?? ex.id, symbol, timeframe };
  const series = formatSeries(id);
  const state = { retries: 0, retryAfterWaitMs: 0 };
  const started = performance.now();

  /** Runs one exchange call with the retry policy. */
  const attempt = async <T>(what: string, fn: (retry: number) => Promise<T>): Promise<T> => {
    for (let k = 0;; k++) {
      signal?.throwIfAborted();
      try {
        return await fn(k);
      } catch (e) {
        const kind = classify(e, ccxt);
        const msg = e instanceof Error ? e.message : String(e);
        if (kind === "unknown") throw e;
        if (kind === "permanent") {
          throw new ExchangeError(
            `${series}: ${what} failed: ${msg}. ${hintFor(ccxt, e, symbol, timeframe)}`,
            { cause: e },
          );
        }
        if (k >= maxRetries) {
          throw new TemporaryExchangeError(
            `${series}: ${what} still failing after ${k + 1} attempts (${msg.slice(0, 300)}). ` +
              `Bars fetched so far are stored; run the same download again later and it resumes`,
            { cause: e },
          );
        }
        let wait = backoffMs(k, backoff.baseMs, backoff.maxMs, random);
        if (kind === "rateLimit") {
          const after = retryAfterMs(ex.last_response_headers, Date.now());
          if (after !== undefined) {
            if (after > maxRetryAfterMs) {
              throw new TemporaryExchangeError(
                `${series}: the exchange asked to wait ${Math.round(after / 1000)} s (Retry-After), longer than ` +
                  `maxRetryAfterMs ${maxRetryAfterMs} ms; run the same download again after that and it resumes`,
                { cause: e },
              );
            }
            wait = Math.max(wait, after);
            state.retryAfterWaitMs += after;
          }
        }
        state.retries++;
        await sleep(wait, signal);
      }
    }
  };

  try {
    signal?.throwIfAborted();
    // ccxt caches a failed loadMarkets promise; retries must ask for a reload.
    await attempt("loading markets", (retry) => ex.loadMarkets(retry > 0));
    let market: ReturnType<Exchange["market"]>;
    try {
      market = ex.market(symbol);
    } catch (e) {
      throw new ExchangeError(
        `${series}: ${e instanceof Error ? e.message : e}. ${hintFor(ccxt, e, symbol, timeframe)}`,
        {
          cause: e,
        },
      );
    }
    if (!ex.has["fetchOHLCV"]) {
      throw new ExchangeError(`${series}: ${ex.id} has no OHLCV endpoint in ccxt (has.fetchOHLCV is false)`);
    }
    if (ex.timeframes && Object.keys(ex.timeframes).length > 0 && !(timeframe in ex.timeframes)) {
      throw new ExchangeError(
        `${series}: ${ex.id} has no ${timeframe} bars; it offers ${Object.keys(ex.timeframes).join(", ")}`,
      );
    }

    const last = await sink.lastTs(id);
    const resumed = last !== undefined && last + tf > since;
    const from = resumed ? last + tf : since;
    // Exclusive end: `until`, or just past the last closed bar (a bar is closed when ts + tf <= now).
    const endOf = (): number => Math.min(until, now() - tf + 1);
    const to = endOf();
    const expected = Math.max(0, Math.ceil((to - from) / tf));
    let cursor = from;
    let fetched = 0, pages = 0, inserted = 0, identical = 0, differing = 0;
    let newest: number | undefined;
    let lastTs = last;
    const warnings: string[] = [];
    const progress = (done: boolean): void => {
      if (!options.onProgress) return;
      const covered = Math.min(expected, Math.max(0, Math.ceil((cursor - from) / tf)));
      const secs = (performance.now() - started) / 1000;
      const rate = secs > 0 ? covered / secs : 0;
      options.onProgress({
        series,
        fetched,
        expected,
        covered,
        barsPerSec: rate,
        etaSec: done ? 0 : rate > 0 ? (expected - covered) / rate : NaN,
        lastTs,
        pages,
        retries: state.retries,
        done,
      });
    };

    while (cursor < endOf()) {
      signal?.throwIfAborted();
      const pageFrom = cursor;
      const candles = await attempt(`fetchOHLCV from ${iso(pageFrom)}`, async () => {
        const rows = await ex.fetchOHLCV(symbol, timeframe, pageFrom, limit);
        validatePage(ex, market, rows, tf, timeframe);
        return rows;
      });
      signal?.throwIfAborted();
      pages++;
      if (candles.length === 0) {
        // Either nothing exists after the cursor (Binance answers the next bars that exist), or the
        // exchange answers a fixed window and this one fell in a gap. Ask once for the newest bar.
        if (newest === undefined) {
          const latest = await attempt("fetchOHLCV (newest bar)", async () => {
            const rows = await ex.fetchOHLCV(symbol, timeframe, undefined, 1);
            validatePage(ex, market, rows, tf, timeframe);
            return rows;
          });
          newest = latest.reduce((mx, c) => Math.max(mx, c[0] as number), -Infinity);
        }
        if (newest < pageFrom) break;
        cursor = pageFrom + limit * tf;
        progress(false);
        continue;
      }
      const end = endOf();
      const keep = candles.filter((c) => (c[0] as number) >= pageFrom && (c[0] as number) < end);
      if (keep.length > 0) {
        const frame = toFrame(keep);
        const r = await sink.append(id, frame, {
          calendar: options.calendar ?? "24/7",
          source: `ccxt:${ex.id}`,
          onConflict: options.onConflict ?? "fail",
        });
        fetched += frame.length;
        inserted += r.inserted;
        identical += r.identical;
        differing += r.differing;
        lastTs = frame.ts[frame.length - 1]!;
      }
      let maxTs = -Infinity;
      for (const c of candles) if ((c[0] as number) > maxTs) maxTs = c[0] as number;
      const next = maxTs + tf;
      if (next <= cursor) {
        warnings.push(
          `${series}: the exchange answered bars up to ${iso(maxTs)} when asked from ${iso(cursor)}; ` +
            `stopped there to avoid looping (the exchange may ignore "since" for this market)`,
        );
        break;
      }
      cursor = next;
      progress(false);
    }
    progress(true);
    return {
      id,
      fetched,
      inserted,
      identical,
      differing,
      pages,
      retries: state.retries,
      retryAfterWaitMs: state.retryAfterWaitMs,
      from,
      to,
      resumed,
      lastTs: await sink.lastTs(id),
      warnings,
    };
  } finally {
    if (owned) await ex.close();
  }
}

function toFrame(candles: (number | undefined)[][]): Frame {
  // ccxt sorts by time; sort again (stable) and keep the last of equal times.
  const sorted = candles.map((c, i) => ({ c, i })).sort((a, b) => a.c[0]! - b.c[0]! || a.i - b.i).map((x) => x.c);
  const rows = sorted.filter((c, i) => i + 1 >= sorted.length || sorted[i + 1]![0] !== c[0]);
  return Frame.fromBars(
    rows.map((c) => ({ ts: c[0]!, open: c[1]!, high: c[2]!, low: c[3]!, close: c[4]!, volume: c[5]! })),
  );
}

function toMs(v: number | string, what: string): number {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new RangeError(`Invalid ${what} ${v}: use epoch milliseconds or an ISO date`);
    return v;
  }
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(v) || /^\d{4}-\d\d-\d\d$/.test(v) ? v : `${v}Z`;
  const t = Date.parse(withZone.replace(" ", "T"));
  if (Number.isNaN(t)) {
    throw new RangeError(`Invalid ${what} ${JSON.stringify(v)}: use epoch milliseconds or an ISO date like 2024-01-01`);
  }
  return t;
}

function iso(t: number): string {
  return Number.isFinite(t) ? new Date(t).toISOString() : String(t);
}
