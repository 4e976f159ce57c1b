import {
  candleProblem,
  checksAlignment,
  createExchange,
  hintFor,
  parseRaw,
  pointAt,
  rawBody,
} from "../data/_exchange.ts";
import { abortableSleep, backoffMs, type Ccxt, classify, retryAfterMs } from "../data/_retry.ts";
import { ExchangeError, TemporaryExchangeError, timeframeMs } from "../types/mod.ts";
import type { CcxtFeedCommonOptions, Feed, FeedBar, FeedStart } from "./feed.ts";
import { orAbort, toBar } from "./_feed_util.ts";
import { nextStep, type SymbolState } from "./_poll_merge.ts";

/**
 * What {@link CcxtPollingFeed} reports as it goes (`at` is the feed's clock, epoch ms). The runner logs these.
 *
 * - `start`: where each symbol starts: bars with an open time >= `from[symbol]` are yielded.
 * - `poll`: one `fetchOHLCV` answered: `rows` candles, of which `accepted` were new, closed and valid.
 * - `retry`: a request failed transiently (`rateLimit`: HTTP 429/418; `transient`: 5xx, timeout, network error,
 *   a body that is not JSON) and is tried again after `waitMs` (at least the `Retry-After`, when given).
 * - `malformed`: a candle was invalid (non-finite or missing number, low > high, negative, misaligned time): it is
 *   skipped, never yielded. When it was the newest served, the next poll asks for it again; when a valid later bar
 *   came in the same answer, the symbol shows a gap there.
 * - `late`: a batch was yielded without `symbol`, whose bar at `ts` was not served `graceMs` after its close; if
 *   it comes later, it comes in its own batch.
 */
export type FeedStatus =
  | { kind: "start"; at: number; from: Record<string, number> }
  | { kind: "poll"; at: number; symbol: string; since: number | undefined; rows: number; accepted: number }
  | {
    kind: "retry";
    at: number;
    /** Undefined while loading markets. */
    symbol?: string;
    cause: "rateLimit" | "transient";
    /** 0-based number of the failed attempt. */
    attempt: number;
    waitMs: number;
    retryAfterMs?: number;
    error: string;
  }
  | { kind: "malformed"; at: number; symbol: string; row: string; problem: string }
  | { kind: "late"; at: number; symbol: string; ts: number; waitedMs: number };

/** Options for {@link CcxtPollingFeed}. */
export interface CcxtPollingFeedOptions extends CcxtFeedCommonOptions {
  /** The clock deciding which bars are closed and how long a late bar was waited for. Default `Date.now`. */
  now?: () => number;
  /**
   * Wait between polls while a bar is due but not yet served (the feed otherwise sleeps until the next close).
   * Default a twentieth of the timeframe, between 1 s and 10 s.
   */
  pollMs?: number;
  /** How long after a bar's close the others wait for a symbol that has not got it yet. Default 10 s. */
  graceMs?: number;
  /** After a bar's close, wait this long before asking for it, so the exchange has its final trades. Default 500 ms. */
  settleMs?: number;
  /** Retries per request after the first attempt; then the feed throws `TemporaryExchangeError`. Default 10. */
  maxRetries?: number;
  /** Backoff: full jitter over `min(maxBackoffMs, baseBackoffMs * 2^attempt)`. Defaults 500 ms and 60 s. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Told about polls, retries, rate limits, malformed candles and late bars. */
  onStatus?: (status: FeedStatus) => void;
  /** Wait function; must reject when `signal` aborts. Default a timer. Tests inject one that moves a fake clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * A {@link Feed} of closed bars polled from an exchange through ccxt `fetchOHLCV`.
 *
 * - **Start.** Each symbol yields the bars after its `after` time; a symbol without one starts at the newest
 *   closed bar (the newest among the symbols without one, so they start together): a paper account does not trade
 *   history. Resuming far back pages through the missed bars, 1000 per request.
 * - **Closed bars only.** A candle is kept when `ts + timeframe <= now()` taken before the request, since exchanges
 *   return the forming bar last. Invalid candles are skipped and reported (`malformed`), never yielded.
 * - **Batches.** Bars with the same open time come together, in the order of `symbols`. When some symbols have the
 *   bar at `ts` and another has not, the batch waits for it until `graceMs` after the bar's close, then goes without
 *   it (`late`); the late bar, when served, comes in a batch of its own before that symbol's later bars. A gap the
 *   exchange shows (it serves a later bar) is passed on as it is; a gap at the newest bar cannot be told from a late
 *   bar, so it is waited for and reported `late`. Per symbol nothing is yielded twice or out of order.
 * - **Polling.** After each round it sleeps until the next bar should have closed (plus `settleMs`), or `pollMs`
 *   while a bar is due but missing, or until the end of a grace period.
 * - **Errors.** HTTP 429/418 (at least `Retry-After`), 5xx, timeouts, network errors and bodies that are not JSON
 *   are retried with backoff and reported (`retry`); past `maxRetries` the iterator throws
 *   `TemporaryExchangeError` (restart with `after` set to the last yielded times: nothing is lost). A permanent
 *   error (unknown symbol, bad request) throws `ExchangeError` naming the symbol and the fix.
 * - **Abort.** When `signal` fires the iterator ends without error, also during a sleep or a request (a request
 *   in flight is abandoned; ccxt ends it at its `timeout`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CcxtPollingFeed } from "./ccxt_polling_feed.ts";
 * import { startFakeExchange } from "../testing/fake_exchange.ts";
 * const m = 60_000, t0 = Date.UTC(2024, 0, 1);
 * const bars = Array.from({ length: 10 }, (_, i) => ({ ts: t0 + i * m, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 }));
 * let clock = t0 + 5.5 * m; // bars 0..4 are closed, bar 5 is forming
 * const fake = await startFakeExchange({ series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }], now: () => clock });
 * const feed = new CcxtPollingFeed({
 *   symbols: ["BTC/USDT"], timeframe: "1m", apiUrl: fake.url, now: () => clock,
 *   sleep: async (ms) => { clock += ms; }, // a clock that jumps instead of waiting
 * });
 * const seen: number[] = [];
 * for await (const batch of feed.batches({ after: new Map([["BTC/USDT", t0 + 2 * m]]) })) {
 *   seen.push(...batch.map((b) => (b.ts - t0) / m));
 *   if (seen.length === 5) break; // bars 3 and 4 at once, then 5, 6, 7 as the clock passes their closes
 * }
 * await fake.close();
 * assert.deepEqual(seen, [3, 4, 5, 6, 7]);
 * ```
 */
export class CcxtPollingFeed implements Feed {
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** ccxt exchange id. */
  readonly exchange: string;
  readonly #o: CcxtPollingFeedOptions;
  readonly #tf: number;
  readonly #pollMs: number;
  readonly #graceMs: number;
  readonly #settleMs: number;
  readonly #maxRetries: number;
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #limit: number;

  constructor(options: CcxtPollingFeedOptions) {
    this.#o = options;
    this.#tf = timeframeMs(options.timeframe);
    this.timeframe = options.timeframe;
    this.exchange = options.exchange ?? "binance";
    if (options.symbols.length === 0) throw new RangeError("No symbols: give at least one, like BTC/USDT");
    const dup = options.symbols.find((s, i) => options.symbols.indexOf(s) !== i);
    if (dup !== undefined) throw new RangeError(`Symbol ${JSON.stringify(dup)} is listed twice: list each once`);
    this.symbols = [...options.symbols];
    this.#pollMs = options.pollMs ?? Math.min(10_000, Math.max(1_000, Math.round(this.#tf / 20)));
    this.#graceMs = options.graceMs ?? 10_000;
    this.#settleMs = options.settleMs ?? 500;
    this.#maxRetries = options.maxRetries ?? 10;
    this.#baseMs = options.baseBackoffMs ?? 500;
    this.#maxMs = options.maxBackoffMs ?? 60_000;
    this.#limit = options.limit ?? 1000;
    const atLeast = (name: string, v: number, min: number, whole = false): void => {
      if (!(v >= min) || !Number.isFinite(v) || (whole && !Number.isInteger(v))) {
        throw new RangeError(`Invalid ${name} ${v}: use a ${whole ? "whole " : ""}number >= ${min}`);
      }
    };
    atLeast("pollMs", this.#pollMs, 1);
    atLeast("graceMs", this.#graceMs, 0);
    atLeast("settleMs", this.#settleMs, 0);
    atLeast("maxRetries", this.#maxRetries, 0, true);
    atLeast("baseBackoffMs", this.#baseMs, 0);
    atLeast("maxBackoffMs", this.#maxMs, this.#baseMs);
    atLeast("limit", this.#limit, 2, true);
    if (options.timeoutMs !== undefined) atLeast("timeoutMs", options.timeoutMs, 1);
    if (options.apiUrl !== undefined && !/^https?:\/\/[^/]+$/.test(options.apiUrl)) {
      throw new RangeError(
        `Invalid apiUrl ${JSON.stringify(options.apiUrl)}: use an origin like http://127.0.0.1:8080 (no path)`,
      );
    }
  }

  /** Polls until `start.signal` fires; see the class documentation. */
  batches(start: FeedStart): AsyncIterable<FeedBar[]> {
    return this.#run(start);
  }

  async *#run(start: FeedStart): AsyncGenerator<FeedBar[]> {
    const o = this.#o;
    const { signal } = start;
    const tf = this.#tf;
    const now = o.now ?? Date.now;
    const sleep = o.sleep ?? abortableSleep;
    const random = o.random ?? Math.random;
    const report = (s: FeedStatus): void => o.onStatus?.(s);
    if (signal?.aborted) return;
    // ccxt takes ~150 ms to import; load it only when a feed actually runs.
    const ccxt: Ccxt = (await import("ccxt")).default;
    const extra: Record<string, unknown> = { ...o.exchangeOptions };
    if (o.timeoutMs !== undefined) extra.timeout = o.timeoutMs;
    const ex = createExchange(ccxt, this.exchange, extra);
    if (o.apiUrl !== undefined) pointAt(ex, o.apiUrl);
    const checkAlign = checksAlignment(tf, this.timeframe);

    /** Runs one exchange call with the retry policy; rejects with the abort reason when `signal` fires. */
    const attempt = async <T>(symbol: string | undefined, what: string, fn: (k: number) => Promise<T>): Promise<T> => {
      for (let k = 0;; k++) {
        signal?.throwIfAborted();
        try {
          return await orAbort(fn(k), signal);
        } catch (e) {
          if (signal?.aborted) throw e;
          const kind = classify(e, ccxt);
          const msg = e instanceof Error ? e.message : String(e);
          const who = symbol === undefined ? ex.id : `${ex.id} ${symbol} ${this.timeframe}`;
          if (kind === "unknown") throw e;
          if (kind === "permanent") {
            throw new ExchangeError(
              `${who}: ${what} failed: ${msg}. ${hintFor(ccxt, e, symbol ?? "", this.timeframe)}`,
              { cause: e },
            );
          }
          if (k >= this.#maxRetries) {
            throw new TemporaryExchangeError(
              `${who}: ${what} still failing after ${k + 1} attempts (${msg.slice(0, 300)}). Start the feed again ` +
                `with \`after\` set to the last bar processed per symbol and it resumes there`,
              { cause: e },
            );
          }
          let waitMs = backoffMs(k, this.#baseMs, this.#maxMs, random);
          let after: number | undefined;
          if (kind === "rateLimit") {
            // An HTTP date in Retry-After is wall-clock time, whatever clock the feed runs on.
            after = retryAfterMs(ex.last_response_headers, Date.now());
            if (after !== undefined) waitMs = Math.max(waitMs, after);
          }
          report({
            kind: "retry",
            at: now(),
            ...(symbol === undefined ? {} : { symbol }),
            cause: kind === "rateLimit" ? "rateLimit" : "transient",
            attempt: k,
            waitMs,
            ...(after === undefined ? {} : { retryAfterMs: after }),
            error: msg.slice(0, 300),
          });
          await sleep(waitMs, signal);
        }
      }
    };

    /** One `fetchOHLCV`: the valid closed candles (sorted), how many rows came, when it was asked. */
    const fetchClosed = async (
      symbol: string,
      market: unknown,
      since: number | undefined,
      limit: number,
    ): Promise<{ candles: number[][]; rows: number; asked: number }> => {
      let asked = 0;
      const what = `fetchOHLCV since ${since === undefined ? "(newest)" : iso(since)}`;
      const { rows, raw } = await attempt(symbol, what, async () => {
        asked = now();
        const rows = await ex.fetchOHLCV(symbol, this.timeframe, since, limit);
        // A body that is not JSON reaches ccxt as an empty page; rawBody makes it the failed request it is.
        return { rows, raw: rawBody(ex) };
      });
      const reportBad = (row: unknown, problem: string): void =>
        report({ kind: "malformed", at: now(), symbol, row: JSON.stringify(row ?? null).slice(0, 160), problem });
      // The raw rows are judged when the body is an array (Binance-like) since ccxt silently drops some bad rows.
      if (Array.isArray(raw)) {
        for (const r of raw) {
          const why = candleProblem(parseRaw(ex, market, r), tf, checkAlign);
          if (why) reportBad(r, why);
        }
      }
      const candles: number[][] = [];
      for (const c of rows) {
        const why = candleProblem(c, tf, checkAlign);
        if (why) {
          if (!Array.isArray(raw)) reportBad(c, why);
          continue;
        }
        if ((c[0] as number) + tf <= asked) candles.push(c as number[]);
      }
      candles.sort((a, b) => a[0]! - b[0]!);
      return { candles, rows: Array.isArray(raw) ? raw.length : rows.length, asked };
    };

    try {
      await attempt(undefined, "loading markets", (k) => ex.loadMarkets(k > 0));
      const markets = new Map<string, unknown>();
      for (const symbol of this.symbols) {
        try {
          markets.set(symbol, ex.market(symbol));
        } catch (e) {
          throw new ExchangeError(
            `${ex.id} ${symbol} ${this.timeframe}: ${e instanceof Error ? e.message : e}. ` +
              hintFor(ccxt, e, symbol, this.timeframe),
            { cause: e },
          );
        }
      }
      if (!ex.has["fetchOHLCV"]) throw new ExchangeError(`${ex.id} has no OHLCV endpoint in ccxt`);
      if (ex.timeframes && Object.keys(ex.timeframes).length > 0 && !(this.timeframe in ex.timeframes)) {
        throw new ExchangeError(
          `${ex.id} has no ${this.timeframe} bars; use one of ${Object.keys(ex.timeframes).join(", ")}`,
        );
      }

      // Symbols without `after` start together at the newest closed bar any of them has.
      const fresh = this.symbols.filter((s) => !start.after.has(s));
      let newest = -Infinity;
      for (const symbol of fresh) {
        const { candles } = await fetchClosed(symbol, markets.get(symbol), undefined, 3);
        const last = candles.at(-1);
        if (last !== undefined && last[0]! > newest) newest = last[0]!;
      }
      // With no closed bar anywhere, start with the bar forming now.
      if (newest === -Infinity) newest = now() - tf + 1;
      const states: SymbolState[] = this.symbols.map((symbol) => {
        const after = start.after.get(symbol);
        const last = after ?? newest - 1;
        return { symbol, last, seen: last, pending: [] };
      });
      report({ kind: "start", at: now(), from: Object.fromEntries(states.map((s) => [s.symbol, s.last + 1])) });

      for (;;) {
        // One round: every symbol is paged up to the newest closed bar it serves.
        for (const s of states) {
          for (;;) {
            const since = s.seen + 1;
            const page = await fetchClosed(s.symbol, markets.get(s.symbol), since, this.#limit);
            let accepted = 0;
            for (const c of page.candles) {
              if (c[0]! <= s.seen) continue;
              s.pending.push(toBar(c, s.symbol, this.timeframe, ex.id));
              s.seen = c[0]!;
              accepted++;
            }
            report({ kind: "poll", at: now(), symbol: s.symbol, since, rows: page.rows, accepted });
            const windowEnd = since + this.#limit * tf;
            if (page.rows === 0 && windowEnd + tf <= page.asked) {
              // Nothing in a window of closed bars: an exchange answering fixed windows had a long gap there (one
              // answering the next bars that exist has nothing more). Either way, step past it.
              s.seen = windowEnd - 1;
              continue;
            }
            // A full page of closed bars means more may follow; a page that did not advance would loop.
            if (page.rows < this.#limit || accepted === 0) break;
          }
        }

        let wake = Infinity;
        for (;;) {
          const step = nextStep(states, now(), tf, this.#graceMs);
          if (step.kind === "idle") break;
          if (step.kind === "hold") {
            wake = step.until;
            break;
          }
          for (const symbol of step.late) {
            report({ kind: "late", at: now(), symbol, ts: step.ts, waitedMs: now() - (step.ts + tf) });
          }
          signal?.throwIfAborted();
          yield step.bars;
        }

        const t = now();
        let nextClose = Infinity;
        for (const s of states) nextClose = Math.min(nextClose, s.seen + 2 * tf);
        // A bar already due but not served: poll again soon; otherwise sleep until the next close.
        let waitMs = nextClose <= t ? this.#pollMs : nextClose + this.#settleMs - t;
        if (wake !== Infinity) waitMs = Math.min(waitMs, this.#pollMs, Math.max(0, wake - t));
        // Long timeframes still poll now and then, so a clock that jumped or drifted is noticed.
        await sleep(Math.max(0, Math.min(waitMs, MAX_IDLE_MS)), signal);
      }
    } catch (e) {
      if (signal?.aborted) return;
      throw e;
    } finally {
      await ex.close();
    }
  }
}

const MAX_IDLE_MS = 60_000;

function iso(t: number): string {
  return new Date(t).toISOString();
}
