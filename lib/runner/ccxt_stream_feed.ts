import type { Exchange, Ticker, Trade } from "ccxt";
import { candleProblem, checksAlignment, createExchange, hintFor, pointAt } from "../data/_exchange.ts";
import { abortableSleep, backoffMs, type Ccxt, classify } from "../data/_retry.ts";
import { ExchangeError, TemporaryExchangeError, timeframeMs } from "../types/mod.ts";
import { CcxtPollingFeed, type CcxtPollingFeedOptions } from "./ccxt_polling_feed.ts";
import type { CcxtFeedCommonOptions, Feed, FeedBar, FeedStart } from "./feed.ts";
import { orAbort, toBar } from "./_feed_util.ts";
import { nextStreamStep, type PendingBar, type StreamSymbolState } from "./_stream_merge.ts";
import {
  type LatencySnapshot,
  LatencyWindow,
  readKline,
  SpikeGuard,
  type SpikeGuardOptions,
  type StreamKline,
} from "./_stream_validate.ts";

export type { LatencySnapshot, SpikeGuardOptions } from "./_stream_validate.ts";

/** Why a backfill through REST ran. */
export type BackfillReason = "start" | "reconnect" | "gap" | "spike" | "stale";

/** Which websocket subscription a connection event is about. */
export type StreamChannel = "ohlcv" | "trades" | "ticker";

/**
 * What {@link CcxtStreamFeed} reports (`at`: wall clock, epoch ms). The runner turns these into audit events and
 * notifier messages. Informational: `start`, `backfill`, `reconnected`, `spikeChecked` with verdict `confirmed`.
 * The others are problems: the feed goes on after each (none is thrown), except a permanent REST error.
 *
 * - `start`: where each symbol starts (bars with open time >= `from[symbol]` are yielded).
 * - `malformed`: a kline message failed the schema (or ccxt could not handle it); it is dropped.
 * - `duplicate` / `outOfOrder`: a closed bar at or before the newest accepted one (`after`); dropped.
 * - `gap`: the stream skipped closed bars `from`..`to` (open times): REST backfills them before later bars go on.
 * - `spike`: a closed bar's close moved more than `limit` (a multiple of recent volatility, absolute log return)
 *   from the previous close. It is held back and checked against REST (see the class policy); `spikeChecked`
 *   follows.
 * - `spikeChecked`: REST's bar at `ts`: `confirmed` (same close: a real move, yielded), `replaced` (REST's bar was
 *   yielded instead), `missing` (REST has no such closed bar: nothing yielded at `ts`).
 * - `backfill`: `bars` closed bars from `from` came through REST (`reason` says why it ran).
 * - `disconnected`: a subscription failed or its socket closed; re-dialled after `waitMs` (exponential, jittered).
 * - `reconnected`: the subscription delivers again after `attempts` failed dials, `downMs` after it went down.
 * - `stale`: no kline message for `silentMs` (>= `staleMs`): the socket is closed, re-dialled and REST backfills.
 * - `late`: a batch went without `symbol`'s bar at `ts`, `waitedMs` after the first bar of `ts` arrived.
 * - `slow`: a message arrived `latencyMs` after its exchange event time (more than `maxLatencyMs`); reported when
 *   a symbol turns slow, again only after a message in time (a skewed clock must not flood the log).
 * - `restError`: a REST call failed; retried after `waitMs` (a backfill is tried again for as long as the
 *   feed runs; meanwhile the other symbols go on and this one is `late`).
 * - `fallback`: the socket could not be opened `failures` times in a row: the feed polls (CcxtPollingFeed) from here.
 */
export type StreamProblem =
  | { kind: "start"; at: number; from: Record<string, number> }
  | { kind: "malformed"; at: number; symbol?: string; problem: string; message: string }
  | { kind: "duplicate"; at: number; symbol: string; ts: number }
  | { kind: "outOfOrder"; at: number; symbol: string; ts: number; after: number }
  | { kind: "gap"; at: number; symbol: string; from: number; to: number }
  | {
    kind: "spike";
    at: number;
    symbol: string;
    ts: number;
    close: number;
    previous: number;
    move: number;
    limit: number;
  }
  | {
    kind: "spikeChecked";
    at: number;
    symbol: string;
    ts: number;
    verdict: "confirmed" | "replaced" | "missing";
    streamClose: number;
    restClose?: number;
  }
  | { kind: "backfill"; at: number; symbol: string; from: number; bars: number; reason: BackfillReason }
  | { kind: "disconnected"; at: number; channel: StreamChannel; error: string; attempt: number; waitMs: number }
  | { kind: "reconnected"; at: number; channel: StreamChannel; attempts: number; downMs: number }
  | { kind: "stale"; at: number; silentMs: number }
  | { kind: "late"; at: number; symbol: string; ts: number; waitedMs: number }
  | { kind: "slow"; at: number; symbol: string; latencyMs: number }
  | { kind: "restError"; at: number; symbol?: string; error: string; attempt: number; waitMs: number }
  | { kind: "fallback"; at: number; error: string; failures: number };

/** Per-symbol figures of {@link StreamFeedStats}. */
export interface SymbolStreamStats {
  /** Kline messages received (closed or not). */
  messages: number;
  /** Wall clock of the last kline message (NaN before one). */
  lastMessageAt: number;
  /** Open time of the newest bar yielded (NaN before one). */
  lastBarTs: number;
  /** Exchange event time to our receipt, per kline message. */
  latency: LatencySnapshot;
  /** Exchange event time of a bar's closing message to the batch that carries it being yielded. */
  lag: LatencySnapshot;
}

/** A snapshot for the monitor; see {@link CcxtStreamFeed.stats}. */
export interface StreamFeedStats {
  /** Wall clock of the snapshot. */
  at: number;
  /** `stream` (websocket), `polling` (fallback) or `idle` (not running). */
  mode: "stream" | "polling" | "idle";
  /** Whether the kline subscription is delivering (false from a drop until the next message). */
  connected: boolean;
  /** Successful re-subscriptions after a drop or a stale stream. */
  reconnects: number;
  /** Bars that came through REST backfills. */
  backfilled: number;
  /** Problems reported, by kind. */
  problems: Record<string, number>;
  /** All symbols together. */
  latency: LatencySnapshot;
  lag: LatencySnapshot;
  symbols: Record<string, SymbolStreamStats>;
}

/** Options for {@link CcxtStreamFeed}. */
export interface CcxtStreamFeedOptions extends CcxtFeedCommonOptions {
  /**
   * Replaces the spot websocket URL (`ws://127.0.0.1:PORT/stream/ws`). For binance keep `/stream` in it: ccxt.pro
   * tells spot from contract streams by it.
   */
  wsUrl?: string;
  /** The clock deciding which REST bars are closed (`ts + timeframe <= now()`). Default `Date.now`. */
  now?: () => number;
  /** How long after the first bar of an open time arrived the others wait for a missing symbol. Default 10 s. */
  graceMs?: number;
  /** No kline message for this long is a stale stream. Default 2 timeframes, at least 10 s. */
  staleMs?: number;
  /** A message older than this (event time to receipt) is reported `slow`. Default 5 s. */
  maxLatencyMs?: number;
  /** Spike test (see the class policy); `false` turns it off. */
  spike?: SpikeGuardOptions | false;
  /** Bars before the start fetched through REST to measure volatility. Default the spike window (50). */
  warmupBars?: number;
  /** Backoff of re-dials and REST retries: full jitter over `min(maxBackoffMs, baseBackoffMs * 2^attempt)`. */
  baseBackoffMs?: number;
  /** Default 30 s. */
  maxBackoffMs?: number;
  /** REST retries per request while starting (loading markets, first bars); then `TemporaryExchangeError`. Default 5. */
  maxRetries?: number;
  /** Failed dials in a row, with no message between, before the feed falls back to polling. Default 3. */
  fallbackAfter?: number;
  /** Options for the polling fallback (the shared ones are taken from here). */
  polling?: Partial<Omit<CcxtPollingFeedOptions, "symbols" | "timeframe">>;
  /** Told about every problem (and the informational events); see {@link StreamProblem}. Must not throw. */
  onProblem?: (problem: StreamProblem) => void;
  /** Subscribes to trades of every symbol (`watchTradesForSymbols`) for monitors; called with each new batch. */
  onTrades?: (trades: Trade[]) => void;
  /** Subscribes to tickers of every symbol (`watchTickers`) for monitors; called with each update. */
  onTickers?: (tickers: Record<string, Ticker>) => void;
}

interface Sym extends StreamSymbolState {
  marketId: string;
  guard: SpikeGuard | undefined;
  /** Open time of the newest close given to `guard`. */
  guardTs: number;
  /** Whether the volatility warm-up ran. */
  warmed: boolean;
  backfill: BackfillReason | undefined;
  /** Closed stream bars after a hole, kept until REST filled it. */
  ahead: PendingBar[];
  /** A spiked stream bar held back until REST has its say. */
  suspect: PendingBar | undefined;
  messages: number;
  lastMessageAt: number;
  lastBarTs: number;
  /** Whether the last message was `slow` (reported once per slow spell). */
  slow: boolean;
  latency: LatencyWindow;
  lag: LatencyWindow;
}

/**
 * A {@link Feed} of closed bars from an exchange's websocket (ccxt.pro `watchOHLCVForSymbols`: one subscription for
 * every symbol), with REST (`fetchOHLCV`) to fill what the stream missed and polling when it cannot be had.
 *
 * - **Messages.** Every kline message is read raw (ccxt.pro keeps only `[t, o, h, l, c, v]` and drops the closed
 *   flag and the event time) and schema-checked; a bad one is reported `malformed` and dropped. Only final updates
 *   (`x: true`) become bars; earlier updates count for staleness and latency.
 * - **Batches.** As {@link CcxtPollingFeed}: bars of one open time together, in `symbols` order, once every symbol
 *   has its bar or `graceMs` passed since the first of them arrived (`late`); a late bar comes later in its own
 *   batch. Per symbol nothing is yielded twice or out of order: duplicates and older bars are dropped (reported).
 * - **No holes.** At start (from `FeedStart.after`; a symbol without one starts at the newest closed bar, as the
 *   polling feed does), after every reconnect or stale stream, and whenever a closed bar arrives with bars missing
 *   before it, the symbol is backfilled through REST before its later bars go on. REST is the authority: a gap
 *   that REST also shows is passed on as it is.
 * - **Spikes.** A close moving more than `spike.multiple` RMS returns (over the last `spike.window` closes, at
 *   least `spike.floor`) from the previous close is held back, reported `spike`, and replaced by REST's bar for that
 *   time: the same bar when the move was real (`confirmed`), REST's when the stream was wrong (`replaced`), nothing
 *   when REST has none (`missing`). The stream never pushes an unconfirmed outlier into a strategy, and a real move
 *   costs one REST request of delay.
 * - **Connection.** ccxt.pro does not re-dial by itself: a failed or closed subscription is re-dialled with full
 *   jitter backoff (`disconnected`, then `reconnected`). No kline message for `staleMs` closes the socket and
 *   re-dials (`stale`). After `fallbackAfter` failed dials in a row (a socket closed for staleness counts as one)
 *   with no message between, the feed yields what it holds and goes on as a
 *   {@link CcxtPollingFeed} from the last bars yielded (`fallback`); start the feed again to stream again.
 * - **Errors.** Starting (markets, first bars) retries transient REST errors `maxRetries` times, then throws
 *   `TemporaryExchangeError`; an unknown symbol or timeframe throws `ExchangeError`. Once running, REST and socket
 *   failures are reported and retried, never thrown.
 * - **Measures.** {@link CcxtStreamFeed.stats}: per symbol and overall, latency (event time to receipt) and lag
 *   (event time of the closing message to the yield), p50/p99/max/last.
 * - **Abort.** When `signal` fires the iterator ends without error and the sockets close.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CcxtStreamFeed } from "./ccxt_stream_feed.ts";
 * import { startFakeExchange } from "../testing/fake_exchange.ts";
 * const m = 60_000, t0 = Date.UTC(2024, 0, 1);
 * const bars = Array.from({ length: 6 }, (_, i) => ({ ts: t0 + i * m, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 }));
 * let clock = t0 + 3 * m; // bars 0..2 are closed
 * const fake = await startFakeExchange({ series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }], now: () => clock });
 * const feed = new CcxtStreamFeed({
 *   symbols: ["BTC/USDT"], timeframe: "1m", apiUrl: fake.url, wsUrl: fake.ws.url, now: () => clock,
 * });
 * fake.ws.seek("BTC/USDT", "1m", t0 + 3 * m);
 * const seen: number[] = [];
 * for await (const batch of feed.batches({ after: new Map([["BTC/USDT", t0 + m]]) })) {
 *   seen.push(...batch.map((b) => (b.ts - t0) / m)); // bar 2 from REST, then 3 and 4 from the stream
 *   if (seen.length === 3) break;
 *   await fake.ws.waitForSubscribers("btcusdt@kline_1m");
 *   clock += m;
 *   fake.ws.nextBar("BTC/USDT", "1m");
 * }
 * await fake.close();
 * assert.deepEqual(seen, [2, 3, 4]);
 * ```
 */
export class CcxtStreamFeed implements Feed {
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** ccxt exchange id. */
  readonly exchange: string;
  readonly #o: CcxtStreamFeedOptions;
  readonly #tf: number;
  readonly #graceMs: number;
  readonly #staleMs: number;
  readonly #maxLatencyMs: number;
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #maxRetries: number;
  readonly #fallbackAfter: number;
  readonly #limit: number;
  readonly #warmup: number;
  #states: Sym[] = [];
  #mode: StreamFeedStats["mode"] = "idle";
  #connected = false;
  #reconnects = 0;
  #backfilled = 0;
  #problems: Record<string, number> = {};
  #latency = new LatencyWindow();
  #lag = new LatencyWindow();

  constructor(options: CcxtStreamFeedOptions) {
    this.#o = options;
    this.#tf = timeframeMs(options.timeframe);
    this.timeframe = options.timeframe;
    this.exchange = options.exchange ?? "binance";
    if (options.symbols.length === 0) throw new RangeError("No symbols: give at least one, like BTC/USDT");
    const dup = options.symbols.find((s, i) => options.symbols.indexOf(s) !== i);
    if (dup !== undefined) throw new RangeError(`Symbol ${JSON.stringify(dup)} is listed twice: list each once`);
    this.symbols = [...options.symbols];
    this.#graceMs = options.graceMs ?? 10_000;
    this.#staleMs = options.staleMs ?? Math.max(10_000, 2 * this.#tf);
    this.#maxLatencyMs = options.maxLatencyMs ?? 5_000;
    this.#baseMs = options.baseBackoffMs ?? 250;
    this.#maxMs = options.maxBackoffMs ?? 30_000;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#fallbackAfter = options.fallbackAfter ?? 3;
    this.#limit = options.limit ?? 1000;
    this.#warmup = options.warmupBars ?? (options.spike === false ? 0 : options.spike?.window ?? 50);
    const atLeast = (name: string, v: number, min: number, whole = false): void => {
      if (!(v >= min) || !Number.isFinite(v) || (whole && !Number.isInteger(v))) {
        throw new RangeError(`Invalid ${name} ${v}: use a ${whole ? "whole " : ""}number >= ${min}`);
      }
    };
    atLeast("graceMs", this.#graceMs, 0);
    atLeast("staleMs", this.#staleMs, 1);
    atLeast("maxLatencyMs", this.#maxLatencyMs, 0);
    atLeast("baseBackoffMs", this.#baseMs, 0);
    atLeast("maxBackoffMs", this.#maxMs, this.#baseMs);
    atLeast("maxRetries", this.#maxRetries, 0, true);
    atLeast("fallbackAfter", this.#fallbackAfter, 1, true);
    atLeast("limit", this.#limit, 2, true);
    atLeast("warmupBars", this.#warmup, 0, true);
    if (options.timeoutMs !== undefined) atLeast("timeoutMs", options.timeoutMs, 1);
    if (options.spike !== false) new SpikeGuard(options.spike); // throws on bad spike options now, not mid-run
    if (options.apiUrl !== undefined && !/^https?:\/\/[^/]+$/.test(options.apiUrl)) {
      throw new RangeError(
        `Invalid apiUrl ${JSON.stringify(options.apiUrl)}: use an origin like http://127.0.0.1:8080 (no path)`,
      );
    }
    if (options.wsUrl !== undefined && !/^wss?:\/\/[^/]+/.test(options.wsUrl)) {
      throw new RangeError(
        `Invalid wsUrl ${JSON.stringify(options.wsUrl)}: use a websocket URL like ws://127.0.0.1:9090/stream/ws`,
      );
    }
  }

  /** Streams until `start.signal` fires; see the class documentation. */
  batches(start: FeedStart): AsyncIterable<FeedBar[]> {
    return this.#run(start);
  }

  /** Latency, lag and health for the monitor, now. Cheap enough to call once a second (sorts 2048 numbers). */
  stats(): StreamFeedStats {
    const symbols: Record<string, SymbolStreamStats> = {};
    for (const s of this.#states) {
      symbols[s.symbol] = {
        messages: s.messages,
        lastMessageAt: s.lastMessageAt,
        lastBarTs: s.lastBarTs,
        latency: s.latency.snapshot(),
        lag: s.lag.snapshot(),
      };
    }
    return {
      at: Date.now(),
      mode: this.#mode,
      connected: this.#connected,
      reconnects: this.#reconnects,
      backfilled: this.#backfilled,
      problems: { ...this.#problems },
      latency: this.#latency.snapshot(),
      lag: this.#lag.snapshot(),
      symbols,
    };
  }

  async *#run(start: FeedStart): AsyncGenerator<FeedBar[]> {
    const o = this.#o;
    const tf = this.#tf;
    const now = o.now ?? Date.now;
    const random = o.random ?? Math.random;
    if (start.signal?.aborted) return;
    // Everything started here (loops, sleeps, requests) stops with `inner`: on abort and when the consumer stops.
    const inner = new AbortController();
    const onOuterAbort = (): void => inner.abort(start.signal?.reason);
    start.signal?.addEventListener("abort", onOuterAbort, { once: true });
    const signal = inner.signal;
    const report = (p: StreamProblem): void => {
      this.#problems[p.kind] = (this.#problems[p.kind] ?? 0) + 1;
      o.onProblem?.(p);
    };

    // One wake-up for the main loop: messages, loop events and the abort all call it. `woken` keeps a call made
    // while the loop was busy (a backfill, a yield) so the next wait returns at once instead of losing it.
    let wake: (() => void) | undefined;
    let woken = false;
    const notify = (): void => {
      woken = true;
      const w = wake;
      wake = undefined;
      w?.();
    };
    signal.addEventListener("abort", notify, { once: true });
    const waitFor = (ms: number): Promise<void> => {
      if (woken) {
        woken = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wake = undefined;
          resolve();
        }, Math.max(0, Math.min(ms, MAX_IDLE_MS)));
        wake = () => {
          clearTimeout(timer);
          woken = false;
          resolve();
        };
      });
    };

    const ccxt: Ccxt = (await import("ccxt")).default;
    const extra: Record<string, unknown> = { ...o.exchangeOptions };
    extra.timeout = o.timeoutMs ?? (extra.timeout as number | undefined) ?? 10_000;
    const ex = createExchange(ccxt.pro as unknown as Ccxt, this.exchange, extra);
    if (o.apiUrl !== undefined) pointAt(ex, o.apiUrl);
    if (o.wsUrl !== undefined) setWsUrl(ex, o.wsUrl);
    // Our own backoff (with jitter) paces re-dials; ccxt's would add a second, unjittered wait.
    const exOptions = ex.options as Record<string, unknown>;
    exOptions.ws = { ...(exOptions.ws as object | undefined), backoff: { base: 0, factor: 1, max: 0 } };
    const checkAlign = checksAlignment(tf, this.timeframe);

    const states: Sym[] = [];
    const byMarket = new Map<string, Sym>();
    const bySymbol = new Map<string, Sym>();
    let interval = this.timeframe;
    let lastKlineAt = Date.now();
    let fatal: unknown;
    let fallback: { error: string; failures: number } | undefined;
    const loops: Promise<void>[] = [];

    /** One REST call with up to `limit` retries, then `TemporaryExchangeError`. */
    const rest = async <T>(
      symbol: string | undefined,
      what: string,
      fn: (k: number) => Promise<T>,
      limit: number,
    ): Promise<T> => {
      for (let k = 0;; k++) {
        signal.throwIfAborted();
        try {
          return await orAbort(fn(k), signal);
        } catch (e) {
          if (signal.aborted) throw e;
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
          if (k >= limit) {
            throw new TemporaryExchangeError(
              `${who}: ${what} still failing after ${k + 1} attempts (${msg.slice(0, 300)}). Start the feed again ` +
                `with \`after\` set to the last bar processed per symbol and it resumes there`,
              { cause: e },
            );
          }
          const waitMs = backoffMs(Math.min(k, 20), this.#baseMs, this.#maxMs, random);
          report({
            kind: "restError",
            at: Date.now(),
            ...(symbol === undefined ? {} : { symbol }),
            error: msg.slice(0, 300),
            attempt: k,
            waitMs,
          });
          await abortableSleep(waitMs, signal);
        }
      }
    };

    /** Valid closed candles of one `fetchOHLCV`, sorted; `rows` is how many came. */
    const fetchClosed = async (
      s: Sym | string,
      since: number | undefined,
      limit: number,
      retries: number,
    ): Promise<{ candles: number[][]; rows: number }> => {
      const symbol = typeof s === "string" ? s : s.symbol;
      let asked = 0;
      const what = `fetchOHLCV since ${since === undefined ? "(newest)" : new Date(since).toISOString()}`;
      const rows = await rest(symbol, what, async () => {
        asked = now();
        return await ex.fetchOHLCV(symbol, this.timeframe, since, limit);
      }, retries);
      const candles: number[][] = [];
      for (const c of rows) {
        const why = candleProblem(c, tf, checkAlign);
        if (why) {
          report({ kind: "malformed", at: Date.now(), symbol, problem: `REST candle: ${why}`, message: json(c) });
        } else if ((c[0] as number) + tf <= asked) candles.push(c as number[]);
      }
      candles.sort((a, b) => a[0]! - b[0]!);
      return { candles, rows: rows.length };
    };

    const markBackfill = (s: Sym, reason: BackfillReason): void => {
      if (s.backfill === undefined) s.backfill = reason;
    };

    const accept = (s: Sym, p: PendingBar): void => {
      s.pending.push(p);
      s.seen = p.bar.ts;
      if (s.guard !== undefined && p.bar.ts > s.guardTs) {
        s.guard.accept(p.bar.close);
        s.guardTs = p.bar.ts;
      }
    };

    /** A closed bar from the stream (or held back from it); `trusted` after REST had its say on the hole. */
    const onClosed = (s: Sym, p: PendingBar, trusted: boolean): void => {
      const ts = p.bar.ts;
      if (ts <= s.seen || s.suspect?.bar.ts === ts) {
        if (ts === s.seen || s.suspect?.bar.ts === ts) report({ kind: "duplicate", at: p.at, symbol: s.symbol, ts });
        else report({ kind: "outOfOrder", at: p.at, symbol: s.symbol, ts, after: s.seen });
        return;
      }
      if (!trusted && (ts > s.seen + tf || s.suspect !== undefined)) {
        if (!s.ahead.some((a) => a.bar.ts === ts)) {
          s.ahead.push(p);
          s.ahead.sort((a, b) => a.bar.ts - b.bar.ts);
        }
        if (s.backfill === undefined && s.suspect === undefined) {
          report({ kind: "gap", at: p.at, symbol: s.symbol, from: s.seen + tf, to: ts - tf });
        }
        markBackfill(s, "gap");
        return;
      }
      const spike = s.guard?.judge(p.bar.close);
      if (spike !== undefined) {
        s.suspect = p;
        report({
          kind: "spike",
          at: p.at,
          symbol: s.symbol,
          ts,
          close: p.bar.close,
          previous: s.guard!.previous,
          move: spike.move,
          limit: spike.limit,
        });
        s.backfill = "spike";
        return;
      }
      accept(s, p);
    };

    const onKline = (k: StreamKline, at: number): void => {
      const s = byMarket.get(k.marketId);
      if (s === undefined || k.interval !== interval) return;
      lastKlineAt = at;
      s.messages++;
      s.lastMessageAt = at;
      const latency = at - k.eventTime;
      s.latency.add(latency);
      this.#latency.add(latency);
      // Reported when a symbol turns slow, not per message: a skewed clock would otherwise flood the audit log.
      if (latency > this.#maxLatencyMs) {
        if (!s.slow) report({ kind: "slow", at, symbol: s.symbol, latencyMs: latency });
        s.slow = true;
      } else s.slow = false;
      if (!k.closed) return;
      const bar: FeedBar = {
        symbol: s.symbol,
        timeframe: this.timeframe,
        exchange: ex.id,
        ts: k.ts,
        open: k.open,
        high: k.high,
        low: k.low,
        close: k.close,
        volume: k.volume,
      };
      onClosed(s, { bar, at, eventTime: k.eventTime }, false);
      notify();
    };

    // ccxt.pro binds handleMessage when it creates a client, so this wrapper sees every frame first.
    const exAny = ex as unknown as { handleMessage: (client: unknown, message: unknown) => unknown };
    const original = exAny.handleMessage.bind(ex);
    exAny.handleMessage = (client: unknown, message: unknown): unknown => {
      const at = Date.now();
      const read = readKline(message, tf);
      if (read !== undefined) {
        if (read.ok) onKline(read.kline, at);
        else {
          lastKlineAt = at;
          const s = read.marketId === undefined ? undefined : byMarket.get(read.marketId);
          report({
            kind: "malformed",
            at,
            ...(s === undefined ? {} : { symbol: s.symbol }),
            problem: read.problem,
            message: json(message),
          });
          return undefined; // ccxt.pro would store it with undefined prices
        }
      }
      try {
        return original(client, message);
      } catch (e) {
        report({ kind: "malformed", at, problem: `ccxt.pro could not handle it: ${e}`, message: json(message) });
        return undefined;
      }
    };

    /** Closes the sockets so the pending watches reject and their loops re-dial. */
    const dropSockets = (why: string): void => {
      const clients = (ex as unknown as { clients: Record<string, WsClientLike> }).clients ?? {};
      for (const [url, c] of Object.entries(clients)) {
        delete clients[url];
        try {
          c.reset(new ccxt.NetworkError(why));
        } catch { /* already reset */ }
        Promise.resolve().then(() => c.close()).catch(() => {});
      }
    };

    /** Keeps one watch pending on `channel`, re-dialling with backoff; ends with `signal`. */
    const watchLoop = async (channel: StreamChannel, watch: () => Promise<void>): Promise<void> => {
      let failures = 0;
      let downSince = 0;
      while (!signal.aborted) {
        try {
          await orAbort(watch(), signal);
          if (channel === "ohlcv") this.#connected = true;
          if (failures > 0) {
            report({
              kind: "reconnected",
              at: Date.now(),
              channel,
              attempts: failures,
              downMs: Date.now() - downSince,
            });
            if (channel === "ohlcv") {
              this.#reconnects++;
              for (const s of states) markBackfill(s, "reconnect");
              notify();
            }
            failures = 0;
          }
        } catch (e) {
          if (signal.aborted) return;
          const kind = classify(e, ccxt);
          if (kind === "permanent" || kind === "unknown") {
            fatal = kind === "unknown" ? e : new ExchangeError(
              `${ex.id} ${channel} subscription failed: ${e instanceof Error ? e.message : e}. ` +
                hintFor(ccxt, e, "", this.timeframe),
              { cause: e },
            );
            notify();
            return;
          }
          if (channel === "ohlcv") this.#connected = false;
          if (failures === 0) downSince = Date.now();
          failures++;
          const error = (e instanceof Error ? e.message : String(e)).slice(0, 300);
          if (channel === "ohlcv" && failures >= this.#fallbackAfter) {
            fallback = { error, failures };
            notify();
            return;
          }
          const waitMs = backoffMs(Math.min(failures - 1, 20), this.#baseMs, this.#maxMs, random);
          report({ kind: "disconnected", at: Date.now(), channel, error, attempt: failures - 1, waitMs });
          try {
            await abortableSleep(waitMs, signal);
          } catch {
            return;
          }
        }
      }
    };

    /** Fills a symbol from REST after its newest accepted bar; on failure it stays marked and is tried again. */
    const backfill = async (s: Sym): Promise<void> => {
      const reason = s.backfill!;
      const from = s.seen + tf;
      const warm = !s.warmed && s.guard !== undefined ? this.#warmup : 0;
      let since = Math.max(0, s.seen + 1 - warm * tf);
      let bars = 0;
      for (;;) {
        const page = await fetchClosed(s, since, this.#limit, 1);
        let advanced = false;
        for (const c of page.candles) {
          since = c[0]! + 1;
          if (c[0]! <= s.seen) {
            if (s.guard !== undefined && c[0]! > s.guardTs) {
              s.guard.accept(c[4]!);
              s.guardTs = c[0]!;
            }
            continue;
          }
          const bar = toBar(c, s.symbol, this.timeframe, ex.id);
          if (s.suspect !== undefined && s.suspect.bar.ts === bar.ts) {
            const same = s.suspect.bar.close === bar.close;
            report({
              kind: "spikeChecked",
              at: Date.now(),
              symbol: s.symbol,
              ts: bar.ts,
              verdict: same ? "confirmed" : "replaced",
              streamClose: s.suspect.bar.close,
              restClose: bar.close,
            });
            // A confirmed bar keeps its stream receipt so its lag is measured like any other.
            accept(s, same ? s.suspect : { bar, at: Date.now(), eventTime: NaN });
            s.suspect = undefined;
          } else accept(s, { bar, at: Date.now(), eventTime: NaN });
          bars++;
          advanced = true;
        }
        if (page.rows < this.#limit || !advanced) break;
      }
      s.warmed = true;
      if (s.suspect !== undefined) {
        if (s.suspect.bar.ts > s.seen) {
          report({
            kind: "spikeChecked",
            at: Date.now(),
            symbol: s.symbol,
            ts: s.suspect.bar.ts,
            verdict: "missing",
            streamClose: s.suspect.bar.close,
          });
        }
        s.suspect = undefined;
      }
      s.backfill = undefined;
      this.#backfilled += bars;
      report({ kind: "backfill", at: Date.now(), symbol: s.symbol, from, bars, reason });
      const ahead = s.ahead;
      s.ahead = [];
      for (const p of ahead) onClosed(s, p, true);
    };

    try {
      await rest(undefined, "loading markets", (k) => ex.loadMarkets(k > 0), this.#maxRetries);
      for (const symbol of this.symbols) {
        let market: { id: string };
        try {
          market = ex.market(symbol) as { id: string };
        } catch (e) {
          throw new ExchangeError(
            `${ex.id} ${symbol} ${this.timeframe}: ${e instanceof Error ? e.message : e}. ` +
              hintFor(ccxt, e, symbol, this.timeframe),
            { cause: e },
          );
        }
        const st: Sym = {
          symbol,
          marketId: market.id,
          last: 0,
          seen: 0,
          pending: [],
          guard: o.spike === false ? undefined : new SpikeGuard(o.spike),
          guardTs: -Infinity,
          warmed: false,
          backfill: "start",
          ahead: [],
          suspect: undefined,
          messages: 0,
          lastMessageAt: NaN,
          lastBarTs: NaN,
          slow: false,
          latency: new LatencyWindow(),
          lag: new LatencyWindow(),
        };
        states.push(st);
        byMarket.set(market.id, st);
        bySymbol.set(symbol, st);
      }
      if (!ex.has["watchOHLCVForSymbols"] && !ex.has["watchOHLCV"]) {
        throw new ExchangeError(`${ex.id} has no OHLCV stream in ccxt.pro; use CcxtPollingFeed`);
      }
      const tfs = ex.timeframes as Record<string, string> | undefined;
      if (tfs && Object.keys(tfs).length > 0) {
        if (!(this.timeframe in tfs)) {
          throw new ExchangeError(`${ex.id} has no ${this.timeframe} bars; use one of ${Object.keys(tfs).join(", ")}`);
        }
        interval = tfs[this.timeframe] ?? this.timeframe;
      }

      // Symbols without `after` start together at the newest closed bar any of them has.
      let newest = -Infinity;
      for (const s of states) {
        if (start.after.has(s.symbol)) continue;
        const { candles } = await fetchClosed(s, undefined, 3, this.#maxRetries);
        const last = candles.at(-1);
        if (last !== undefined && last[0]! > newest) newest = last[0]!;
      }
      if (newest === -Infinity) newest = now() - tf + 1;
      for (const s of states) s.last = s.seen = start.after.get(s.symbol) ?? newest - 1;
      report({ kind: "start", at: Date.now(), from: Object.fromEntries(states.map((s) => [s.symbol, s.last + 1])) });
      this.#states = states;
      this.#mode = "stream";

      const pairs = this.symbols.map((s) => [s, this.timeframe]);
      const watchOhlcv = ex.has["watchOHLCVForSymbols"]
        ? async () => void await ex.watchOHLCVForSymbols(pairs)
        : async () => void await Promise.race(this.symbols.map((s) => ex.watchOHLCV(s, this.timeframe)));
      lastKlineAt = Date.now();
      loops.push(watchLoop("ohlcv", watchOhlcv));
      if (o.onTrades !== undefined) {
        const onTrades = o.onTrades;
        const symbols = [...this.symbols];
        loops.push(watchLoop("trades", async () => {
          // ccxt.pro returns its cache: copy before handing it on.
          onTrades((await ex.watchTradesForSymbols(symbols)).map((t) => ({ ...t })));
        }));
      }
      if (o.onTickers !== undefined) {
        const onTickers = o.onTickers;
        const symbols = [...this.symbols];
        loops.push(watchLoop("ticker", async () => onTickers({ ...(await ex.watchTickers(symbols)) })));
      }

      let backfillAt = 0;
      let backfillFailures = 0;
      for (;;) {
        if (signal.aborted) return;
        if (fatal !== undefined) throw fatal;
        if (fallback !== undefined) {
          yield* this.#fallBack(states, fallback, start, report);
          return;
        }
        if (Date.now() >= backfillAt) {
          for (const s of states) {
            if (s.backfill === undefined) continue;
            try {
              await backfill(s);
              backfillFailures = 0;
            } catch (e) {
              if (signal.aborted) return;
              if (!(e instanceof TemporaryExchangeError)) throw e;
              // REST is down too: the symbol stays marked; the others go on (their batches turn it late).
              const waitMs = backoffMs(Math.min(backfillFailures, 20), this.#baseMs, this.#maxMs, random);
              report({
                kind: "restError",
                at: Date.now(),
                symbol: s.symbol,
                error: e.message.slice(0, 300),
                attempt: backfillFailures++,
                waitMs,
              });
              backfillAt = Date.now() + waitMs;
              break;
            }
          }
        }

        let holdUntil = Infinity;
        for (;;) {
          const step = nextStreamStep(states, Date.now(), this.#graceMs);
          if (step.kind === "idle") break;
          if (step.kind === "hold") {
            holdUntil = step.until;
            break;
          }
          const t = Date.now();
          for (const symbol of step.late) {
            report({ kind: "late", at: t, symbol, ts: step.ts, waitedMs: t - step.first });
          }
          const out: FeedBar[] = [];
          for (const p of step.bars) {
            const s = bySymbol.get(p.bar.symbol)!;
            s.lastBarTs = p.bar.ts;
            if (!Number.isNaN(p.eventTime)) {
              s.lag.add(t - p.eventTime);
              this.#lag.add(t - p.eventTime);
            }
            out.push(p.bar);
          }
          if (signal.aborted) return;
          yield out;
        }

        const t = Date.now();
        if (t - lastKlineAt >= this.#staleMs) {
          report({ kind: "stale", at: t, silentMs: t - lastKlineAt });
          lastKlineAt = t;
          for (const s of states) markBackfill(s, "stale");
          this.#connected = false;
          dropSockets(`no kline message for ${this.#staleMs} ms`);
          continue;
        }
        let deadline = Math.min(holdUntil, lastKlineAt + this.#staleMs);
        if (states.some((s) => s.backfill !== undefined)) deadline = Math.min(deadline, backfillAt);
        if (deadline <= t) continue;
        await waitFor(deadline - t);
      }
    } catch (e) {
      if (signal.aborted) return;
      throw e;
    } finally {
      start.signal?.removeEventListener("abort", onOuterAbort);
      inner.abort();
      this.#connected = false;
      this.#mode = "idle";
      await ex.close().catch(() => {});
      await Promise.allSettled(loops);
    }
  }

  /** Yields what is held, then polls from the last bars yielded. */
  async *#fallBack(
    states: Sym[],
    why: { error: string; failures: number },
    start: FeedStart,
    report: (p: StreamProblem) => void,
  ): AsyncGenerator<FeedBar[]> {
    report({ kind: "fallback", at: Date.now(), error: why.error, failures: why.failures });
    for (;;) {
      const step = nextStreamStep(states, Infinity, 0);
      if (step.kind !== "batch") break;
      yield step.bars.map((p) => p.bar);
    }
    this.#mode = "polling";
    const o = this.#o;
    const polling = new CcxtPollingFeed({
      exchange: this.exchange,
      ...(o.apiUrl === undefined ? {} : { apiUrl: o.apiUrl }),
      ...(o.exchangeOptions === undefined ? {} : { exchangeOptions: o.exchangeOptions }),
      ...(o.now === undefined ? {} : { now: o.now }),
      ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
      ...(o.random === undefined ? {} : { random: o.random }),
      graceMs: this.#graceMs,
      baseBackoffMs: this.#baseMs,
      maxBackoffMs: this.#maxMs,
      limit: this.#limit,
      ...o.polling,
      symbols: this.symbols,
      timeframe: this.timeframe,
      onStatus: (st) => {
        o.polling?.onStatus?.(st);
        if (st.kind === "late") {
          report({ kind: "late", at: Date.now(), symbol: st.symbol, ts: st.ts, waitedMs: st.waitedMs });
        } else if (st.kind === "malformed") {
          report({ kind: "malformed", at: Date.now(), symbol: st.symbol, problem: st.problem, message: st.row });
        } else if (st.kind === "retry") {
          report({
            kind: "restError",
            at: Date.now(),
            ...(st.symbol === undefined ? {} : { symbol: st.symbol }),
            error: st.error,
            attempt: st.attempt,
            waitMs: st.waitMs,
          });
        }
      },
    });
    const after = new Map(states.map((s) => [s.symbol, s.last]));
    for await (const batch of polling.batches({ after, ...(start.signal ? { signal: start.signal } : {}) })) {
      for (const b of batch) {
        const s = states.find((x) => x.symbol === b.symbol);
        if (s !== undefined) s.lastBarTs = b.ts;
      }
      yield batch;
    }
  }
}

const MAX_IDLE_MS = 60_000;

interface WsClientLike {
  reset(error: unknown): void;
  close(): Promise<unknown>;
}

function setWsUrl(ex: Exchange, url: string): void {
  const api = ex.urls["api"] as Record<string, unknown>;
  const ws = api["ws"];
  if (ws !== null && typeof ws === "object") {
    const w = ws as Record<string, unknown>;
    if ("spot" in w) w["spot"] = url;
    else for (const k of Object.keys(w)) if (typeof w[k] === "string") w[k] = url;
  } else api["ws"] = url;
}

function json(v: unknown): string {
  try {
    return JSON.stringify(v ?? null).slice(0, 200);
  } catch {
    return String(v).slice(0, 200);
  }
}
