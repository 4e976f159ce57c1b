// A paper run on the polling feed, end to end: real ccxt against the fake exchange on 127.0.0.1, on a clock that
// moves as the feed sleeps, with a 429 (Retry-After), two 503s, a timeout, malformed bodies and a bar served past
// the grace period. The runner must record each served bar once, in order, fill exactly what a replay of the same
// bars fills, never submit an order twice, keep a verifiable log, stop on the signal, and resume after a restart.
import assert from "node:assert/strict";
import type { AuditEvent } from "../lib/audit/mod.ts";
import { Frame } from "../lib/frame/mod.ts";
import { noLimitsRiskConfig } from "../lib/risk/mod.ts";
import {
  CcxtPollingFeed,
  EventBus,
  type FeedStatus,
  PaperRunner,
  type PaperRunnerOptions,
  ReplayFeed,
} from "../lib/runner/mod.ts";
import { smaCross } from "../lib/strategies/mod.ts";
import { type FakeExchange, startFakeExchange } from "../lib/testing/fake_exchange.ts";
import type { Bar } from "../lib/types/mod.ts";

const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const BTC = "BTC/USDT";
const ETH = "ETH/USDT";
const N = 40;
/** Bar of ETH served 15 s after its close: past the 10 s grace, so BTC's bar goes alone and ETH's follows alone. */
const LATE = 15;
const GRACE_MS = 10_000;

/** Waves of different periods per symbol, so the SMA cross trades both sides several times in 40 bars. */
function series(base: number, period: number, phase: number): Bar[] {
  const round = (x: number): number => Math.round(x * 100) / 100;
  const closes = Array.from({ length: N }, (_, i) => round(base * (1 + 0.04 * Math.sin((i + phase) / period))));
  return closes.map((close, i) => {
    const open = i === 0 ? close : closes[i - 1]!;
    return {
      ts: T0 + i * M,
      open,
      high: round(Math.max(open, close) * 1.002),
      low: round(Math.min(open, close) * 0.998),
      close,
      volume: 10 + i,
    };
  });
}

const BARS: Record<string, Bar[]> = { [BTC]: series(40_000, 1.2, 0), [ETH]: series(2_000, 1, 1) };

const sleeves = (): PaperRunnerOptions["sleeves"] => [
  { id: "btc", strategy: smaCross, params: { fast: 1, slow: 3 }, symbol: BTC, options: { fee: 0.001 } },
  { id: "eth", strategy: smaCross, params: { fast: 1, slow: 3 }, symbol: ETH, options: { fee: 0.001 } },
];

function open(dataDir: string, mode: "paper" | "replay", clock?: () => number, bus?: EventBus): Promise<PaperRunner> {
  return PaperRunner.open({
    account: "poll-1",
    dataDir,
    sleeves: sleeves(),
    risk: noLimitsRiskConfig(),
    startingCash: 20_000,
    mode,
    timeframe: "1m",
    ...(clock ? { clock } : {}),
    ...(bus ? { bus } : {}),
  });
}

/** `SYMBOL@minute` of every bar in the log's `bars` events, per symbol, in log order. */
function barsBySymbol(events: readonly AuditEvent[]): Record<string, number[]> {
  const out: Record<string, number[]> = { [BTC]: [], [ETH]: [] };
  for (const e of events) {
    if (e.kind !== "bars") continue;
    for (const b of e.payload.bars) out[b.symbol]!.push((e.payload.ts - T0) / M);
  }
  return out;
}

/** The fills of one symbol, without `ts` (the decision time: the wall clock in paper mode, bar time in replay). */
function fillsOf(events: readonly AuditEvent[], symbol: string): unknown[] {
  return events.flatMap((e) => {
    if (e.kind !== "order_filled" || e.payload.symbol !== symbol) return [];
    const { ts: _ts, ...rest } = e.payload;
    return [rest];
  });
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

Deno.test("paper runner on the polling feed: faults lose and repeat nothing, fills match a replay, restart resumes", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "paper-poll-" });
  const clock = { t: T0 + 10 * M + 30_000 }; // bar 10 is forming: the feed starts at bar 9, the newest closed one
  /** What ETH has served at time t: everything but the late bar until 15 s after its close. */
  const ethServed = (t: number): Bar[] => BARS[ETH]!.filter((b, i) => i !== LATE || t >= b.ts + M + 15_000);
  const fake: FakeExchange = await startFakeExchange({
    now: () => clock.t,
    series: [{ symbol: BTC, timeframe: "1m", bars: BARS[BTC]! }, {
      symbol: ETH,
      timeframe: "1m",
      bars: ethServed(clock.t),
    }],
    // klines requests 0 and 1 find each symbol's newest bar; 2.. are the polling rounds (BTC then ETH).
    faults: {
      klines: [
        null,
        null,
        { kind: "rateLimit", retryAfterSec: 2 },
        { kind: "status", status: 503 },
        { kind: "status", status: 503 },
        null,
        null,
        null,
        { kind: "delay", ms: 5_000 },
        null,
        null,
        null,
        { kind: "malformed", body: "not-json" },
        null,
        null,
        { kind: "malformed", body: "truncated" },
      ],
    },
  });
  const statuses: FeedStatus[] = [];
  const feed = (): CcxtPollingFeed =>
    new CcxtPollingFeed({
      symbols: [BTC, ETH],
      timeframe: "1m",
      apiUrl: fake.url,
      exchangeOptions: { rateLimit: 1 },
      timeoutMs: 1_000,
      now: () => clock.t,
      pollMs: 1_000,
      graceMs: GRACE_MS,
      baseBackoffMs: 1,
      maxBackoffMs: 4,
      random: () => 0.5,
      onStatus: (s) => statuses.push(s),
      sleep: (ms, signal) => {
        signal?.throwIfAborted();
        // Whole ms, as Date.now gives: the jittered backoff is fractional and audit times are integers.
        clock.t += Math.ceil(ms);
        fake.setBars(ETH, "1m", ethServed(clock.t));
        return Promise.resolve();
      },
    });
  const t = performance.now();
  try {
    // --- first run: bars 9..24, then the signal
    const bus = new EventBus();
    const seen: AuditEvent[] = [];
    const ac = new AbortController();
    bus.on("bar", (e) => {
      seen.push(e);
      const by = barsBySymbol(seen);
      if (by[BTC]!.at(-1)! >= 24 && by[ETH]!.at(-1)! >= 24) ac.abort();
    });
    const runner = await open(dataDir, "paper", () => clock.t, bus);
    const summary = await runner.run(feed(), { signal: ac.signal });
    assert.equal(summary.reason, "stopped");
    const first = runner.log.query({ limit: 100_000 });
    const stops = first.filter((e) => e.kind === "run_stopped");
    assert.equal(stops.length, 1);
    assert.equal(stops[0]!.kind === "run_stopped" && stops[0]!.payload.reason, "stopped");
    assert.deepEqual(barsBySymbol(first), { [BTC]: range(9, 24), [ETH]: range(9, 24) });
    // The bus heard each batch once, after it was durable: the same events as the log.
    assert.deepEqual(seen.map((e) => e.seq), first.filter((e) => e.kind === "bars").map((e) => e.seq));
    // The late ETH bar came alone, after BTC's bar of the same minute and before both of the next minute.
    const batches = first.flatMap((e) =>
      e.kind === "bars" ? [e.payload.bars.map((b) => `${b.symbol.slice(0, 3)}@${(e.payload.ts - T0) / M}`)] : []
    );
    const k = batches.findIndex((b) => b.includes(`BTC@${LATE}`));
    assert.deepEqual(batches.slice(k, k + 3), [[`BTC@${LATE}`], [`ETH@${LATE}`], [
      `BTC@${LATE + 1}`,
      `ETH@${LATE + 1}`,
    ]]);
    // Every bar is recorded with the values served.
    for (const e of first) {
      if (e.kind !== "bars") continue;
      const ts = e.payload.ts;
      for (const b of e.payload.bars) {
        const served: Bar = BARS[b.symbol]!.find((x) => x.ts === ts)!;
        assert.deepEqual([b.open, b.high, b.low, b.close, b.volume], [
          served.open,
          served.high,
          served.low,
          served.close,
          served.volume,
        ]);
      }
    }
    // Every scripted fault happened and was retried.
    const retries = statuses.filter((s): s is Extract<FeedStatus, { kind: "retry" }> => s.kind === "retry");
    assert.deepEqual(retries.map((r) => r.cause), [
      "rateLimit",
      "transient",
      "transient",
      ...Array(3).fill("transient"),
    ]);
    assert.equal(retries[0]!.retryAfterMs, 2_000);
    assert.ok(retries.some((r) => /timed out/i.test(r.error)), JSON.stringify(retries));
    const late = statuses.filter((s) => s.kind === "late");
    assert.deepEqual(late.map((s) => s.kind === "late" && [s.symbol, (s.ts - T0) / M]), [[ETH, LATE]]);
    assert.ok(summary.fills > 0, "the strategy traded");
    assert.equal(runner.log.verify().ok, true);
    const lastTs = new Map(runner.lastBarTs);
    assert.deepEqual([...lastTs], [[BTC, T0 + 24 * M], [ETH, T0 + 24 * M]]);
    runner.close();

    // --- restart on the same account: only the bars after lastBarTs
    clock.t += 3 * M;
    const ac2 = new AbortController();
    const bus2 = new EventBus();
    const seen2: AuditEvent[] = [];
    bus2.on("bar", (e) => {
      seen2.push(e);
      if (barsBySymbol(seen2)[ETH]!.at(-1)! >= 30) ac2.abort();
    });
    const again = await open(dataDir, "paper", () => clock.t, bus2);
    assert.deepEqual([...again.lastBarTs], [...lastTs]);
    const s2 = await again.run(feed(), { signal: ac2.signal });
    assert.equal(s2.reason, "stopped");
    assert.deepEqual(barsBySymbol(seen2), { [BTC]: range(25, 30), [ETH]: range(25, 30) });
    const all = again.log.query({ limit: 100_000 });
    assert.deepEqual(barsBySymbol(all), { [BTC]: range(9, 30), [ETH]: range(9, 30) });
    assert.equal(again.log.verify().ok, true);
    // Never an order twice: one order_submitted and one intent per client order id over both runs.
    for (const kind of ["order_submitted", "order_intent"] as const) {
      const ids = all.flatMap((e) => e.kind === kind ? [e.payload.clientOrderId] : []);
      assert.ok(ids.length > 0);
      assert.equal(new Set(ids).size, ids.length, `${kind} repeated`);
    }
    const fillIds = all.flatMap((e) => e.kind === "order_filled" ? [e.payload.clientOrderId] : []);
    assert.equal(new Set(fillIds).size, fillIds.length, "a fill repeated");
    // The order decided on the last bar before the stop was sent by the first run and filled by the second, once.
    const sentBy = new Map(
      all.flatMap((e) => e.kind === "order_submitted" ? [[e.payload.clientOrderId, e.runId]] : []),
    );
    const crossing = all.filter((e) =>
      e.kind === "order_filled" && e.runId === again.runId && sentBy.get(e.payload.clientOrderId) === runner.runId
    );
    assert.equal(crossing.length, 1, "an order pending at the stop fills after the restart");
    assert.ok(s2.fills > 0 && summary.fills > 0);
    again.close();

    // --- the same bars replayed on a fresh account: the same fills, per symbol
    const replayDir = await Deno.makeTempDir({ prefix: "paper-poll-replay-" });
    try {
      using rep = await open(replayDir, "replay");
      const frames = Object.fromEntries(
        [BTC, ETH].map((s) => [s, Frame.fromBars(BARS[s]!.filter((b) => b.ts >= T0 + 9 * M && b.ts <= T0 + 30 * M))]),
      );
      await rep.run(new ReplayFeed({ frames, timeframe: "1m" }));
      const replayed = rep.log.query({ limit: 100_000 });
      for (const s of [BTC, ETH]) {
        const paper = fillsOf(all, s);
        assert.ok(paper.length >= 2, `${s} traded`);
        assert.deepEqual(paper, fillsOf(replayed, s), `${s} fills`);
      }
    } finally {
      await Deno.remove(replayDir, { recursive: true });
    }
  } finally {
    await fake.close();
    await Deno.remove(dataDir, { recursive: true });
  }
  assert.ok(performance.now() - t < 20_000, `took ${Math.round(performance.now() - t)} ms`);
});
