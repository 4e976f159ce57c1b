// Test helpers: a live session (an armed LiveRunner trading the fake exchange through the real ccxt) writing to the
// data dir of a lab served on 127.0.0.1, with a feed the test pushes bars into one at a time, and a small SSE client.
// Used by the lab's live-session test and the Chromium e2e test.
import { createAccount } from "../accounts/mod.ts";
import { type AuditEvent, AuditLog } from "../audit/mod.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import { RunRegistry } from "../runs/mod.ts";
import { CcxtBroker, type Feed, type FeedBar, type FeedStart, LiveRunner, type LiveRunSummary } from "../runner/mod.ts";
import { Store } from "../store/mod.ts";
import { smaCross } from "../strategies/mod.ts";
import { type FakeExchange, startFakeExchange } from "../testing/mod.ts";
import { createApp } from "./create_app.ts";
import { JobQueue } from "./job_queue.ts";

export const SYM = "BTC/USDT";
export const M = 60_000;
const KEY = "PLANTED-LAB-LIVE-KEY-1234";
const SECRET = "PLANTED-LAB-LIVE-SECRET-5678";

/** A feed whose bars the test pushes; before a bar goes out the fake's price moves to its close (fills happen there). */
export class PushFeed implements Feed {
  readonly symbols = [SYM];
  readonly timeframe = "1m";
  readonly #queue: (FeedBar | null)[] = [];
  #wake: (() => void) | null = null;
  /**
   * Open time of the next bar, one a minute from an hour before the session, so every bar closed in the past and
   * its feed lag is positive (as a backfilled bar's would be).
   */
  #ts = Math.floor(Date.now() / M) * M - 60 * M;

  constructor(readonly fake: FakeExchange) {}

  /** Queues a closed bar at `close`; its open time is one minute after the last one's. */
  push(close: number): FeedBar {
    const bar: FeedBar = {
      symbol: SYM,
      timeframe: "1m",
      ts: this.#ts,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1,
    };
    this.#ts += M;
    this.#queue.push(bar);
    this.#wake?.();
    return bar;
  }

  /** Ends the feed after the bars queued so far. */
  end(): void {
    this.#queue.push(null);
    this.#wake?.();
  }

  async *batches(start: FeedStart): AsyncIterable<FeedBar[]> {
    for (;;) {
      const bar = this.#queue.shift();
      if (bar === undefined) {
        await new Promise<void>((r) => (this.#wake = r));
        this.#wake = null;
        continue;
      }
      if (bar === null || start.signal?.aborted) return;
      this.fake.setPrice(SYM, bar.close);
      yield [bar];
    }
  }
}

/** A live session and the lab over its data dir. */
export interface LiveSession {
  /** The lab's address, `http://127.0.0.1:PORT`. */
  base: string;
  dataDir: string;
  account: string;
  token: string | undefined;
  fake: FakeExchange;
  runner: LiveRunner;
  feed: PushFeed;
  /** The runner's `run` on the feed (resolves when the feed ends). */
  done: Promise<LiveRunSummary>;
  /** Another broker on the same exchange account (someone else's program, or a person at the website). */
  otherBroker(): Promise<CcxtBroker>;
  /** Every event of the account's log. */
  events(): AuditEvent[];
  /** Ends the feed, waits for the run, closes everything and removes the data dir. */
  close(): Promise<void>;
}

/** Options of {@link liveSession}. */
export interface LiveSessionOptions {
  account?: string;
  /** The lab's token (every POST needs it then). */
  token?: string;
  /** Fill each order in this many parts (the first at once, one more per later bar). Default 2. */
  fillParts?: number;
  /** The first bar's close (the fake's price before any bar). Default 100. */
  price?: number;
}

/**
 * Starts the fake exchange, a lab served on 127.0.0.1 over a fresh data dir, a live account there (1,000 USDT) and
 * an ARMED LiveRunner (sma_cross 1/2 on BTC/USDT, all in, no risk limits) running on a {@link PushFeed}.
 */
export async function liveSession(o: LiveSessionOptions = {}): Promise<LiveSession> {
  const account = o.account ?? "live-lab";
  const fake = await startFakeExchange({
    symbols: [SYM],
    prices: { [SYM]: o.price ?? 100 },
    // The fake's default fees (0.1%), taken in the asset received (BTC on a buy): the runner, replay and the lab's
    // fold all net a base-asset fee from the position, so after an exit they hold the same (what the exchange's lot
    // step could not sell, under 1e-5 BTC).
    account: {
      apiKey: KEY,
      secret: SECRET,
      balances: { USDT: 10_000 },
      fillParts: o.fillParts ?? 2,
    },
  });
  const brokers: CcxtBroker[] = [];
  const otherBroker = async (): Promise<CcxtBroker> => {
    const b = await CcxtBroker.open({
      exchange: "binance",
      apiUrl: fake.url,
      credentials: { apiKey: KEY, secret: SECRET },
      backoffBaseMs: 5,
    });
    brokers.push(b);
    return b;
  };
  const dataDir = await Deno.makeTempDir({ prefix: "lab-live-" });
  const store = await Store.open({ dir: dataDir });
  const runs = await RunRegistry.open({ dir: `${dataDir}/_runs` });
  const jobs = new JobQueue();
  const app = createApp({ store, runs, jobs, ...(o.token ? { token: o.token } : {}) });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  createAccount({ dataDir, name: account, kind: "live", cash: 1_000, quote: "USDT" });
  const runner = await LiveRunner.open({
    account,
    dataDir,
    sleeves: [{ id: "sma", strategy: smaCross, params: { fast: 1, slow: 2 }, symbol: SYM, options: { cash: 1_000 } }],
    risk: noLimitsRiskConfig(),
    startingCash: 1_000,
    timeframe: "1m",
    broker: await otherBroker(),
    armed: true,
    pollMs: 20,
    secrets: [KEY, SECRET],
  });
  const feed = new PushFeed(fake);
  const done = runner.run(feed);
  // A failed run is the test's failure, reported where it awaits `done`; not an unhandled rejection before that.
  done.catch(() => {});
  let closed = false;
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    dataDir,
    account,
    token: o.token,
    fake,
    runner,
    feed,
    done,
    otherBroker,
    events() {
      using log = AuditLog.open({ dataDir, account, readOnly: true });
      return log.query({ limit: 1_000_000 });
    },
    async close() {
      if (closed) return;
      closed = true;
      feed.end();
      try {
        await done;
      } finally {
        runner.close();
        await server.shutdown();
        await jobs.shutdown();
        await runs.close();
        store.close();
        for (const b of brokers) await b.close();
        await fake.close();
        await Deno.remove(dataDir, { recursive: true });
      }
    },
  };
}

/** One server-sent event. */
export interface SseMessage {
  event: string;
  id: string | null;
  data: string;
}

/** One message block of an SSE stream (the lines before a blank line), as the EventSource spec reads it. */
export function parseSseBlock(block: string): SseMessage {
  const m: SseMessage = { event: "message", id: null, data: "" };
  for (const line of block.split("\n")) {
    const k = line.indexOf(":");
    if (k === 0) continue;
    const field = k < 0 ? line : line.slice(0, k);
    const value = k < 0 ? "" : line.slice(k + 1).replace(/^ /, "");
    if (field === "event") m.event = value;
    else if (field === "id") m.id = value;
    else if (field === "data") m.data += (m.data ? "\n" : "") + value;
  }
  return m;
}

/** A server-sent event stream read with fetch, message by message. */
export class SseClient {
  readonly #ac: AbortController;
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buf = "";

  private constructor(ac: AbortController, res: Response) {
    this.#ac = ac;
    this.#reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** Connects; a non-200 answer is thrown with its body. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const ac = new AbortController();
    const res = await fetch(url, { headers, signal: ac.signal });
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return new SseClient(ac, res);
  }

  /** The next message (comments skipped); rejects when the stream ends. */
  async next(): Promise<SseMessage> {
    for (;;) {
      const i = this.#buf.indexOf("\n\n");
      if (i >= 0) {
        const block = this.#buf.slice(0, i);
        this.#buf = this.#buf.slice(i + 2);
        if (block.split("\n").every((l) => l.startsWith(":"))) continue;
        return parseSseBlock(block);
      }
      const { value, done } = await this.#reader.read();
      if (done) throw new Error("the stream ended");
      this.#buf += value;
    }
  }

  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
    this.#ac.abort();
  }
}
