/**
 * Streaming feed (lib/runner/ccxt_stream_feed.ts) on loopback: 50 symbols on one ccxt.pro kline subscription to
 * the fake exchange, 200 bar times; each round the fake pushes every symbol's closing kline at once (50 messages
 * in a burst on one socket), and the round ends when the feed yields the batch of 50.
 *
 * - lag: exchange event time (`E`, stamped when the fake sends) to the batch carrying the bar being yielded, per
 *   bar, from `feed.stats()`. Issue 10's target: p99 under 50 ms.
 * - latency: `E` to our receipt of the message.
 *
 *   ./denow bench -A bench/stream_feed_bench.ts
 */
import { CcxtStreamFeed, type FeedBar } from "../lib/runner/mod.ts";
import { startFakeExchange } from "../lib/testing/mod.ts";
import type { Bar } from "../lib/types/mod.ts";

const SYMBOLS = 50;
const ROUNDS = 200;
const HISTORY = 60;
const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);

function series(n: number, base: number): Bar[] {
  return Array.from({ length: n }, (_, i) => {
    const c = base * (1 + 0.004 * Math.sin(i * 1.3)), o = base * (1 + 0.004 * Math.sin((i - 1) * 1.3));
    return { ts: T0 + i * M, open: o, high: Math.max(o, c), low: Math.min(o, c), close: c, volume: 1 + i };
  });
}

const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(2, "0")}/USDT`);

Deno.bench({ name: `stream feed: ${SYMBOLS} symbols x ${ROUNDS} bars, loopback`, n: 1, warmup: 0 }, async () => {
  let clock = T0 + HISTORY * M;
  const fake = await startFakeExchange({
    series: symbols.map((symbol, i) => ({ symbol, timeframe: "1m", bars: series(HISTORY + ROUNDS, 10 + i) })),
    now: () => clock,
  });
  const problems: string[] = [];
  const feed = new CcxtStreamFeed({
    symbols,
    timeframe: "1m",
    apiUrl: fake.url,
    wsUrl: fake.ws.url,
    now: () => clock,
    onProblem: (p) => problems.push(p.kind),
  });
  const controller = new AbortController();
  const after = new Map(symbols.map((s) => [s, T0 + (HISTORY - 1) * M]));
  let batches = 0;
  let bars = 0;
  const run = (async () => {
    for await (const b of feed.batches({ after, signal: controller.signal }) as AsyncIterable<FeedBar[]>) {
      batches++;
      bars += b.length;
    }
  })();
  const until = async (ok: () => boolean): Promise<void> => {
    const end = Date.now() + 30_000;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`stream bench stuck; problems: ${problems.join(",")}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  await until(() =>
    symbols.every((s) => fake.ws.subscribers(`${s.replace("/", "").toLowerCase()}@kline_1m`) > 0) &&
    problems.filter((p) => p === "backfill").length === SYMBOLS
  );
  for (const s of symbols) fake.ws.seek(s, "1m", T0 + HISTORY * M);
  const t = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    clock += M;
    for (const s of symbols) fake.ws.nextBar(s, "1m");
    await until(() => batches === r + 1);
  }
  const wall = performance.now() - t;
  const st = feed.stats();
  controller.abort();
  await run;
  await fake.close();
  if (bars !== SYMBOLS * ROUNDS) throw new Error(`expected ${SYMBOLS * ROUNDS} bars, got ${bars}`);
  const f = (x: number): string => x.toFixed(2);
  console.log(
    `stream feed ${SYMBOLS} symbols x ${ROUNDS} rounds: lag p50 ${f(st.lag.p50)} ms, p99 ${f(st.lag.p99)} ms, ` +
      `max ${f(st.lag.max)} ms; latency p50 ${f(st.latency.p50)} ms, p99 ${f(st.latency.p99)} ms; ` +
      `${(SYMBOLS * ROUNDS / (wall / 1000)).toFixed(0)} bars/s; problems: ${
        problems.filter((p) => p !== "backfill" && p !== "start").join(",") || "none"
      }`,
  );
});
