/**
 * Paper runner speed (lib/runner), on the local disk (SQLite WAL, synchronous=FULL: every commit is fsynced).
 *
 * - "latency": a paper-mode runner fed one closed bar per iteration; the time from the bar entering the runner to
 *   its order being audit-logged and at the broker (`order_placed` on the bus): the bar, the previous order's fill,
 *   signal, intent and verdict appended (fsync), the order recorded by the paper broker's store (WAL, no fsync:
 *   process-crash safe), `order_submitted` appended (fsync). sma_cross(1, 2) on zigzag closes with direction "both" reverses every bar (two orders a bar).
 *   Issue 8's target: p99 <= 5 ms.
 * - "replay": 100 symbols x 10,000 1-minute random-walk bars through the runner with sma_cross(10, 30) (streamed
 *   indicators), a 0.1 % fee, no risk limits, replay mode (group commits; every intent durable before the broker
 *   sees it). Issue 8's target: <= 60 s. Run once (n: 1).
 *
 *   ./denow bench -A bench/runner_bench.ts
 */
import { noLimitsRiskConfig } from "../lib/risk/mod.ts";
import { EventBus, type FeedBar, PaperRunner, ReplayFeed } from "../lib/runner/mod.ts";
import { smaCross } from "../lib/strategies/mod.ts";
import { randomBars } from "../lib/testing/mod.ts";

const dataDir = Deno.makeTempDirSync({ prefix: "runner-bench-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dataDir, { recursive: true }));

// --- latency ---------------------------------------------------------------------------------------------------
const bus = new EventBus();
let placed: (() => void) | undefined;
bus.on("order_placed", () => placed?.());
let push: ((b: FeedBar[]) => void) | undefined;
const live = await PaperRunner.open({
  account: "latency",
  dataDir,
  sleeves: [{
    id: "zigzag",
    strategy: smaCross,
    params: { fast: 1, slow: 2 },
    symbol: "ZZ/USDT",
    options: { direction: "both", fee: 0.001 },
  }],
  risk: noLimitsRiskConfig(),
  startingCash: 10_000,
  mode: "paper",
  timeframe: "1m",
  bus,
});
const t0 = Date.UTC(2026, 0, 1);
let k = 0;
const bar = (): FeedBar => {
  const c = k % 2 === 0 ? 100 : 101;
  return { symbol: "ZZ/USDT", timeframe: "1m", ts: t0 + k++ * 60_000, open: c, high: c, low: c, close: c, volume: 1 };
};
void live.run({
  symbols: ["ZZ/USDT"],
  timeframe: "1m",
  async *batches() {
    for (;;) yield await new Promise<FeedBar[]>((r) => push = r);
  },
});
// Warm the strategy past its 2-bar warm-up so every measured bar trades.
for (let i = 0; i < 3; i++) {
  await new Promise((r) => setTimeout(r, 0));
  push!([bar()]);
}
await new Promise((r) => setTimeout(r, 10));

Deno.bench("latency: bar in -> order audit-logged and at the broker (2 fsyncs)", async (b) => {
  const done = new Promise<void>((r) => placed = r);
  const next = bar();
  b.start();
  push!([next]);
  await done;
  b.end();
});

// --- replay ----------------------------------------------------------------------------------------------------
let replays = 0;
Deno.bench("replay: 100 symbols x 10,000 1m bars through the runner", { n: 1, warmup: 0 }, async (b) => {
  const frames: Record<string, ReturnType<typeof randomBars>> = {};
  for (let s = 0; s < 100; s++) {
    frames[`S${String(s).padStart(3, "0")}/USDT`] = randomBars({ n: 10_000, seed: 100 + s, stepMs: 60_000 });
  }
  const runner = await PaperRunner.open({
    account: `replay-${replays++}`,
    dataDir,
    sleeves: Object.keys(frames).map((symbol) => ({
      id: `sma@${symbol}`,
      strategy: smaCross,
      params: { fast: 10, slow: 30 },
      symbol,
      options: { fee: 0.001 },
    })),
    risk: noLimitsRiskConfig(),
    startingCash: 1_000_000,
    mode: "replay",
    timeframe: "1m",
  });
  b.start();
  const s = await runner.run(new ReplayFeed({ frames, timeframe: "1m" }));
  b.end();
  runner.close();
  if (s.bars !== 1_000_000) throw new Error(`replayed ${s.bars} bars`);
  console.error(`replay: ${s.bars} bars, ${s.sent} orders sent, ${s.fills} fills, ${s.batches} batches`);
});
