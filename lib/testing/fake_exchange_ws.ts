import type { Bar } from "../types/mod.ts";
import { timeframeMs } from "../types/mod.ts";
import { TcpProxy } from "./_tcp_proxy.ts";

/** Options of a pushed kline. */
export interface KlineOptions {
  /** The `x` flag. Default true (the closing update of the bar). */
  closed?: boolean;
  /** The event time `E` (epoch ms). Default the wall clock when sent; set it in the past for a late message. */
  eventTime?: number;
  /** Hold the message this long before it goes out, so later messages overtake it. */
  delayMs?: number;
  /** Whether the exchange's price (what orders fill at) moves to this kline. Default true. */
  moveMarket?: boolean;
}

/** Options of {@link FakeStreams.nextBar}. */
export interface NextBarOptions extends Omit<KlineOptions, "closed"> {
  /** Unclosed updates (`x: false`) sent before the closing one, the close walking from open to close. Default 0. */
  updates?: number;
  /** Multiply the closing kline's close (and the high, or the low when below 1) by this factor: a price spike. */
  spike?: number;
}

/** A trade to push on `<sym>@trade`. */
export interface FakeTradeEvent {
  /** Trade price `p`; also the exchange's new price unless `moveMarket` is false. */
  price: number;
  /** Trade quantity `q`. */
  qty: number;
  /** Trade time `T`. Default the wall clock. */
  ts?: number;
  /** `m`: the buyer was the maker (a sell took the bid). Default false. */
  buyerMaker?: boolean;
  /** Trade id `t`. Default a counter from 1. */
  id?: number;
  /** Event time `E`. Default the wall clock. */
  eventTime?: number;
  /** Hold the message this long before it goes out. */
  delayMs?: number;
  /** Whether the exchange's price moves to this trade. Default true. */
  moveMarket?: boolean;
}

/** How the fake drops its sockets. */
export interface DropOptions {
  /** Close code sent in the close frame. Default 1001 (going away), what Binance sends before maintenance. */
  code?: number;
  /** Close reason. Default `going away`. */
  reason?: string;
  /** Cut the TCP connections without a close frame (Deno clients see an error, `Unexpected EOF`, then 1006). */
  abrupt?: boolean;
  /** Only sockets subscribed to this stream (`btcusdt@kline_1m`). Default all. */
  stream?: string;
}

/** One JSON-RPC message a client sent (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS). */
export interface FakeWsRequest {
  /** Arrival (wall clock, epoch ms). */
  at: number;
  /** Socket number, from 1 in connection order. */
  socket: number;
  /** Path the socket was opened on, `/stream/ws/0`. */
  path: string;
  /** `SUBSCRIBE`, `UNSUBSCRIBE`, ... */
  method: string;
  /** The `params` as sent. */
  params: unknown;
  /** The request `id` as sent. */
  id: unknown;
}

/** @internal What the fake exchange gives its streams. */
export interface FakeStreamsHost {
  /** The bars of a series, sorted, not copied. */
  series(symbol: string, timeframe: string): readonly Bar[] | undefined;
  /** A market price event (the matching engine). */
  onPrice(marketId: string, high: number, low: number, close: number): void;
  shape: "combined" | "raw";
  paceMs: number;
}

interface Conn {
  n: number;
  socket: WebSocket;
  path: string;
  remotePort: number;
  streams: Set<string>;
  queue: string[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Binance-shaped market streams of the fake exchange, served on their own port through a TCP relay (so a test can
 * cut a connection without a close frame). Clients connect to `url` plus anything (ccxt.pro appends `/<n>`) and
 * send Binance's `SUBSCRIBE` JSON-RPC; the test pushes klines and trades, and injects faults: dropped sockets, a
 * stall, duplicate, out-of-order, spiked and late messages. Created by `startFakeExchange` as `fake.ws`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startFakeExchange } from "./fake_exchange.ts";
 * const bars = [0, 1].map((i) => ({ ts: i * 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 }));
 * const fake = await startFakeExchange({ series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }] });
 * const socket = new WebSocket(`${fake.ws.url}/0`);
 * const got: unknown[] = [];
 * socket.onmessage = (e) => got.push(JSON.parse(e.data));
 * await new Promise((resolve) => socket.onopen = resolve);
 * socket.send(JSON.stringify({ method: "SUBSCRIBE", params: ["btcusdt@kline_1m"], id: 1 }));
 * await fake.ws.waitForSubscribers("btcusdt@kline_1m");
 * fake.ws.nextBar("BTC/USDT", "1m");
 * while (got.length < 2) await new Promise((r) => setTimeout(r, 5));
 * assert.deepEqual(got[0], { result: null, id: 1 });
 * assert.equal((got[1] as { stream: string }).stream, "btcusdt@kline_1m");
 * socket.close();
 * await fake.close();
 * ```
 */
export class FakeStreams {
  readonly #host: FakeStreamsHost;
  readonly #conns = new Set<Conn>();
  readonly #subs = new Map<string, Set<Conn>>();
  readonly #cursor = new Map<string, number>();
  readonly #lastClosed = new Map<string, { symbol: string; tf: string; bar: Bar }>();
  readonly #waiters = new Set<() => void>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #requests: FakeWsRequest[] = [];
  #proxy: TcpProxy | undefined;
  #stalled: false | "hold" | "discard" = false;
  #nextConn = 1;
  #nextTradeId = 1;
  #sent = 0;

  /** @internal Made by `startFakeExchange`. */
  constructor(host: FakeStreamsHost) {
    this.#host = host;
  }

  /** `ws://127.0.0.1:PORT/stream/ws`: set it as ccxt.pro's `urls.api.ws.spot` (keep `/stream`: ccxt tests for it). */
  get url(): string {
    if (this.#proxy === undefined) throw new Error("fake streams: not listening yet (startFakeExchange starts them)");
    return `ws://127.0.0.1:${this.#proxy.port}/stream/ws`;
  }

  /** Open sockets. */
  get connections(): number {
    return this.#conns.size;
  }

  /** Every JSON-RPC message clients sent, in arrival order. */
  get requests(): readonly FakeWsRequest[] {
    return this.#requests;
  }

  /** Data messages sent so far (acks excluded), counted once per socket. */
  get sent(): number {
    return this.#sent;
  }

  /** Streams with at least one subscriber, sorted. */
  subscriptions(): string[] {
    return [...this.#subs].filter(([, s]) => s.size > 0).map(([k]) => k).sort();
  }

  /** Sockets subscribed to `stream` (`btcusdt@kline_1m`, `ethusdt@trade`). */
  subscribers(stream: string): number {
    return this.#subs.get(stream)?.size ?? 0;
  }

  /** Resolves once `stream` has `count` subscribers; rejects after `timeoutMs` naming what is subscribed. */
  waitForSubscribers(stream: string, count = 1, timeoutMs = 5_000): Promise<void> {
    if (this.subscribers(stream) >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.subscribers(stream) < count) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `fake streams: ${stream} has ${
              this.subscribers(stream)
            } subscriber(s), not ${count}, after ${timeoutMs} ms; ` +
              `subscribed: [${this.subscriptions().join(", ")}]`,
          ),
        );
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }

  /** Sends one kline of `bar` on `<sym>@kline_<tf>`; returns the number of sockets it went to. */
  kline(symbol: string, timeframe: string, bar: Bar, options: KlineOptions = {}): number {
    const id = marketId(symbol);
    const closed = options.closed ?? true;
    if (options.moveMarket ?? true) this.#host.onPrice(id, bar.high, bar.low, bar.close);
    if (closed) this.#lastClosed.set(`${id} ${timeframe}`, { symbol, tf: timeframe, bar });
    const stream = `${id.toLowerCase()}@kline_${timeframe}`;
    if (this.subscribers(stream) === 0 && options.delayMs === undefined) return 0;
    const E = options.eventTime ?? Date.now();
    const tf = timeframeMs(timeframe);
    const s = String;
    const data = {
      e: "kline",
      E,
      s: id,
      k: {
        t: bar.ts,
        T: bar.ts + tf - 1,
        s: id,
        i: timeframe,
        f: 1,
        L: 2,
        o: s(bar.open),
        c: s(bar.close),
        h: s(bar.high),
        l: s(bar.low),
        v: s(bar.volume),
        n: 2,
        x: closed,
        q: s(bar.volume * bar.close),
        V: "0",
        Q: "0",
        B: "0",
      },
    };
    return this.#publish(stream, data, options.delayMs);
  }

  /**
   * Sends the next bar of a served series (from the first bar, or where {@link FakeStreams.seek} put it), with
   * `updates` unclosed klines before the closing one. Returns the bar as sent, or undefined at the end.
   */
  nextBar(symbol: string, timeframe: string, options: NextBarOptions = {}): Bar | undefined {
    const key = `${marketId(symbol)} ${timeframe}`;
    const series = this.#host.series(symbol, timeframe);
    if (series === undefined) {
      throw new Error(`fake streams: no series ${symbol} ${timeframe}; add it with series or fake.setBars() first`);
    }
    const i = this.#cursor.get(key) ?? 0;
    const bar = series[i];
    if (bar === undefined) return undefined;
    this.#cursor.set(key, i + 1);
    const { updates = 0, spike, ...rest } = options;
    for (let j = 1; j <= updates; j++) {
      const c = bar.open + (bar.close - bar.open) * (j / (updates + 1));
      const partial = {
        ts: bar.ts,
        open: bar.open,
        high: Math.max(bar.open, c),
        low: Math.min(bar.open, c),
        close: c,
        volume: bar.volume * (j / (updates + 1)),
      };
      this.kline(symbol, timeframe, partial, { ...rest, closed: false });
    }
    let out = bar;
    if (spike !== undefined) {
      const c = bar.close * spike;
      out = { ...bar, close: c, high: Math.max(bar.high, c), low: Math.min(bar.low, c) };
    }
    this.kline(symbol, timeframe, out, { ...rest, closed: true });
    return out;
  }

  /** Points `nextBar` at the first bar at or after `ts`. */
  seek(symbol: string, timeframe: string, ts: number): void {
    const series = this.#host.series(symbol, timeframe) ?? [];
    let i = 0;
    while (i < series.length && series[i]!.ts < ts) i++;
    this.#cursor.set(`${marketId(symbol)} ${timeframe}`, i);
  }

  /** Sends the last closed kline of a series again (a duplicate bar); the market does not move. */
  repeatBar(symbol: string, timeframe: string, options: Omit<KlineOptions, "closed"> = {}): Bar | undefined {
    const last = this.#lastClosed.get(`${marketId(symbol)} ${timeframe}`);
    if (last === undefined) return undefined;
    this.kline(symbol, timeframe, last.bar, { moveMarket: false, ...options, closed: true });
    return last.bar;
  }

  /** Sends a trade on `<sym>@trade`; returns the number of sockets it went to. */
  trade(symbol: string, t: FakeTradeEvent): number {
    const id = marketId(symbol);
    if (t.moveMarket ?? true) this.#host.onPrice(id, t.price, t.price, t.price);
    const stream = `${id.toLowerCase()}@trade`;
    const tradeId = t.id ?? this.#nextTradeId++;
    if (this.subscribers(stream) === 0 && t.delayMs === undefined) return 0;
    const now = Date.now();
    const data = {
      e: "trade",
      E: t.eventTime ?? now,
      s: id,
      t: tradeId,
      p: String(t.price),
      q: String(t.qty),
      T: t.ts ?? now,
      m: t.buyerMaker ?? false,
      M: true,
    };
    return this.#publish(stream, data, t.delayMs);
  }

  /** Closes sockets (all, or those on `stream`); returns how many. ccxt.pro does not re-dial by itself. */
  drop(options: DropOptions = {}): number {
    const targets = [...this.#conns].filter((c) => options.stream === undefined || c.streams.has(options.stream));
    for (const c of targets) {
      this.#forget(c);
      if (options.abrupt) this.#proxy?.cut(c.remotePort);
      else {
        try {
          c.socket.close(options.code ?? 1001, options.reason ?? "going away");
        } catch {
          // already closing
        }
      }
    }
    return targets.length;
  }

  /**
   * Stops sending: sockets stay open and quiet. `hold` (default) keeps what is pushed meanwhile and sends it on
   * {@link FakeStreams.resume} (late messages); `discard` loses it.
   */
  stall(mode: "hold" | "discard" = "hold"): void {
    this.#stalled = mode;
  }

  /** Ends a stall, sending what was held. */
  resume(): void {
    this.#stalled = false;
    for (const c of this.#conns) this.#flush(c);
  }

  /** @internal The upgrade of a request that reached the server through the relay. */
  upgrade(req: Request, remotePort: number): Response {
    const { socket, response } = Deno.upgradeWebSocket(req);
    const conn: Conn = {
      n: this.#nextConn++,
      socket,
      path: new URL(req.url).pathname,
      remotePort,
      streams: new Set(),
      queue: [],
      timer: undefined,
    };
    this.#conns.add(conn);
    socket.onmessage = (e) => this.#onMessage(conn, e.data);
    socket.onclose = () => this.#forget(conn);
    socket.onerror = () => this.#forget(conn);
    return response;
  }

  /** @internal Starts the relay to the HTTP server on `serverPort`. */
  listen(serverPort: number): void {
    this.#proxy = new TcpProxy(serverPort);
  }

  /** @internal Closes every socket and the relay. */
  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const c of [...this.#conns]) {
      this.#forget(c);
      try {
        c.socket.close(1001, "fake exchange closing");
      } catch {
        // already closing
      }
    }
    await this.#proxy?.close();
  }

  #onMessage(conn: Conn, raw: unknown): void {
    let msg: { method?: unknown; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(String(raw));
    } catch {
      this.#send(conn, JSON.stringify({ error: { code: 3, msg: "Invalid JSON: expected value at line 1 column 1" } }));
      return;
    }
    const method = String(msg.method);
    this.#requests.push({ at: Date.now(), socket: conn.n, path: conn.path, method, params: msg.params, id: msg.id });
    const params = Array.isArray(msg.params) ? msg.params.map(String) : [];
    if (method === "SUBSCRIBE") {
      for (const p of params) {
        conn.streams.add(p);
        let set = this.#subs.get(p);
        if (set === undefined) this.#subs.set(p, set = new Set());
        set.add(conn);
      }
      this.#send(conn, JSON.stringify({ result: null, id: msg.id }));
      for (const w of [...this.#waiters]) w();
    } else if (method === "UNSUBSCRIBE") {
      for (const p of params) {
        conn.streams.delete(p);
        this.#subs.get(p)?.delete(conn);
      }
      this.#send(conn, JSON.stringify({ result: null, id: msg.id }));
    } else if (method === "LIST_SUBSCRIPTIONS") {
      this.#send(conn, JSON.stringify({ result: [...conn.streams], id: msg.id }));
    } else {
      this.#send(
        conn,
        JSON.stringify({ error: { code: 2, msg: `Invalid request: unknown method '${method}'` }, id: msg.id }),
      );
    }
  }

  #publish(stream: string, data: unknown, delayMs: number | undefined): number {
    const text = JSON.stringify(this.#host.shape === "combined" ? { stream, data } : data);
    if (delayMs !== undefined) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#deliver(stream, text);
      }, delayMs);
      this.#timers.add(timer);
      return this.subscribers(stream);
    }
    return this.#deliver(stream, text);
  }

  #deliver(stream: string, text: string): number {
    const subs = this.#subs.get(stream);
    if (subs === undefined) return 0;
    for (const c of subs) {
      this.#sent++;
      this.#send(c, text);
    }
    return subs.size;
  }

  #send(conn: Conn, text: string): void {
    if (this.#stalled === "discard") return;
    conn.queue.push(text);
    if (this.#stalled === false) this.#flush(conn);
  }

  #flush(conn: Conn): void {
    if (conn.timer !== undefined || this.#stalled !== false) return;
    const pace = this.#host.paceMs;
    if (pace <= 0) {
      for (const text of conn.queue) sendText(conn.socket, text);
      conn.queue.length = 0;
      return;
    }
    const text = conn.queue.shift();
    if (text === undefined) return;
    sendText(conn.socket, text);
    // ccxt.pro resolves a watch per message, so paced messages each reach the caller.
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      conn.timer = undefined;
      this.#flush(conn);
    }, pace);
    conn.timer = timer;
    this.#timers.add(timer);
  }

  #forget(conn: Conn): void {
    if (!this.#conns.delete(conn)) return;
    for (const s of conn.streams) this.#subs.get(s)?.delete(conn);
    if (conn.timer !== undefined) {
      clearTimeout(conn.timer);
      this.#timers.delete(conn.timer);
    }
    conn.queue.length = 0;
  }
}

function sendText(socket: WebSocket, text: string): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(text);
}

function marketId(symbol: string): string {
  return symbol.replace("/", "").toUpperCase();
}
