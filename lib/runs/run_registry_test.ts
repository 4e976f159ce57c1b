import assert from "node:assert/strict";
import { join } from "node:path";
import { Frame } from "../frame/mod.ts";
import { runBacktest } from "../backtest/mod.ts";
import type { Trade } from "../types/mod.ts";
import { RunRegistry } from "./run_registry.ts";
import type { RunInput } from "./run_record.ts";

const DAY = 86_400_000;

function input(over: Partial<RunInput> = {}): RunInput {
  return {
    kind: "single",
    series: ["samples:GOOG:1d"],
    strategy: "sma_cross",
    params: { fast: 10, slow: 30 },
    options: { fee: 0.001 },
    manifest: { id: "c0ffee".padEnd(64, "0") },
    stats: { sharpe: 1, max_drawdown: -0.2, final_equity: 11_000 },
    ...over,
  };
}

const trade: Trade = {
  asset: "GOOG",
  direction: "long",
  entryIndex: 1,
  exitIndex: -1,
  entryTs: DAY,
  exitTs: NaN,
  entryPrice: 100,
  exitPrice: 105,
  size: 2,
  pnl: 10,
  return: 0.05,
  fees: 0,
  bars: 2,
  durationMs: 2 * DAY,
  exitReason: "open",
};

async function withRegistry(fn: (r: RunRegistry, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  const runs = await RunRegistry.open({ dir });
  try {
    await fn(runs, dir);
  } finally {
    await runs.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("record then get gives the run back, non-finite stats included", async () => {
  await withRegistry(async (runs, dir) => {
    const rec = await runs.record(
      input({ stats: { sharpe: NaN, profit_factor: Infinity, worst: -Infinity, trades: 3 } }),
      { source: "web", label: "nightly", now: new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 10)) },
    );
    assert.match(rec.id, /^20240506T070809010Z-c0ffee00-[0-9a-f]{4}$/);
    const got = await runs.get(rec.id);
    assert.deepEqual(got, rec);
    assert.ok(Number.isNaN(got.stats.sharpe));
    assert.equal(got.stats.profit_factor, Infinity);
    assert.equal(got.stats.worst, -Infinity);
    assert.equal(got.source, "web");
    assert.equal(got.label, "nightly");
    assert.equal(got.created_at, "2024-05-06T07:08:09.010Z");
    // On disk: null plus the nonfinite map, so DuckDB sees a plain MAP(VARCHAR, DOUBLE).
    const raw = JSON.parse(await Deno.readTextFile(join(dir, rec.id, "run.json")));
    assert.equal(raw.stats.profit_factor, null);
    assert.equal(raw.nonfinite.profit_factor, "Infinity");
  });
});

Deno.test("equity, trades and sweep tables round-trip through Parquet", async () => {
  await withRegistry(async (runs) => {
    const ts = Float64Array.of(0, DAY, 2 * DAY);
    const rec = await runs.record(input({
      equity: { ts: BigInt64Array.of(0n, BigInt(DAY), BigInt(2 * DAY)), equity: Float64Array.of(100, 99, NaN) },
      trades: [trade, { ...trade, exitIndex: 2, exitTs: 2 * DAY, exitReason: "signal", direction: "short" }],
      sweep: { fast: Int32Array.of(5, 10), sharpe: Float64Array.of(0.5, NaN), note: ["a", null] },
      files: { "report.html": "<html></html>" },
    }));
    assert.deepEqual(rec.files, ["equity.parquet", "trades.parquet", "sweep.parquet", "report.html"]);
    const eq = await runs.equity(rec.id);
    assert.ok(eq instanceof Frame);
    assert.deepEqual([...eq.ts], [...ts]);
    assert.deepEqual([...eq.col("equity")].slice(0, 2), [100, 99]);
    assert.ok(Number.isNaN(eq.col("equity")[2]!));
    const trades = await runs.trades(rec.id);
    assert.equal(trades.length, 2);
    assert.ok(Number.isNaN(trades[0]!.exitTs));
    assert.deepEqual({ ...trades[0]!, exitTs: 0 }, { ...trade, exitTs: 0 });
    assert.equal(trades[1]!.direction, "short");
    const sweep = await runs.sweep(rec.id);
    assert.deepEqual([...(sweep.fast as Float64Array)], [5, 10]);
    assert.deepEqual(sweep.note, ["a", null]);
    assert.equal(await Deno.readTextFile(runs.path(rec.id, "report.html")), "<html></html>");
    await assert.rejects(() => runs.equity(rec.id.replace(/-[0-9a-f]{4}$/, "-ffff")), /Unknown run id/);
  });
});

Deno.test("list: newest first, filters, since and limit", async () => {
  await withRegistry(async (runs) => {
    const t = (d: number) => new Date(Date.UTC(2024, 0, d));
    const a = await runs.record(input(), { now: t(1) });
    const b = await runs.record(input({ strategy: "ema_cross", kind: "sweep" }), { now: t(2), source: "job" });
    const c = await runs.record(input({ series: ["csv:x:1h"] }), { now: t(3) });
    const ids = async (o = {}) => (await runs.list(o)).map((r) => r.id);
    assert.deepEqual(await ids(), [c.id, b.id, a.id]);
    assert.deepEqual(await ids({ strategy: "sma_cross" }), [c.id, a.id]);
    assert.deepEqual(await ids({ kind: "sweep" }), [b.id]);
    assert.deepEqual(await ids({ source: "job" }), [b.id]);
    assert.deepEqual(await ids({ series: "samples:GOOG:1d" }), [b.id, a.id]);
    assert.deepEqual(await ids({ since: "2024-01-02" }), [c.id, b.id]);
    assert.deepEqual(await ids({ since: t(2) }), [c.id, b.id]);
    assert.deepEqual(await ids({ limit: 1 }), [c.id]);
    await assert.rejects(() => runs.list({ limit: -1 }), /Invalid limit -1/);
  });
});

Deno.test("compare: b - a per stat, and which is better by the registry's direction", async () => {
  await withRegistry(async (runs) => {
    const a = await runs.record(input({ stats: { sharpe: 1, max_drawdown: -0.2, custom: 1 } }));
    const b = await runs.record(input({ stats: { sharpe: 1.5, max_drawdown: -0.3, custom: 4 } }));
    const rows = await runs.compare(a.id, b.id);
    assert.deepEqual(rows.map((r) => r.key), ["sharpe", "max_drawdown", "custom"]);
    const [sharpe, dd, custom] = rows;
    assert.equal(sharpe!.diff, 0.5);
    assert.equal(sharpe!.better, "b");
    // A deeper drawdown (-30% vs -20%) is worse: a wins.
    assert.ok(Math.abs(dd!.diff - -0.1) < 1e-15);
    assert.equal(dd!.better, "a");
    assert.equal(dd!.aText, "\u221220.00%"); // formatStat: typographic minus
    assert.equal(custom!.better, "");
  });
});

Deno.test("ids are validated before they touch a path", async () => {
  await withRegistry(async (runs) => {
    for (const bad of ["../etc", "..", "20240101T000000000Z-abcdef01-12/../x", "", "x".repeat(40)]) {
      await assert.rejects(() => runs.get(bad), RangeError);
      assert.throws(() => runs.path(bad), RangeError);
    }
    const rec = await runs.record(input());
    assert.throws(() => runs.path(rec.id, "../run.json"), /Invalid run file name/);
    await assert.rejects(() => runs.record(input({ files: { "run.json": "x" } })), /Invalid run file name "run.json"/);
    await assert.rejects(() => runs.record(input({ files: { "../x": "x" } })), /Invalid run file name/);
    await assert.rejects(() => runs.record(input({ kind: "bogus" as "single" })), /Invalid run kind "bogus"/);
  });
});

Deno.test("crash leftovers: temp folders are never listed, and old ones are removed on open", async () => {
  await withRegistry(async (runs, dir) => {
    const rec = await runs.record(input());
    const fresh = join(dir, `.tmp-${rec.id}-1`);
    const stale = join(dir, `.tmp-${rec.id}-2`);
    await Deno.mkdir(fresh);
    await Deno.mkdir(stale);
    await Deno.writeTextFile(join(stale, "run.json"), "{");
    const old = new Date(Date.now() - 2 * 3_600_000);
    await Deno.utime(stale, old, old);
    assert.deepEqual((await runs.list()).map((r) => r.id), [rec.id]);
    await RunRegistry.open({ dir });
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names.sort(), [`.tmp-${rec.id}-1`, rec.id].sort());
  });
});

Deno.test("two registries on one folder record concurrently without losing a run", async () => {
  await withRegistry(async (one, dir) => {
    const two = await RunRegistry.open({ dir });
    const now = new Date(Date.UTC(2024, 0, 1));
    // Same manifest, same millisecond: only the random tail tells them apart.
    const recs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).record(input(), { now })),
    );
    assert.equal(new Set(recs.map((r) => r.id)).size, 20);
    assert.equal((await one.list()).length, 20);
  });
});

Deno.test("query: SQL over run.json and the Parquet files with bound parameters", async () => {
  await withRegistry(async (runs) => {
    assert.deepEqual(await runs.query("SELECT count(*)::INTEGER AS n FROM runs"), [{ n: 0 }]);
    const a = await runs.record(
      input({
        equity: { ts: Float64Array.of(0, DAY), equity: Float64Array.of(1, 2) },
      }),
      { label: "it's" },
    );
    await runs.record(input({ strategy: "ema_cross", stats: { sharpe: 2 } }));
    const rows = await runs.query(
      "SELECT id, stats['sharpe'] AS sharpe, params->>'fast' AS fast FROM runs WHERE strategy = $1 AND label = $2",
      ["sma_cross", "it's"],
    );
    assert.deepEqual(rows, [{ id: a.id, sharpe: 1, fast: "10" }]);
    const eq = await runs.query("SELECT run_id, sum(equity) AS s FROM equity GROUP BY run_id");
    assert.deepEqual(eq, [{ run_id: a.id, s: 3 }]);
    assert.deepEqual(await runs.query("SELECT count(*)::INTEGER AS n FROM sweeps"), [{ n: 0 }]);
  });
});

Deno.test("a BacktestResult records as a single run with its manifest, equity and trades", async () => {
  await withRegistry(async (runs) => {
    const close = Float64Array.of(5, 4, 3, 4, 5, 6, 5, 4, 3);
    const frame = new Frame(Float64Array.from(close, (_, i) => i * DAY), {
      open: close,
      high: close,
      low: close,
      close,
    });
    const r = await runBacktest({
      frame,
      strategy: "sma_cross",
      params: { fast: 1, slow: 3 },
      options: { fill: "close" },
      series: { exchange: "x", symbol: "Y", timeframe: "1d" },
    });
    const rec = await runs.record(r, { label: "direct" });
    assert.equal(rec.kind, "single");
    assert.equal(rec.strategy, "sma_cross");
    assert.deepEqual(rec.series, ["x:Y:1d"]);
    assert.equal(rec.manifest_id, r.manifest.id);
    assert.ok(rec.id.includes(`-${r.manifest.id.slice(0, 8)}-`));
    assert.equal(rec.stats.final_equity, 12_500);
    assert.deepEqual([...(await runs.equity(rec.id)).col("equity")], [...r.sim.equity]);
    assert.deepEqual(await runs.trades(rec.id), r.trades);
  });
});

Deno.test("Parquet reads share one DuckDB until close, which waits for reads in flight; reads after close reopen", async () => {
  await withRegistry(async (runs) => {
    const rec = await runs.record(input({
      equity: { ts: Float64Array.of(0, DAY, 2 * DAY), equity: Float64Array.of(100, 105, 103) },
      trades: [trade],
    }));
    // Concurrent reads, each on its own connection, and a close issued while they run.
    const reads = Promise.all([runs.equity(rec.id), runs.trades(rec.id), runs.equity(rec.id)]);
    const closed = runs.close();
    const [a, t, b] = await reads;
    await closed;
    assert.deepEqual([...a.col("equity")], [100, 105, 103]);
    assert.deepEqual([...b.col("equity")], [100, 105, 103]);
    assert.deepEqual(t, [trade]);
    // A closed registry still reads (a new instance), and close is idempotent.
    assert.deepEqual([...(await runs.equity(rec.id)).col("equity")], [100, 105, 103]);
    await runs.close();
    await runs.close();
  });
});
