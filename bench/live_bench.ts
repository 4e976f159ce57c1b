/**
 * Live path latency (lib/runner/live_runner.ts) on loopback, end to end through the real ccxt: an armed
 * LiveRunner fed by the CcxtStreamFeed from the fake exchange's websocket, sending through the CcxtBroker to the
 * fake's REST order endpoint.
 *
 * - "bar to order": the time from the fake pushing a bar's closing kline (its websocket send) to the fake
 *   receiving the order that bar decided (`newOrder` in its request log). In between: the kline parsed by ccxt.pro
 *   and the feed (spike guard off), the batch, signal, intent, risk verdict and the first attempt's
 *   `order_submitted` appended in one transaction (one fsync), the create signed and sent by ccxt on a connection
 *   of its own. sma_cross(1, 2) on zigzag closes (100, 101, ...) enters on each rise and exits on each fall: one order
 *   every bar. Between bars the runner's poll takes the previous fill in, as a minute between live bars would let
 *   it. Issue 10's target: p99 <= 10 ms. Both ends are read on the wall clock (ms), so each sample is +/- 1 ms.
 *
 * The one durable write on that path (C1's commit) is the disk's fsync, and on a cloud VM's disk its tail is most of
 * the budget: on the dev machine (2 vCPU, virtio disk) a 4 KiB write + fdatasync has p50 0.44 ms and p99 7.9 ms. So
 * the same session runs twice, its audit log on the disk and on tmpfs (`/dev/shm`, no fsync cost: the code's own
 * latency), and each run reports its disk's fdatasync figures measured in the same run.
 *
 *   ./denow bench -A bench/live_bench.ts
 */
import { noLimitsRiskConfig } from "../lib/risk/mod.ts";
import { CcxtBroker, CcxtStreamFeed, LiveRunner } from "../lib/runner/mod.ts";
import { smaCross } from "../lib/strategies/mod.ts";
import { startFakeExchange } from "../lib/testing/mod.ts";
import type { Bar } from "../lib/types/mod.ts";

const SYM = "ZZ/USDT";
const ROUNDS = 240;
const HISTORY = 60;
const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const KEY = "bench-live-key";
const SECRET = "bench-live-secret";

function zigzag(n: number): Bar[] {
  return Array.from({ length: n }, (_, i) => {
    const c = i % 2 === 0 ? 100 : 101, o = i % 2 === 0 ? 101 : 100;
    return { ts: T0 + i * M, open: o, high: 101, low: 100, close: c, volume: 1 };
  });
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** The disk's own share: 2,000 x (a 4 KiB write + fdatasync) in `dir`, the one durable write C1 costs per order. */
function fsyncLatency(dir: string): string {
  const path = `${dir}/.live-bench-fsync-${crypto.randomUUID().slice(0, 8)}`;
  const f = Deno.openSync(path, { write: true, create: true, truncate: true });
  const buf = new Uint8Array(4096);
  const xs: number[] = [];
  try {
    for (let i = 0; i < 2_000; i++) {
      const t = performance.now();
      f.writeSync(buf);
      f.syncDataSync();
      xs.push(performance.now() - t);
    }
  } finally {
    f.close();
    Deno.removeSync(path);
  }
  xs.sort((a, b) => a - b);
  return `p50 ${quantile(xs, 0.5).toFixed(2)} ms, p99 ${quantile(xs, 0.99).toFixed(2)} ms`;
}

const TMPFS = (() => {
  try {
    return Deno.statSync("/dev/shm").isDirectory ? "/dev/shm" : undefined;
  } catch {
    return undefined;
  }
})();

for (const where of ["disk", "tmpfs"] as const) {
  const root = where === "disk" ? undefined : TMPFS;
  Deno.bench({
    name: `live: kline pushed -> order at the exchange, ${ROUNDS} bars, loopback, audit log on ${where}`,
    n: 1,
    warmup: 0,
    ignore: where === "tmpfs" && root === undefined,
    fn: async () => await liveRound(where, root),
  });
}

async function liveRound(where: string, root: string | undefined): Promise<void> {
  let clock = T0 + HISTORY * M;
  const fake = await startFakeExchange({
    series: [{ symbol: SYM, timeframe: "1m", bars: zigzag(HISTORY + ROUNDS + 1) }],
    prices: { [SYM]: 100 },
    account: { apiKey: KEY, secret: SECRET, balances: { USDT: 1_000_000 } },
  });
  const dataDir = await Deno.makeTempDir({ prefix: "live-bench-", ...(root ? { dir: root } : {}) });
  const disk = fsyncLatency(dataDir);
  const broker = await CcxtBroker.open({
    exchange: "binance",
    apiUrl: fake.url,
    credentials: { apiKey: KEY, secret: SECRET },
  });
  const problems: string[] = [];
  const feed = new CcxtStreamFeed({
    symbols: [SYM],
    timeframe: "1m",
    apiUrl: fake.url,
    wsUrl: fake.ws.url,
    now: () => clock,
    spike: false,
    onProblem: (p) => problems.push(p.kind),
  });
  const runner = await LiveRunner.open({
    account: "bench",
    dataDir,
    sleeves: [{ id: "zz", strategy: smaCross, params: { fast: 1, slow: 2 }, symbol: SYM, options: { cash: 1_000 } }],
    risk: noLimitsRiskConfig(),
    startingCash: 1_000,
    timeframe: "1m",
    broker,
    armed: true,
    pollMs: 20,
    clock: () => clock,
    secrets: [KEY, SECRET],
  });
  let filled = 0;
  runner.bus.on("order_filled", (e) => {
    if (e.kind === "order_filled") filled++;
  });
  const controller = new AbortController();
  const run = runner.run(feed, { signal: controller.signal });
  const until = async (ok: () => boolean, what: string): Promise<void> => {
    const end = Date.now() + 20_000;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`live bench stuck waiting for ${what}; problems: ${problems.join(",")}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  const stream = `${SYM.replace("/", "").toLowerCase()}@kline_1m`;
  await until(() => fake.ws.subscribers(stream) > 0, "the kline subscription");
  fake.ws.seek(SYM, "1m", T0 + HISTORY * M);
  const samples: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      clock += M;
      const before = fake.requestsTo("newOrder").length;
      const pushed = Date.now();
      fake.ws.nextBar(SYM, "1m");
      // sma_cross(1, 2) crosses from its third bar on: no order is due before.
      if (r < 3) {
        await new Promise((res) => setTimeout(res, 50));
        continue;
      }
      await until(() => fake.requestsTo("newOrder").length > before, `bar ${r}'s order`);
      samples.push(fake.requestsTo("newOrder")[before]!.at - pushed);
      // A minute would pass before the next bar: the poll takes the fill in first (the runner holds its broker
      // chain while a poll waits in ccxt's read throttle, so a bar arriving mid-poll would wait for it).
      await until(() => filled > before, `bar ${r}'s fill`);
      await new Promise((res) => setTimeout(res, 30));
    }
  } finally {
    controller.abort();
    const summary = await run;
    runner.close();
    await broker.close();
    await fake.close();
    await Deno.remove(dataDir, { recursive: true });
    console.log(`live run: ${summary.bars} bars, ${summary.sent} orders sent, ${summary.fills} fills`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (x: number): string => x.toFixed(0);
  console.log(
    `live bar -> order at the exchange, log on ${where} (${samples.length} bars): p50 ${
      f(quantile(sorted, 0.5))
    } ms, p99 ${f(quantile(sorted, 0.99))} ms, max ${
      f(sorted.at(-1) ?? NaN)
    } ms; that disk's write+fdatasync ${disk}; ` +
      `problems: ${problems.filter((p) => p !== "backfill" && p !== "start").join(",") || "none"}`,
  );
}
