// MergedFeed over two fake exchanges' streams (real ccxt.pro), one symbol each, and over scripted feeds.
import assert from "node:assert/strict";
import { type FakeExchange, startFakeExchange } from "../testing/mod.ts";
import type { Bar } from "../types/mod.ts";
import { CcxtStreamFeed, type StreamProblem } from "./ccxt_stream_feed.ts";
import type { Feed, FeedBar, FeedStart } from "./feed.ts";
import { MergedFeed } from "./merged_feed.ts";

const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const BTC = "BTC/USDT";
const ETH = "ETH/USDT";
const START = 19;

function series(n: number, base: number): Bar[] {
  return Array.from({ length: n }, (_, i) => {
    const c = base * (1 + 0.005 * Math.sin(i * 1.7));
    const o = base * (1 + 0.005 * Math.sin((i - 1) * 1.7));
    return { ts: T0 + i * M, open: o, high: Math.max(o, c) * 1.001, low: Math.min(o, c) * 0.999, close: c, volume: 1 };
  });
}

async function until(what: string, ok: () => boolean, failed: () => unknown, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (failed() !== undefined) throw failed();
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

Deno.test("MergedFeed: two exchanges' streams, batches as each comes, each feed from its own after", async () => {
  let clock = T0 + (START + 1) * M;
  const fakes: FakeExchange[] = [];
  const problems: StreamProblem[][] = [[], []];
  const feeds: CcxtStreamFeed[] = [];
  try {
    for (const [i, [symbol, base]] of ([[BTC, 100], [ETH, 10]] as const).entries()) {
      const fake = await startFakeExchange({
        series: [{ symbol, timeframe: "1m", bars: series(60, base) }],
        now: () => clock,
      });
      fakes.push(fake);
      fake.ws.seek(symbol, "1m", T0 + (START + 1) * M);
      feeds.push(
        new CcxtStreamFeed({
          symbols: [symbol],
          timeframe: "1m",
          apiUrl: fake.url,
          wsUrl: fake.ws.url,
          now: () => clock,
          graceMs: 2_000,
          baseBackoffMs: 20,
          maxBackoffMs: 100,
          onProblem: (p) => problems[i]!.push(p),
        }),
      );
    }
    const [a, b] = fakes as [FakeExchange, FakeExchange];
    const merged = new MergedFeed({ feeds });
    assert.deepEqual(merged.symbols, [BTC, ETH]);
    assert.equal(merged.timeframe, "1m");
    const batches: FeedBar[][] = [];
    const controller = new AbortController();
    let failed: unknown;
    // ETH starts three bars earlier than BTC: its feed backfills 17..19 from its own `after`.
    const after = new Map([[BTC, T0 + START * M], [ETH, T0 + (START - 3) * M]]);
    const done = (async () => {
      for await (const batch of merged.batches({ after, signal: controller.signal })) batches.push(batch);
    })().catch((e) => failed = e);
    await until(
      "subscriptions",
      () => a.ws.subscribers("btcusdt@kline_1m") > 0 && b.ws.subscribers("ethusdt@kline_1m") > 0,
      () => failed,
    );
    await until("eth backfill", () => batches.length === 3, () => failed);
    assert.deepEqual(batches.map((x) => x.map((bar) => [bar.symbol, (bar.ts - T0) / M])), [
      [[ETH, 17]],
      [[ETH, 18]],
      [[ETH, 19]],
    ]);
    const push = (fake: FakeExchange, symbol: string, i: number): void => {
      clock = Math.max(clock, T0 + (i + 1) * M);
      fake.ws.seek(symbol, "1m", T0 + i * M);
      fake.ws.nextBar(symbol, "1m");
    };
    // BTC's exchange runs ahead: its bars come through without waiting for ETH's.
    push(a, BTC, 20);
    await until("btc 20", () => batches.length === 4, () => failed);
    push(a, BTC, 21);
    await until("btc 21", () => batches.length === 5, () => failed);
    push(b, ETH, 20);
    await until("eth 20", () => batches.length === 6, () => failed);
    assert.deepEqual(batches.slice(3).map((x) => x.map((bar) => [bar.symbol, (bar.ts - T0) / M, bar.exchange])), [
      [[BTC, 20, "binance"]],
      [[BTC, 21, "binance"]],
      [[ETH, 20, "binance"]],
    ]);
    assert.equal(problems[0]!.find((p) => p.kind === "start")?.kind, "start");
    controller.abort();
    await done;
    assert.equal(failed, undefined);
  } finally {
    for (const f of fakes) await f.close();
  }
});

/** A feed yielding scripted batches, then failing, ending, or (`live`) waiting for its signal. */
class ScriptFeed implements Feed {
  readonly timeframe = "1m";
  started: FeedStart | undefined;
  ended = false;
  constructor(
    readonly symbols: readonly string[],
    readonly script: number[],
    readonly end: { fail?: Error; live?: boolean } = {},
  ) {}
  async *batches(start: FeedStart): AsyncIterable<FeedBar[]> {
    this.started = start;
    try {
      for (const ts of this.script) {
        await new Promise((r) => setTimeout(r, 1));
        yield this.symbols.map((symbol) => ({
          symbol,
          timeframe: "1m",
          ts,
          open: 1,
          high: 1,
          low: 1,
          close: 1,
          volume: 1,
        }));
      }
      if (this.end.fail) throw this.end.fail;
      if (this.end.live && start.signal && !start.signal.aborted) {
        await new Promise((r) => start.signal!.addEventListener("abort", r, { once: true }));
      }
    } finally {
      this.ended = true;
    }
  }
}

Deno.test("MergedFeed: a sub-feed's error stops the others, then is rethrown", async () => {
  const quiet = new ScriptFeed([BTC], [M], { live: true });
  const bad = new ScriptFeed([ETH], [M, 2 * M], { fail: new Error("okx socket refused") });
  const merged = new MergedFeed({ feeds: [quiet, bad] });
  const seen: string[] = [];
  const controller = new AbortController();
  await assert.rejects(async () => {
    for await (
      const batch of merged.batches({ after: new Map([[ETH, 0], ["SOL/USDT", 5]]), signal: controller.signal })
    ) {
      seen.push(...batch.map((b) => `${b.symbol}@${b.ts / M}`));
    }
  }, /okx socket refused/);
  assert.equal(quiet.ended, true);
  assert.equal(quiet.started?.signal?.aborted, true);
  assert.equal(controller.signal.aborted, false);
  assert.deepEqual([...quiet.started!.after], []);
  assert.deepEqual([...bad.started!.after], [[ETH, 0]]);
  assert.ok(seen.includes("BTC/USDT@1") && seen.includes("ETH/USDT@1"), seen.join(" "));
});

Deno.test("MergedFeed: ends when every sub-feed ends, or on the signal; a consumer's break stops them", async () => {
  const ended = new MergedFeed({ feeds: [new ScriptFeed([BTC], [M, 2 * M]), new ScriptFeed([ETH], [M])] });
  let n = 0;
  for await (const _ of ended.batches({ after: new Map() })) n++;
  assert.equal(n, 3);

  const a = new ScriptFeed([BTC], [M], { live: true });
  const b = new ScriptFeed([ETH], [], { live: true });
  const controller = new AbortController();
  const stopped = new MergedFeed({ feeds: [a, b] });
  const out: FeedBar[][] = [];
  for await (const batch of stopped.batches({ after: new Map(), signal: controller.signal })) {
    out.push(batch);
    controller.abort();
  }
  assert.equal(out.length, 1);
  assert.equal(a.ended && b.ended, true);

  const c = new ScriptFeed([BTC], [M, 2 * M, 3 * M], { live: true });
  const d = new ScriptFeed([ETH], [], { live: true });
  for await (const _ of new MergedFeed({ feeds: [c, d] }).batches({ after: new Map() })) break;
  assert.equal(c.ended && d.ended, true);
});

Deno.test("MergedFeed: refuses no feed, mixed timeframes and a symbol in two feeds", () => {
  assert.throws(() => new MergedFeed({ feeds: [] }), /at least one feed/);
  const other = Object.assign(new ScriptFeed([ETH], []), { timeframe: "1h" });
  assert.throws(() => new MergedFeed({ feeds: [new ScriptFeed([BTC], []), other] }), /feed 1 is on 1h/);
  assert.throws(
    () => new MergedFeed({ feeds: [new ScriptFeed([BTC], []), new ScriptFeed([ETH, BTC], [])] }),
    /BTC\/USDT is in feed 0 and feed 1/,
  );
});
