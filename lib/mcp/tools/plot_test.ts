import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { runSweep } from "../../backtest/mod.ts";
import { readCsv } from "../../data/read_csv.ts";
import { columnsFromArrow, RunRegistry } from "../../runs/mod.ts";
import { closePlotRuns, PLOT_KINDS, plotTool } from "./plot.ts";
import { call, fakeContext, researchDataDir } from "./_research_testing.ts";
import { closeReadOnlyStores } from "./_series.ts";

type Out = typeof plotTool.output._zod.output;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const fx = await researchDataDir();

/** A recorded sweep run (fast x slow x fee-free sma_cross on SPX), as `deno task backtest --sweep` records one. */
async function recordSweep(dataDir: string): Promise<string> {
  const spx = (await readCsv(new URL("../../../data/samples/SP500-2000.csv", import.meta.url))).frame;
  const grid = { fast: [5, 10, 20], slow: [50, 100] };
  const r = await runSweep({ frame: spx, strategy: "sma_cross", grid, metric: "sharpe", stats: "full" });
  const runs = await RunRegistry.open({ dir: join(dataDir, "_runs") });
  try {
    const rec = await runs.record({
      kind: "sweep",
      series: ["samples:SPX:1d"],
      strategy: "sma_cross",
      params: r.best!.params as Record<string, unknown>,
      options: {},
      manifest: { kind: "sweep", grid, metric: "sharpe" },
      stats: r.best!.stats,
      sweep: columnsFromArrow(r.table),
      detail: { kind: "sweep", metric: "sharpe", combos: r.combos },
    }, { source: "cli", label: "sweep fixture" });
    return rec.id;
  } finally {
    await runs.close();
  }
}
const sweepRunId = await recordSweep(fx.dataDir);

const fresh = { strategy: "sma_cross", params: { fast: 10, slow: 50 }, series: "samples:SPX:1d" };
const freshGrid = { strategy: "sma_cross", grid: { fast: [5, 10, 20], slow: [50, 100] }, series: "samples:SPX:1d" };

function checkImage(r: Awaited<ReturnType<typeof call<Out>>>, kind: string): void {
  const s = r.structured;
  assert.equal(s.kind, kind);
  assert.equal(r.images?.length, 1);
  const png = Buffer.from(r.images![0]!.data, "base64");
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  assert.equal(png.length, s.pngBytes);
  // IHDR: width and height, big-endian, at bytes 16..24.
  assert.equal(png.readUInt32BE(16), s.width);
  assert.equal(png.readUInt32BE(20), s.height);
  assert.equal(s.width, 900);
  assert.ok(s.height >= 150 && s.height <= 1_200, `height ${s.height}`);
  assert.ok(png.length > 8_000 && png.length < 600_000, `PNG of ${png.length} bytes`);
  assert.equal(r.resources?.length, 1);
  const svg = r.resources![0]!;
  assert.equal(svg.mimeType, "image/svg+xml");
  assert.match(svg.uri, new RegExp(`^sentinel://plots/${kind}/[0-9a-f]{16}\\.svg$`));
  assert.equal(svg.uri, s.uri);
  assert.ok(svg.text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.equal(new TextEncoder().encode(svg.text).length, s.svgBytes);
  assert.match(r.text, new RegExp(`^Plotted ${kind} of `));
  assert.match(r.text, /900x\d+ PNG; SVG at sentinel:\/\/plots\//);
}

for (const kind of PLOT_KINDS) {
  Deno.test(`plot ${kind} of a fresh backtest: PNG, SVG resource, provenance, not recorded`, async () => {
    const { ctx } = fakeContext(fx.dataDir);
    const args = kind === "sweep_heatmap" ? { kind, ...freshGrid } : { kind, ...fresh };
    const r = await call<Out>(plotTool, args, ctx);
    checkImage(r, kind);
    const s = r.structured;
    assert.equal(s.runId, null);
    assert.equal(s.source, kind === "sweep_heatmap" ? "sweep" : "backtest");
    assert.equal(s.plotted.series, "samples:SPX:1d");
    assert.equal(s.provenance.series, "samples:SPX:1d");
    assert.match(s.provenance.note!, /not recorded/);
    assert.match(r.text, /not recorded/);
    if (kind === "sweep_heatmap") {
      assert.deepEqual([s.plotted.x, s.plotted.y, s.plotted.metric], ["slow", "fast", "sharpe"]);
      assert.equal(s.plotted.combos, 6);
      assert.equal(s.plotted.cells, 6);
    } else {
      assert.deepEqual(s.plotted.params, { fast: 10, slow: 50 });
      assert.equal(s.plotted.bars, s.provenance.bars);
    }
    if (kind === "price") {
      assert.ok(s.plotted.trades! > 0 && s.plotted.tradesShown === s.plotted.trades);
      assert.match(s.caps.join(), /drawn as a close line/);
    }
    if (kind === "equity" || kind === "drawdown") {
      assert.match(s.provenance.capped!, /decimated for drawing/);
    }
    if (kind === "monthly_returns") assert.ok(s.plotted.months! > 12);
  });

  Deno.test(`plot ${kind} of a recorded run`, async () => {
    const { ctx } = fakeContext(fx.dataDir);
    const run = kind === "sweep_heatmap" ? sweepRunId : fx.runId;
    const r = await call<Out>(plotTool, { kind, run }, ctx);
    checkImage(r, kind);
    const s = r.structured;
    assert.equal(s.source, "run");
    assert.equal(s.runId, run);
    assert.equal(s.provenance.runId, run);
    assert.match(r.text, new RegExp(`of run ${run}`));
    if (kind === "sweep_heatmap") {
      assert.deepEqual([s.plotted.x, s.plotted.y, s.plotted.metric, s.plotted.combos], ["slow", "fast", "sharpe", 6]);
    } else {
      assert.deepEqual(s.plotted.params, { fast: 10, slow: 50 });
      assert.ok(s.plotted.bars! > 1_000);
    }
    if (kind === "price") assert.ok(s.plotted.trades! > 0);
  });
}

Deno.test("plot windows a recorded run with from/to and draws candles for a short range", async () => {
  const { ctx } = fakeContext(fx.dataDir);
  const r = await call<Out>(plotTool, { kind: "price", run: fx.runId, from: "2005-01-01", to: "2005-07-01" }, ctx);
  checkImage(r, "price");
  const s = r.structured;
  assert.ok(s.plotted.bars! > 100 && s.plotted.bars! < 130, `${s.plotted.bars} bars`);
  assert.ok(s.plotted.from!.startsWith("2005-01"));
  assert.deepEqual(s.caps, []);
  assert.match(r.resources![0]!.text, /Up/, "candles drawn: the legend has Up and Down");
});

Deno.test("plot twice with one context: the server's signal is reused across renders", async () => {
  const { ctx } = fakeContext(fx.dataDir);
  for (const kind of ["equity", "drawdown", "equity"]) {
    checkImage(await call<Out>(plotTool, { kind, run: fx.runId }, ctx), kind);
  }
});

Deno.test("plot heatmap axes, metric and size follow the arguments", async () => {
  const { ctx } = fakeContext(fx.dataDir);
  const r = await call<Out>(plotTool, {
    kind: "sweep_heatmap",
    ...freshGrid,
    x: "fast",
    y: "slow",
    metric: "total_return",
    width: 600,
  }, ctx);
  const s = r.structured;
  assert.deepEqual([s.plotted.x, s.plotted.y, s.plotted.metric], ["fast", "slow", "total_return"]);
  assert.equal(s.width, 600);
  assert.match(s.title, /Total return by fast and slow/);
});

Deno.test("plot rejects bad arguments with the field and the fix", async () => {
  const { ctx } = fakeContext(fx.dataDir);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ kind: "pie", run: fx.runId }, /kind/],
    [{ kind: "equity", run: "0".repeat(10) }, /Error: run: /],
    [{ kind: "equity" }, /Error: strategy: pass run .* or strategy and series/],
    [{ kind: "equity", strategy: "sma_cross" }, /Error: series: /],
    [
      { kind: "equity", run: fx.runId, strategy: "sma_cross" },
      /Error: strategy: a recorded run is plotted as recorded/,
    ],
    [{ kind: "sweep_heatmap", run: fx.runId }, /Error: kind: run .* is a single run with no sweep table.*plot equity/],
    [{ kind: "sweep_heatmap", ...fresh }, /Error: grid: a fresh sweep_heatmap needs a grid/],
    [
      { kind: "sweep_heatmap", ...freshGrid, grid: { fast: [5, 10] } },
      /Error: grid: a heatmap needs two numeric params/,
    ],
    [{ kind: "sweep_heatmap", ...freshGrid, x: "nope" }, /Error: x: "nope" is not a varying numeric param/],
    [{ kind: "sweep_heatmap", ...freshGrid, metric: "nope" }, /Error: metric: /],
    [{ kind: "sweep_heatmap", run: sweepRunId, from: "2001-01-01" }, /Error: from\/to: /],
    [{ kind: "equity", ...fresh, grid: { fast: [1, 2] } }, /Error: grid: only kind sweep_heatmap takes grid/],
    [{ kind: "equity", ...fresh, strategy: "nope" }, /Error: strategy: unknown strategy/],
    [{ kind: "equity", ...fresh, series: "nope:X:1d" }, /not stored/],
    [{ kind: "equity", run: fx.runId, from: "2030-01-01" }, /Error: from\/to: no bars/],
    [{ kind: "monthly_returns", ...fresh, params: { fast: 0 } }, /Error: params: /],
    [{ kind: "equity", run: fx.runId, width: 5_000 }, /width/],
  ];
  for (const [args, re] of cases) {
    await assert.rejects(() => call(plotTool, args, ctx), re, JSON.stringify(args));
  }
});

Deno.test("plot of a fresh grid over run_sweep's bounds is refused before any work", async () => {
  const { ctx } = fakeContext(fx.dataDir);
  const grid = {
    fast: Array.from({ length: 50 }, (_, i) => i + 2),
    slow: Array.from({ length: 50 }, (_, i) => i + 60),
  };
  await assert.rejects(
    () => call(plotTool, { kind: "sweep_heatmap", strategy: "sma_cross", grid, series: "samples:SPX:1d" }, ctx),
    /RangeError: grid: 2500 combinations is more than the 2000/,
  );
});

Deno.test({
  name: "plot fixtures cleanup",
  sanitizeResources: false,
  async fn() {
    await closePlotRuns();
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  },
});
