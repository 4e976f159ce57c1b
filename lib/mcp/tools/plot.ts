import { Buffer } from "node:buffer";
import { z } from "zod";
import type { SweepResult } from "../../backtest/mod.ts";
import { backtestModule } from "./_lazy_backtest.ts";
import type { Frame } from "../../frame/mod.ts";
import { drawdownSeries, monthlyReturns, STATS_BY_KEY } from "../../metrics/mod.ts";
import type { Figure } from "../../plots/mod.ts";
import { type Columns, columnsFromArrow, type RunRecord, type RunRegistry } from "../../runs/mod.ts";
import type { Trade } from "../../types/mod.ts";
import {
  defineTool,
  type McpTool,
  type Provenance,
  ProvenanceSchema,
  type ToolContext,
  toolInput,
} from "../mcp_tool.ts";
import { inputsManifestHash, provenanceFromManifest, runProvenance, seriesProvenance } from "./_provenance.ts";
import { rasterizeSvg } from "./_rasterize.ts";
import {
  FromArg,
  getRun,
  GridArg,
  loadSeries,
  openRuns,
  OptionsArg,
  ParamsArg,
  parseRunArgs,
  parseTime,
  RunIdArg,
  SeriesArg,
  StrategyArg,
  ToArg,
  withField,
} from "./_research.ts";
import { SWEEP_MAX_COMBOS, SWEEP_MAX_MS } from "./run_sweep.ts";

// The figures (Observable Plot and its DOM, a third of the server's imports) load on the first plot, not when the
// server starts: most sessions never plot, and every session waits for the start.
type Figures = typeof import("../../plots/mod.ts");
let loadedFigures: Figures | undefined;

async function loadFigures(): Promise<void> {
  loadedFigures ??= await import("../../plots/mod.ts");
}

function figures(): Figures {
  if (loadedFigures === undefined) throw new Error("plot: the figures are not loaded; await loadFigures() first");
  return loadedFigures;
}

/** What `plot` draws. */
export const PLOT_KINDS = ["equity", "drawdown", "price", "sweep_heatmap", "monthly_returns"] as const;
/** One of {@link PLOT_KINDS}. */
export type PlotKind = typeof PLOT_KINDS[number];

/** Most trades the price plot marks; more are thinned evenly over the run (the figure's own default). */
export const PLOT_MAX_TRADES = 2_000;
/** Most candles the price plot draws; longer ranges merge bars into candles or draw the close as a line. */
const CANDLE_LIMIT = 250;
/** Stats the fast sweep path computes; any other metric needs full stats. */
const FAST_STATS = new Set(["final_equity", "total_return", "trades", "entries"]);

const input = toolInput({
  kind: z.enum(PLOT_KINDS).describe(
    "equity (with buy and hold), drawdown, price (bars with trade entries and exits), sweep_heatmap (a metric over " +
      "two params), monthly_returns (year x month heatmap)",
  ),
  run: RunIdArg.optional().describe(
    "A recorded run's id (list_runs shows them). Leave out for a fresh backtest of strategy on series",
  ),
  strategy: StrategyArg.optional(),
  params: ParamsArg,
  options: OptionsArg,
  series: SeriesArg.optional(),
  from: FromArg,
  to: ToArg,
  grid: GridArg.optional().describe(
    'sweep_heatmap of a fresh sweep: values per param, at least two params with two values or more, e.g. {"fast": ' +
      `[5, 10, 20], "slow": [50, 100]} (at most ${SWEEP_MAX_COMBOS} combinations, ${SWEEP_MAX_MS / 1000} s)`,
  ),
  metric: z.string().optional().describe(
    "sweep_heatmap: the stat that colors the cells (default: the recorded sweep's metric, else sharpe)",
  ),
  x: z.string().optional().describe("sweep_heatmap: param on the horizontal axis (default: the second varying one)"),
  y: z.string().optional().describe("sweep_heatmap: param on the vertical axis (default: the first varying one)"),
  log: z.boolean().optional().describe("equity and price: logarithmic y axis"),
  width: z.number().int().min(400).max(1600).default(900).describe("Image width in px (default 900)"),
  height: z.number().int().min(120).max(800).optional().describe(
    "Plot area height in px for equity, drawdown and price (default 300; heatmaps size themselves)",
  ),
  title: z.string().max(200).optional().describe("Title drawn on the figure (default: what was plotted)"),
});

const output = z.strictObject({
  kind: z.enum(PLOT_KINDS),
  source: z.enum(["run", "backtest", "sweep"]).describe(
    "run: a recorded run; backtest or sweep: computed in memory, not recorded",
  ),
  runId: z.string().nullable(),
  title: z.string(),
  width: z.number().int().describe("PNG width, px"),
  height: z.number().int().describe("PNG height, px"),
  uri: z.string().describe("URI of the embedded SVG resource"),
  pngBytes: z.number().int(),
  svgBytes: z.number().int(),
  plotted: z.strictObject({
    strategy: z.string(),
    params: z.record(z.string(), z.unknown()),
    series: z.string().optional(),
    from: z.string().optional().describe("first plotted bar, ISO UTC"),
    to: z.string().optional().describe("last plotted bar, ISO UTC"),
    bars: z.number().int().optional(),
    trades: z.number().int().optional().describe("trades in the plotted range"),
    tradesShown: z.number().int().optional(),
    months: z.number().int().optional(),
    combos: z.number().int().optional(),
    cells: z.number().int().optional(),
    x: z.string().optional(),
    y: z.string().optional(),
    metric: z.string().optional(),
  }),
  caps: z.array(z.string()).describe("what was decimated, merged, thinned or left out, and how to see more"),
  elapsedMs: z.number(),
  provenance: ProvenanceSchema,
});

type Input = typeof input;
type Output = typeof output;
type Args = z.output<Input>;
type Plotted = z.output<Output>["plotted"];

// One read-only runs registry per data dir for the process: its DuckDB, which reads equity.parquet and
// sweep.parquet, starts once (tens of ms) instead of on every plot. It holds no file open and writes nothing.
const registries = new Map<string, Promise<RunRegistry>>();

function sharedRuns(dataDir: string): Promise<RunRegistry> {
  let r = registries.get(dataDir);
  if (r === undefined) {
    r = openRuns(dataDir);
    registries.set(dataDir, r);
    r.catch(() => registries.delete(dataDir));
  }
  return r;
}

/** Releases the runs registries `plot` keeps per data dir (their DuckDB); a later plot opens a new one. */
export async function closePlotRuns(): Promise<void> {
  const all = [...registries.values()];
  registries.clear();
  await Promise.all(all.map(async (r) => await (await r).close()));
}

/** What a figure is drawn from: equity and trades of a recorded run or a fresh backtest. */
interface Subject {
  source: "run" | "backtest";
  rec?: RunRecord;
  strategy: string;
  params: Record<string, unknown>;
  series: string;
  ts: Float64Array;
  equity: Float64Array;
  benchmark?: Float64Array;
  trades: readonly Trade[];
  /** The bars (fresh backtest, or the run's series read from the store for `price`). */
  frame?: Frame;
  provenance: Provenance;
}

/** A drawn figure and what it says about itself. */
interface Drawn {
  figure: Figure;
  source: "run" | "backtest" | "sweep";
  runId: string | null;
  plotted: Plotted;
  caps: string[];
  provenance: Provenance;
}

/**
 * `plot`: a PNG (and the SVG behind it) of a recorded run or of a fresh, unrecorded backtest or sweep: equity, drawdown,
 * price with trade markers, a sweep heatmap, or monthly returns, drawn by the `lib/plots` figures.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plotTool } from "./plot.ts";
 * assert.equal(plotTool.name, "plot");
 * assert.equal(plotTool.input.safeParse({ kind: "pie", run: "x" }).success, false);
 * assert.equal(plotTool.input.safeParse({ kind: "equity", run: "x", width: 100 }).success, false);
 * ```
 */
export const plotTool: McpTool<Input, Output> = defineTool({
  name: "plot",
  title: "Plot a run or a backtest",
  description: "Draws a recorded run (run) or a fresh in-memory backtest (strategy, params, options, series, " +
    "from/to, as run_backtest; not recorded) as a PNG image, with the SVG embedded as a resource. kind: equity, " +
    "drawdown, price (bars with trade entries and exits), monthly_returns, or sweep_heatmap (a recorded sweep run, " +
    `or a fresh grid of at most ${SWEEP_MAX_COMBOS} combinations). Long series are decimated for drawing (every ` +
    "extreme kept); the answer says what was plotted, what was capped, and where the numbers came from.",
  input,
  output,
  async run(args, ctx) {
    const t0 = performance.now();
    checkArgs(args);
    await loadFigures();
    const drawn = args.kind === "sweep_heatmap"
      ? (args.run !== undefined ? await recordedHeatmap(args, ctx) : await freshHeatmap(args, ctx))
      : drawSubject(args, await subjectOf(args, ctx));
    const { figure } = drawn;
    const img = await rasterizeSvg(figure.svg, { signal: ctx.signal });
    const svgUtf8 = new TextEncoder().encode(figure.svg);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", svgUtf8));
    const hash = Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
    const uri = `sentinel://plots/${args.kind}/${hash}.svg`;
    const caps = drawn.caps;
    const provenance: Provenance = {
      ...drawn.provenance,
      ...(caps.length > 0 ? { capped: caps.join("; ") } : {}),
    };
    const p = drawn.plotted;
    const what = p.combos !== undefined
      ? `${p.metric} over ${p.x} x ${p.y} (${p.combos} combinations)`
      : `${p.bars ?? 0} bars${p.from ? ` (${p.from.slice(0, 10)} to ${p.to?.slice(0, 10)})` : ""}${
        p.trades !== undefined ? `, ${p.tradesShown ?? p.trades} of ${p.trades} trades marked` : ""
      }${p.months !== undefined ? `, ${p.months} months` : ""}`;
    return {
      structured: {
        kind: args.kind,
        source: drawn.source,
        runId: drawn.runId,
        title: figure.title,
        width: img.width,
        height: img.height,
        uri,
        pngBytes: img.png.length,
        svgBytes: svgUtf8.length,
        plotted: p,
        caps,
        elapsedMs: performance.now() - t0,
        provenance,
      },
      text: `Plotted ${args.kind} of ${
        drawn.runId ? `run ${drawn.runId}` : `a fresh ${drawn.source} (not recorded)`
      }: ${p.strategy}${Object.keys(p.params).length ? ` ${JSON.stringify(p.params)}` : ""}${
        p.series ? ` on ${p.series}` : ""
      }, ${what}. ${img.width}x${img.height} PNG; SVG at ${uri}.${caps.length ? ` Capped: ${caps.join("; ")}.` : ""}`,
      images: [{ data: Buffer.from(img.png).toString("base64"), mimeType: "image/png" }],
      resources: [{ uri, mimeType: "image/svg+xml", text: figure.svg }],
    };
  },
});

/** Argument combinations the schema cannot express, each error naming the field and the fix. */
function checkArgs(args: Args): void {
  const fresh = (["strategy", "params", "options", "series", "grid"] as const).filter((k) => args[k] !== undefined);
  if (args.run !== undefined) {
    if (fresh.length > 0) {
      throw new RangeError(
        `${fresh[0]}: a recorded run is plotted as recorded; leave out ${fresh.join(", ")} to plot run ` +
          `${args.run}, or leave out run to plot a fresh backtest`,
      );
    }
  } else {
    if (args.strategy === undefined || args.series === undefined) {
      throw new RangeError(
        `${args.strategy === undefined ? "strategy" : "series"}: pass run (a recorded run's id, see list_runs), or ` +
          "strategy and series (e.g. sma_cross on samples:SPX:1d) for a fresh backtest",
      );
    }
    if (args.kind === "sweep_heatmap" && args.grid === undefined) {
      throw new RangeError(
        'grid: a fresh sweep_heatmap needs a grid of two params or more, e.g. {"fast": [5, 10], "slow": [50, 100]}; ' +
          "or pass run with a recorded sweep run's id",
      );
    }
  }
  if (args.kind !== "sweep_heatmap") {
    const heat = (["grid", "metric", "x", "y"] as const).filter((k) => args[k] !== undefined);
    if (heat.length > 0) {
      throw new RangeError(
        `${heat[0]}: only kind sweep_heatmap takes ${heat.join(", ")}; leave ${
          heat.length > 1 ? "them" : "it"
        } out for ${args.kind}, or pass kind "sweep_heatmap"`,
      );
    }
  } else if (args.log !== undefined) {
    throw new RangeError("log: sweep_heatmap has no value axis to make logarithmic; leave log out");
  }
}

/** The equity, trades and (for price) bars to draw, from the run or a fresh backtest. */
async function subjectOf(args: Args, ctx: ToolContext): Promise<Subject> {
  if (args.run === undefined) return await freshSubject(args, ctx);
  const runs = await sharedRuns(ctx.dataDir);
  const rec = await getRun(runs, "run", args.run);
  const series = rec.series[0] ?? "";
  const provenance = runProvenance(rec);
  const base = { source: "run" as const, rec, strategy: rec.strategy, params: rec.params, series, provenance };
  if (!rec.files.includes("equity.parquet")) {
    throw new RangeError(
      `run: run ${rec.id} (${rec.kind}) recorded no equity curve (its files: ${rec.files.join(", ") || "none"}), so ` +
        `${args.kind} cannot be drawn from it; pick a single or sweep run (list_runs), or plot a fresh backtest`,
    );
  }
  const eq = await runs.equity(rec.id);
  const [i0, i1] = windowOf(eq.ts, args.from, args.to, `run ${rec.id}`);
  const benchmark = eq.has("benchmark") ? eq.col("benchmark").subarray(i0, i1) : undefined;
  const subject: Subject = {
    ...base,
    ts: eq.ts.subarray(i0, i1),
    equity: eq.col("equity").subarray(i0, i1),
    ...(benchmark ? { benchmark } : {}),
    trades: [],
  };
  if (args.kind === "price") {
    subject.trades = await runs.trades(rec.id);
    subject.frame = await runBars(ctx, rec, subject.ts);
  }
  return subject;
}

/** The bars of a run's first series over the plotted range, from the store; an error says what to do without them. */
async function runBars(ctx: ToolContext, rec: RunRecord, ts: Float64Array): Promise<Frame> {
  const series = rec.series[0];
  if (series === undefined || rec.series.length > 1) {
    throw new RangeError(
      `kind: run ${rec.id} traded ${rec.series.length} series (${rec.series.join(", ")}); price draws one: plot ` +
        "equity of the run, or price of a fresh backtest on one series",
    );
  }
  const from = new Date(ts[0]!).toISOString(), to = new Date(ts[ts.length - 1]! + 1).toISOString();
  try {
    return (await loadSeries(ctx.dataDir, series, from, to)).frame;
  } catch (e) {
    throw new RangeError(
      `run: the bars of ${series} behind run ${rec.id} are not in this data dir's store (${(e as Error).message}); ` +
        "price needs them: import the series (deno task data) or plot kind equity",
      { cause: e },
    );
  }
}

/** A fresh backtest, in memory, as run_backtest runs it. */
async function freshSubject(args: Args, ctx: ToolContext): Promise<Subject> {
  const strategy = args.strategy!, series = args.series!;
  const parsed = parseRunArgs(strategy, args.params, args.options);
  const { id, frame, calendar } = await loadSeries(ctx.dataDir, series, args.from, args.to);
  let r;
  try {
    const { runBacktest: backtest } = await backtestModule();
    r = await backtest({ frame, strategy, params: parsed.params, options: parsed.options, series: id, calendar });
  } catch (e) {
    throw new RangeError(withField(e as Error), { cause: e });
  }
  return {
    source: "backtest",
    strategy,
    params: r.manifest.params as Record<string, unknown>,
    series,
    ts: r.sim.ts,
    equity: r.sim.equity,
    ...(r.benchmark ? { benchmark: r.benchmark } : {}),
    trades: r.trades,
    frame,
    provenance: provenanceFromManifest(r.manifest, { note: "computed in memory, not recorded" }),
  };
}

/** `[i0, i1)` of the bars in `[from, to)`; an empty window is an error naming from/to and the range there is. */
function windowOf(ts: Float64Array, from: string | undefined, to: string | undefined, what: string): [number, number] {
  const f = parseTime("from", from), t = parseTime("to", to);
  if (f !== undefined && t !== undefined && f >= t) {
    throw new RangeError(`from ${from} is not before to ${to}: pass from < to, or leave one out`);
  }
  let i0 = 0, i1 = ts.length;
  if (f !== undefined) { while (i0 < i1 && ts[i0]! < f) i0++; }
  if (t !== undefined) { while (i1 > i0 && ts[i1 - 1]! >= t) i1--; }
  if (i1 <= i0) {
    const range = ts.length > 0
      ? `it has bars from ${new Date(ts[0]!).toISOString()} to ${new Date(ts[ts.length - 1]!).toISOString()}`
      : "it has no bars";
    throw new RangeError(`from/to: no bars of ${what} in [${from ?? "start"}, ${to ?? "end"}); ${range}`);
  }
  return [i0, i1];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** equity, drawdown, price or monthly_returns of a subject. */
function drawSubject(args: Args, s: Subject): Drawn {
  const n = s.ts.length;
  const what = `${s.strategy} ${JSON.stringify(s.params)}${s.series ? ` on ${s.series}` : ""}`;
  const size = { width: args.width, ...(args.height !== undefined ? { height: args.height } : {}) };
  const plotted: Plotted = {
    strategy: s.strategy,
    params: s.params,
    ...(s.series ? { series: s.series } : {}),
    ...(n > 0 ? { from: iso(s.ts[0]!), to: iso(s.ts[n - 1]!) } : {}),
    bars: n,
  };
  const caps: string[] = [];
  // The figures decimate a line once it has more than 4 points per pixel column of the plot area.
  const decimated = n > 4 * (args.width - 88)
    ? `lines decimated for drawing: ${n} bars to at most 4 points per pixel column (M4: first, last, min, max; ` +
      "every extreme kept)"
    : undefined;
  let figure: Figure;
  switch (args.kind) {
    case "equity":
      figure = figures().equityFigure({
        ts: s.ts,
        equity: s.equity,
        ...(s.benchmark ? { benchmark: s.benchmark, benchmarkLabel: "Buy and hold" } : {}),
        ...(args.log !== undefined ? { log: args.log } : {}),
        title: args.title ?? `Equity: ${what}`,
        ...size,
      });
      if (decimated) caps.push(decimated);
      break;
    case "drawdown":
      figure = figures().drawdownFigure({
        ts: s.ts,
        drawdown: drawdownSeries(s.equity),
        title: args.title ?? `Drawdown: ${what}`,
        ...size,
      });
      if (decimated) caps.push(decimated);
      break;
    case "monthly_returns": {
      const mr = monthlyReturns(s.ts, s.equity);
      const rows = mr.years.flatMap((year, y) =>
        Array.from(mr.months[y]!, (value, k) => ({ year, month: k + 1, value })).filter((r) => !Number.isNaN(r.value))
      );
      if (rows.length === 0) {
        throw new RangeError("from/to: the plotted range has no equity; widen from/to");
      }
      plotted.months = rows.length;
      figure = figures().monthlyHeatmapFigure({
        rows,
        title: args.title ?? `Monthly returns (UTC months): ${what}`,
        width: args.width,
      });
      break;
    }
    case "price": {
      const f = s.frame!;
      const t0 = s.ts[0]!, t1 = s.ts[n - 1]!;
      const trades = s.trades.filter((t) => t.entryTs >= t0 && t.entryTs <= t1);
      const ohlc = f.has("open") && f.has("high") && f.has("low");
      figure = figures().priceFigure({
        ts: f.ts,
        close: f.close,
        ...(ohlc ? { open: f.open, high: f.high, low: f.low } : {}),
        ...(f.has("volume") ? { volume: f.volume } : {}),
        trades: trades as Trade[],
        maxTrades: PLOT_MAX_TRADES,
        candleLimit: CANDLE_LIMIT,
        ...(args.log !== undefined ? { log: args.log } : {}),
        title: args.title ??
          `${s.series || "Price"}: ${s.strategy} ${JSON.stringify(s.params)} trades (▲ entry, ● exit)`,
        ...size,
      });
      plotted.bars = f.length;
      plotted.trades = trades.length;
      plotted.tradesShown = Math.min(trades.length, PLOT_MAX_TRADES);
      if (f.length > CANDLE_LIMIT) {
        caps.push(
          `${f.length} bars drawn as ${ohlc ? "a close line" : "a line"} (candles up to ${CANDLE_LIMIT} bars): ` +
            "narrow from/to for candles",
        );
      }
      if (trades.length > PLOT_MAX_TRADES) {
        caps.push(`trades: ${PLOT_MAX_TRADES} of ${trades.length} marked, picked evenly over the run; narrow from/to`);
      }
      break;
    }
    default:
      throw new RangeError(`kind: ${args.kind} is not drawn from one backtest`);
  }
  return {
    figure,
    source: s.source,
    runId: s.rec?.id ?? null,
    plotted,
    caps,
    provenance: s.provenance,
  };
}

/** Numeric columns of a sweep table as heatmap rows: params and stats by name. */
function heatRows(cols: Columns, names: readonly string[]): Record<string, number>[] {
  const arrays = names.map((k) => [k, cols[k] as Float64Array] as const);
  const n = arrays[0]?.[1].length ?? 0;
  const rows: Record<string, number>[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, number> = {};
    for (const [k, a] of arrays) row[k] = a[i]!;
    rows[i] = row;
  }
  return rows;
}

/** The heatmap of a sweep table whose varying numeric params are `varying`. */
function heatmap(
  args: Args,
  cols: Columns,
  varying: string[],
  metric: string,
  label: string,
  where: string,
): { figure: Figure; plotted: Plotted; caps: string[] } {
  const numeric = varying.filter((k) => cols[k] instanceof Float64Array);
  if (numeric.length < 2) {
    throw new RangeError(
      `${where}: a heatmap needs two numeric params with two values or more; ${label} varied ${
        varying.join(", ") || "none"
      }${varying.length > numeric.length ? ` (numeric: ${numeric.join(", ") || "none"})` : ""}; ${
        where === "grid" ? "give a second param two values or more" : "plot its equity, or sweep a fresh grid"
      }`,
    );
  }
  if (!(cols[metric] instanceof Float64Array)) {
    const stats = Object.keys(cols).filter((k) => cols[k] instanceof Float64Array && !varying.includes(k));
    throw new RangeError(
      `metric: ${JSON.stringify(metric)} is not a column of ${label}; use one of ${stats.join(", ")}`,
    );
  }
  const x = args.x ?? numeric[1]!, y = args.y ?? (args.x === numeric[0] ? numeric[1]! : numeric[0]!);
  for (const [field, v] of [["x", x], ["y", y]] as const) {
    if (!numeric.includes(v)) {
      throw new RangeError(
        `${field}: ${JSON.stringify(v)} is not a varying numeric param; use one of ${numeric.join(", ")}`,
      );
    }
  }
  if (x === y) throw new RangeError(`y: same param as x (${x}); pick two different params of ${numeric.join(", ")}`);
  const others = numeric.filter((k) => k !== x && k !== y);
  const rows = heatRows(cols, [x, y, metric]);
  const n = rows.length;
  const lowerBetter = STATS_BY_KEY.get(metric)?.higherIsBetter === false;
  const figure = figures().sweepHeatmapFigure({
    rows,
    x,
    y,
    metric,
    best: lowerBetter ? "min" : "max",
    reduce: "best",
    others,
    // Final equity and counts have no meaningful zero: a sequential scale for them.
    pivot: metric === "final_equity" || metric === "trades" || metric === "entries" ? null : 0,
    title: args.title ?? `${label}: ${STATS_BY_KEY.get(metric)?.title ?? metric} by ${x} and ${y}`,
    width: args.width,
  });
  const cells = new Set(rows.map((r) => `${r[x]}|${r[y]}`)).size;
  const caps: string[] = [];
  if (others.length > 0) caps.push(`each cell is the best ${metric} over ${others.join(" and ")}`);
  if (cells > 400) caps.push(`${cells} cells: values not printed in the cells (at most 400)`);
  return { figure, plotted: { strategy: "", params: {}, combos: n, cells, x, y, metric }, caps };
}

/** sweep_heatmap of a recorded sweep run's table. */
async function recordedHeatmap(args: Args, ctx: ToolContext): Promise<Drawn> {
  const runs = await sharedRuns(ctx.dataDir);
  const rec = await getRun(runs, "run", args.run!);
  if (rec.kind !== "sweep" || !rec.files.includes("sweep.parquet")) {
    throw new RangeError(
      `kind: run ${rec.id} is a ${rec.kind} run with no sweep table; sweep_heatmap needs a sweep run (list_runs ` +
        `kind sweep) or a fresh grid (strategy, series, grid); for this run plot equity, drawdown, price or monthly_returns`,
    );
  }
  if (args.from !== undefined || args.to !== undefined) {
    throw new RangeError("from/to: a recorded sweep's table covers the range it was swept on; leave from/to out");
  }
  const cols = await runs.sweep(rec.id);
  const grid = rec.manifest.grid;
  const varying = grid !== null && typeof grid === "object"
    ? Object.entries(grid as Record<string, unknown>).filter(([k, v]) => Array.isArray(v) && v.length > 1 && k in cols)
      .map(([k]) => k)
    // A random search records no grid: its params are the columns that are not stats and take several values.
    : Object.keys(cols).filter((k) =>
      !STATS_BY_KEY.has(k) && !FAST_STATS.has(k) && cols[k] instanceof Float64Array &&
      new Set(cols[k] as Float64Array).size > 1
    );
  const recorded = typeof rec.detail.metric === "string" ? rec.detail.metric : undefined;
  const metric = args.metric ?? (recorded !== undefined && recorded in cols ? recorded : "sharpe");
  const h = heatmap(args, cols, varying, metric, `sweep run ${rec.id}`, "run");
  const series = rec.series[0];
  return {
    figure: h.figure,
    source: "run",
    runId: rec.id,
    plotted: { ...h.plotted, strategy: rec.strategy, params: rec.params, ...(series ? { series } : {}) },
    caps: h.caps,
    provenance: runProvenance(rec, {
      note: `recorded sweep of ${h.plotted.combos} combinations; params are the best combination's`,
    }),
  };
}

/** sweep_heatmap of a fresh grid, within run_sweep's bounds. */
async function freshHeatmap(args: Args, ctx: ToolContext): Promise<Drawn> {
  const strategy = args.strategy!, grid: Record<string, (number | string | boolean)[]> = { ...args.grid! };
  const parsed = parseRunArgs(strategy, {}, args.options);
  // Fixed params ride along as one-value grid entries.
  for (const [k, v] of Object.entries(args.params ?? {})) {
    if (k in grid) throw new RangeError(`params.${k}: also in grid; give it in one of params or grid`);
    grid[k] = [v];
  }
  let size = 1;
  for (const [k, values] of Object.entries(grid)) {
    size *= values.length;
    if (new Set(values).size !== values.length) throw new RangeError(`grid.${k}: lists a value twice; give each once`);
  }
  if (size > SWEEP_MAX_COMBOS) {
    throw new RangeError(
      `grid: ${size} combinations is more than the ${SWEEP_MAX_COMBOS} one call may run; give fewer values per param`,
    );
  }
  const varying = Object.keys(grid).filter((k) => grid[k]!.length > 1);
  const metric = args.metric ?? "sharpe";
  const { id, frame, calendar } = await loadSeries(ctx.dataDir, args.series!, args.from, args.to);
  const budget = AbortSignal.timeout(SWEEP_MAX_MS);
  let r: SweepResult;
  try {
    const { runSweep: sweep } = await backtestModule();
    r = await sweep({
      frame,
      strategy,
      grid,
      options: parsed.options,
      stats: FAST_STATS.has(metric) ? "fast" : "full",
      metric,
      series: id,
      calendar,
      signal: AbortSignal.any([ctx.signal, budget]),
      onProgress: (p) => void ctx.progress(p.done, p.total, `${p.done} of ${p.total} combinations`).catch(() => {}),
    });
  } catch (e) {
    if (budget.aborted && !ctx.signal.aborted) {
      throw new RangeError(
        `grid: the sweep passed its ${SWEEP_MAX_MS} ms budget; give fewer values per param or a shorter from/to`,
      );
    }
    const m = (e as Error).message;
    if (/^metric /.test(m)) throw new RangeError(`metric: ${m}`);
    if (/^grid /.test(m)) throw new RangeError(`grid: ${m}`);
    throw new RangeError(withField(e as Error), { cause: e });
  }
  const cols = columnsFromArrow(r.table);
  const h = heatmap(args, cols, varying, metric, `${strategy} sweep`, "grid");
  const manifestHash = await inputsManifestHash(
    strategy,
    { grid: args.grid, metric: r.metric },
    id,
    frame,
    calendar,
    parsed.options,
  );
  return {
    figure: h.figure,
    source: "sweep",
    runId: null,
    plotted: { ...h.plotted, strategy, params: args.params ?? {}, series: args.series! },
    caps: h.caps,
    provenance: seriesProvenance(id, frame, calendar, parsed.options, {
      ...(manifestHash ? { manifestHash } : {}),
      note: `computed in memory, not recorded; ${r.combos} combinations${
        r.skipped.count ? `, ${r.skipped.count} invalid skipped` : ""
      }; manifestHash is of its inputs (data, strategy code, grid, options)`,
    }),
  };
}
