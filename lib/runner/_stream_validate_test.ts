import assert from "node:assert/strict";
import { LatencyWindow, readKline, SpikeGuard } from "./_stream_validate.ts";

const M = 60_000;
const kline = (k: Record<string, unknown> = {}, top: Record<string, unknown> = {}): unknown => ({
  stream: "btcusdt@kline_1m",
  data: {
    e: "kline",
    E: 1_000_000,
    s: "BTCUSDT",
    k: { t: 960_000, T: 1_019_999, s: "BTCUSDT", i: "1m", o: "10", h: "12", l: "9", c: "11", v: "3.5", x: true, ...k },
    ...top,
  },
});

Deno.test("readKline: a combined-stream kline, and a bare one", () => {
  const r = readKline(kline(), M);
  assert.deepEqual(r, {
    ok: true,
    kline: {
      marketId: "BTCUSDT",
      interval: "1m",
      ts: 960_000,
      open: 10,
      high: 12,
      low: 9,
      close: 11,
      volume: 3.5,
      closed: true,
      eventTime: 1_000_000,
    },
  });
  assert.deepEqual(readKline((kline() as { data: unknown }).data, M), r);
  assert.equal(readKline({ result: null, id: 1 }, M), undefined);
  assert.equal(readKline({ e: "trade", p: "1" }, M), undefined);
  assert.equal(readKline(null, M), undefined);
});

Deno.test("readKline: schema problems name the field", () => {
  const problem = (m: unknown): string => {
    const r = readKline(m, M);
    assert.ok(r !== undefined && !r.ok, JSON.stringify(r));
    return r.problem;
  };
  assert.match(problem(kline({ c: "NaN" })), /not a number/);
  assert.match(problem(kline({ c: "1e400" })), /not a number/);
  assert.match(problem(kline({ o: null })), /not a number/);
  assert.match(problem(kline({ l: "13" })), /out of their range/);
  assert.match(problem(kline({ c: "-1", l: "-2" })), /negative/);
  assert.match(problem(kline({ x: "true" })), /closed flag/);
  assert.match(problem(kline({ t: 1.5 })), /open time/);
  assert.match(problem(kline({ T: 2_000_000 })), /close time/);
  assert.match(problem(kline({ i: 1 })), /interval/);
  assert.match(problem(kline({}, { E: "soon" })), /event time/);
  assert.match(problem(kline({}, { k: "x" })), /no k object/);
  const r = readKline(kline({ c: "x" }), M);
  assert.ok(r !== undefined && !r.ok && r.marketId === "BTCUSDT");
});

Deno.test("SpikeGuard: judges only after minSamples; the limit follows volatility with a floor", () => {
  const g = new SpikeGuard({ window: 5, minSamples: 3, multiple: 4, floor: 0.01 });
  g.accept(100);
  assert.equal(g.judge(1_000), undefined); // no returns yet
  for (const c of [101, 100, 101]) g.accept(c); // returns of ~1%
  assert.equal(g.previous, 101);
  assert.equal(g.judge(103), undefined); // ~2% < 4 x 1%
  const s = g.judge(130)!;
  assert.ok(s.move > s.limit && Math.abs(s.limit - 4 * 0.00995) < 0.001, JSON.stringify(s));
  // A flat market: the floor keeps tiny moves from counting.
  const flat = new SpikeGuard({ window: 5, minSamples: 2, floor: 0.02 });
  for (let i = 0; i < 6; i++) flat.accept(50);
  assert.equal(flat.judge(50.5), undefined);
  assert.ok(flat.judge(52) !== undefined);
  // Old returns leave the window.
  for (let i = 0; i < 5; i++) g.accept(101);
  assert.ok(g.judge(103) !== undefined); // 2% over a window of flat returns: only the floor is left
  assert.throws(() => new SpikeGuard({ window: 1 }), /window 1/);
  assert.throws(() => new SpikeGuard({ window: 5, minSamples: 6 }), /minSamples 6/);
});

Deno.test("LatencyWindow: nearest-rank p50/p99 over the kept samples, max and count over all", () => {
  const w = new LatencyWindow(100);
  assert.equal(w.snapshot().count, 0);
  assert.ok(Number.isNaN(w.snapshot().p99));
  for (let i = 1; i <= 100; i++) w.add(i);
  assert.deepEqual(w.snapshot(), { count: 100, last: 100, p50: 50, p99: 99, max: 100 });
  for (let i = 0; i < 100; i++) w.add(1); // the ring now holds only 1s
  assert.deepEqual(w.snapshot(), { count: 200, last: 1, p50: 1, p99: 1, max: 100 });
});
