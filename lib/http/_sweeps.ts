// /sweeps/new, /sweeps/:jobId (live progress over SSE, cancel, heatmap) and /api/sweeps.
import { Hono } from "hono";
import { z } from "zod";
import {
  BacktestOptionsSchema,
  MIN_WALK_FORWARD_BARS,
  runBacktest,
  runSweep,
  type SweepResult,
  walkForward,
} from "../backtest/mod.ts";
import { STATS } from "../metrics/mod.ts";
import { columnsFromArrow } from "../runs/mod.ts";
import { type AnyStrategy, isPortfolioStrategy, paramFields } from "../strategies/mod.ts";
import { HttpError, type Issue } from "./_errors.ts";
import { field, type FormFields, issueList, optionInputs, optionsFromForm } from "./_forms.ts";
import { type Html, html, layout } from "./_html.ts";
import type { Lab } from "./_lab.ts";
import { sweepResultHtml } from "./_sweep_result.ts";
import { seriesText, TimeQuerySchema } from "./_series.ts";
import { durability, type PreparedRun, prepareRun, readFrame } from "./_backtests.ts";
import { type GridValue, MAX_COMBOS, ParamNameSchema, ParamValueSchema, parseGrid } from "./_params.ts";
import { parseRequest, zv } from "./_validate.ts";
import type { Job, JobInfo, JobSpec } from "./job_queue.ts";

export { MAX_COMBOS };

/** Stats a sweep or walk-forward can rank by: lib/metrics' STATS keys and `entries`. */
export const SWEEP_METRICS: readonly [string, ...string[]] = ["entries", ...STATS.map((s) => s.key)];

const GridValues = z.union([
  z.array(ParamValueSchema).min(1).max(MAX_COMBOS),
  z.string().max(200),
]);

const TimeInput = z.union([z.number().finite(), TimeQuerySchema]);

/** Body of `POST /api/sweeps`. */
export const SweepRequestSchema = z.strictObject({
  series: z.string().max(160).describe("a stored series, exchange:SYMBOL:timeframe"),
  strategy: z.string().max(64),
  grid: z.record(ParamNameSchema, GridValues).optional()
    .describe('values per param: an array, "a..b" / "a..b:step" (inclusive) or "a,b,c"; others take defaults'),
  random: z.strictObject({ n: z.number().int().min(1).max(MAX_COMBOS), seed: z.number().int().optional() }).optional()
    .describe("random search: n combinations (of the grid, or of each param's range)"),
  metric: z.enum(SWEEP_METRICS).optional().describe("stat that ranks combinations; default sharpe"),
  walkForward: z.strictObject({
    train: z.number().int().min(MIN_WALK_FORWARD_BARS).describe("bars per training window"),
    test: z.number().int().min(MIN_WALK_FORWARD_BARS).describe("bars per test window"),
    folds: z.number().int().min(1).max(100).optional().describe("default: as many as fit"),
    mode: z.enum(["rolling", "anchored"]).optional(),
  }).optional().describe("walk-forward instead of one sweep: the grid is searched in each training window"),
  options: BacktestOptionsSchema.optional(),
  from: TimeInput.optional(),
  to: TimeInput.optional(),
  riskFree: z.number().min(-1).max(1).optional(),
  label: z.string().max(200).optional(),
});

type SweepRequest = z.output<typeof SweepRequestSchema>;

/** What a finished sweep (or walk-forward) job holds for its page. */
export interface SweepJobResult {
  kind?: "sweep" | "walk_forward";
  runId: string;
  combos: number;
  skipped: number;
  metric: string;
  best: { params: Record<string, unknown>; value: number } | null;
  columns: Record<string, ArrayLike<unknown>>;
  paramColumns: string[];
  elapsedMs: number;
}

/** Queues a sweep; the job records a `sweep` run with the best combination's backtest and the whole table. */
export function submitSweep(
  lab: Lab,
  run: PreparedRun,
  grid: Record<string, GridValue[]>,
  req: SweepRequest,
): Job<SweepJobResult> {
  return lab.jobs.submit(sweepJob(lab, run, grid, req));
}

/** The job of a sweep; also what a restarted lab re-makes from the stored request (`resumeJob`). */
export function sweepJob(
  lab: Lab,
  run: PreparedRun,
  grid: Record<string, GridValue[]>,
  req: SweepRequest,
): JobSpec<SweepJobResult> {
  const series = seriesText(run.id);
  return {
    kind: "sweep",
    label: `${run.strategy.name} sweep on ${series}`,
    request: req,
    run: async (ctx) => {
      const frame = await readFrame(lab, run);
      const result: SweepResult = await runSweep({
        frame,
        strategy: run.strategy.name,
        grid,
        ...(req.random ? { random: req.random } : {}),
        options: run.options,
        stats: "full",
        metric: req.metric ?? "sharpe",
        signal: ctx.signal,
        onProgress: (p) => ctx.progress({ done: p.done, total: p.total, etaSec: p.etaSec }),
        series: run.id,
        calendar: run.info.calendar,
        ...(run.riskFree !== undefined ? { riskFree: run.riskFree } : {}),
        ...(lab.sweepWorkers !== undefined ? { workers: lab.sweepWorkers } : {}),
      });
      ctx.signal.throwIfAborted();
      if (result.best === null) {
        throw new RangeError(
          `no valid combination among the grid (${result.skipped.count} skipped: ${result.skipped.reasons.join("; ")})`,
        );
      }
      // The best combination as a full backtest: its manifest, equity curve and trades describe the run.
      const best = await runBacktest({
        frame,
        strategy: run.strategy.name,
        params: result.best.params,
        options: run.options,
        series: run.id,
        calendar: run.info.calendar,
        ...(run.riskFree !== undefined ? { riskFree: run.riskFree } : {}),
      });
      const record = await lab.runs.record({
        kind: "sweep",
        series: [series],
        strategy: run.strategy.name,
        params: result.best.params,
        options: best.manifest.options as unknown as Record<string, unknown>,
        manifest: best.manifest as unknown as Record<string, unknown>,
        stats: { ...best.stats, psr: result.best.psr, dsr: result.best.dsr },
        equity: best.equityTable(),
        trades: best.trades,
        sweep: result.table,
        detail: {
          grid,
          ...(req.random ? { random: req.random } : {}),
          combos: result.combos,
          skipped: result.skipped,
          metric: result.metric,
          best: { params: result.best.params, value: result.best.value, trials: result.best.trials },
          elapsed_ms: result.elapsedMs,
          fast_path: result.fastPath,
          workers: result.workers,
        },
      }, { source: "web", label: run.label });
      return {
        runId: record.id,
        combos: result.combos,
        skipped: result.skipped.count,
        metric: result.metric,
        best: { params: result.best.params, value: result.best.value },
        columns: columnsFromArrow(result.table) as Record<string, ArrayLike<unknown>>,
        paramColumns: result.paramColumns,
        elapsedMs: result.elapsedMs,
      };
    },
  };
}

/** Queues a walk-forward; the job records a `walk_forward` run (out-of-sample stats, stitched equity, folds). */
export function submitWalkForward(
  lab: Lab,
  run: PreparedRun,
  grid: Record<string, GridValue[]>,
  req: SweepRequest,
): Job<SweepJobResult> {
  return lab.jobs.submit(walkForwardJob(lab, run, grid, req));
}

/** The job of a walk-forward; also what a restarted lab re-makes from the stored request (`resumeJob`). */
export function walkForwardJob(
  lab: Lab,
  run: PreparedRun,
  grid: Record<string, GridValue[]>,
  req: SweepRequest,
): JobSpec<SweepJobResult> {
  const series = seriesText(run.id);
  const wf = req.walkForward!;
  return {
    kind: "sweep",
    label: `${run.strategy.name} walk-forward on ${series}`,
    request: req,
    run: async (ctx) => {
      const t0 = performance.now();
      const frame = await readFrame(lab, run);
      // walkForward reports no progress of its own: the bar moves from 0 to 100 % when it ends.
      ctx.progress({ done: 0, total: 1 });
      const result = await walkForward({
        frame,
        strategy: run.strategy.name,
        grid,
        ...(req.random ? { random: req.random } : {}),
        options: run.options,
        train: wf.train,
        test: wf.test,
        ...(wf.folds !== undefined ? { folds: wf.folds } : {}),
        mode: wf.mode ?? "rolling",
        metric: req.metric ?? "sharpe",
        signal: ctx.signal,
        calendar: run.info.calendar,
        ...(run.riskFree !== undefined ? { riskFree: run.riskFree } : {}),
        ...(lab.sweepWorkers !== undefined ? { workers: lab.sweepWorkers } : {}),
      });
      const last = result.folds.at(-1);
      const record = await lab.runs.record({
        kind: "walk_forward",
        series: [series],
        strategy: run.strategy.name,
        params: last?.params ?? {},
        options: run.options as unknown as Record<string, unknown>,
        manifest: {
          kind: "walk_forward",
          strategy: run.strategy.name,
          data: [{ series, bars: frame.length, first: frame.ts[0] ?? null, last: frame.ts[frame.length - 1] ?? null }],
          grid,
          options: run.options,
          train: wf.train,
          test: wf.test,
          mode: result.mode,
          metric: result.metric,
        },
        stats: result.stats,
        equity: result.equityTable(),
        detail: { mode: result.mode, metric: result.metric, grid, folds: result.folds },
      }, { source: "web", label: run.label });
      ctx.progress({ done: 1, total: 1 });
      return {
        kind: "walk_forward",
        runId: record.id,
        combos: result.folds.reduce((s, f) => s + f.trials, 0),
        skipped: 0,
        metric: result.metric,
        best: last ? { params: last.params, value: last.outOfSample } : null,
        columns: {},
        paramColumns: [],
        elapsedMs: performance.now() - t0,
      };
    },
  };
}

/**
 * Everything the job would refuse, refused before it is queued: the series, strategy and options
 * (prepareRun), the grid (parseGrid: names, types, ranges, size) and, for a walk-forward, windows
 * and folds that the bars in the range can hold (the same arithmetic as lib/backtest's walkForward).
 */
export async function prepareSweep(
  lab: Lab,
  req: SweepRequest,
): Promise<{ run: PreparedRun; grid: Record<string, GridValue[]> }> {
  const run = await prepareRun(lab, { ...req, params: {} }, false);
  if (!req.grid && !req.random) {
    throw new HttpError(400, "invalid sweep", [{
      path: ["grid"],
      message: "give a grid (values per param) or random: { n }",
    }]);
  }
  const grid = parseGrid(run.strategy, req.grid);
  const wf = req.walkForward;
  const ranged = run.range.from !== undefined || run.range.to !== undefined;
  // readFrame: a range without bars gets the 400 the job would give, before queueing.
  const n = ranged ? (await readFrame(lab, run)).length : run.info.bars;
  if (wf) {
    const where = `${seriesText(run.id)}${ranged ? " in the range" : ""}`;
    const fit = Math.floor((n - wf.train) / wf.test);
    if (fit < 1) {
      throw new HttpError(400, "invalid walk-forward", [{
        path: ["walkForward", "train"],
        message: `train ${wf.train} + test ${wf.test} bars exceed the ${n} bars of ${where}; use train + test <= ${n}`,
      }]);
    }
    if (wf.folds !== undefined && wf.folds > fit) {
      throw new HttpError(400, "invalid walk-forward", [{
        path: ["walkForward", "folds"],
        message: `${wf.folds} folds of train ${wf.train} + test ${wf.test} need ${
          wf.train + wf.folds * wf.test
        } bars; ${where} has ${n}: use at most ${fit} folds (or leave folds out)`,
      }]);
    }
  }
  return { run, grid };
}

function defaultGrid(strategy: AnyStrategy): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of paramFields(strategy)) {
    if (f.type !== "int") continue;
    const d = Number(f.default);
    const lo = Math.max(f.min ?? 1, Math.round(d / 2));
    const hi = Math.min(f.max ?? d * 2, Math.round(d * 2));
    const step = Math.max(1, Math.round((hi - lo) / 8));
    out[f.name] = `${lo}..${hi}:${step}`;
  }
  return out;
}

function formPage(
  lab: Lab,
  values: {
    series?: string;
    strategy?: string;
    grid?: Record<string, string>;
    options?: Record<string, unknown>;
    metric?: string;
    label?: string;
    wf?: { train?: unknown; test?: unknown; folds?: unknown; mode?: unknown };
  },
  issues: Issue[],
  seriesList: string[],
): string {
  const name = values.strategy && lab.strategies.has(values.strategy) ? values.strategy : "sma_cross";
  const strategy = lab.strategies.get(name);
  const grid = values.grid ?? defaultGrid(strategy);
  const singles = lab.strategies.list().filter((s) => !isPortfolioStrategy(s));
  const body = html`
        <h1>New parameter sweep</h1>
        <p
      class="lead">Every combination of the values below is backtested (on both cores, with the same options); invalid combinations
        such as fast ≥ slow are skipped and counted. Progress shows live; the job keeps running if you close the page.</p>
        ${issueList(issues)}
        <form class="panel" method="post" action="/sweeps" id="sweep-form">
        <fieldset><legend>Data and strategy</legend>
        <label>series<select name="series" id="series">${seriesList.map((s) =>
          html`<option ${s === values.series ? "selected" : ""}>${s}</option>`
        )}</select></label>
        <label>strategy<select name="strategy" onchange="location='/sweeps/new?strategy='+encodeURIComponent(this.value)+'&series='+encodeURIComponent(document.getElementById('series').value)">${singles
          .map((s) =>
            html`<option value="${s.name}" ${s.name === name ? "selected" : ""}>${s.name}</option>`
          )}</select></label>
        <label>rank by<select name="metric">${["sharpe", "total_return", "cagr", "sortino", "calmar", "final_equity"]
          .map((
            m,
          ) => html`<option ${m === (values.metric ?? "sharpe") ? "selected" : ""}>${m}</option>`)}</select></label>
        <label>label<input type="text" name="label" value="${values.label ?? ""}" placeholder="optional"></label>
        </fieldset>
        <fieldset><legend>Grid (a..b:step, or a,b,c; empty = default value)</legend>${paramFields(strategy).map((f) =>
          html`<label title="${f.description}">${f.name} <span class="muted">default ${String(f.default)}</span>
<input type="text" name="g.${f.name}" value="${grid[f.name] ?? ""}" placeholder="${String(f.default)}"></label>`
        )}</fieldset>
    <fieldset><legend>Walk-forward (optional: fill train and test to search the grid in each fold)</legend>
    <label>train bars<input type="number" name="wf.train" min="${MIN_WALK_FORWARD_BARS}" step="1" value="${String(
      values.wf?.train ?? "",
    )}"></label>
    <label>test bars<input type="number" name="wf.test" min="${MIN_WALK_FORWARD_BARS}" step="1" value="${String(
      values.wf?.test ?? "",
    )}"></label>
    <label>folds<input type="number" name="wf.folds" min="1" step="1" value="${String(
      values.wf?.folds ?? "",
    )}" placeholder="as many as fit"></label>
    <label>mode<select name="wf.mode">${["rolling", "anchored"].map((m) =>
      html`<option ${m === (values.wf?.mode ?? "rolling") ? "selected" : ""}>${m}</option>`
    )}</select></label></fieldset>
        ${optionInputs(values.options)}
        <button type="submit" id="start-sweep">Start</button>
        </form>
  `;
  return layout({ title: "New sweep" }, body);
}

function progressScript(jobId: string): Html {
  // Live progress: the EventSource reconnects by itself; a final state reloads the page for the results.
  return html`<script>
(() => {
  const bar = document.getElementById("progress"), text = document.getElementById("progress-text");
  const es = new EventSource("/api/jobs/${jobId}/events");
  const show = (j) => {
    const p = j.progress; bar.value = p.pct;
    text.textContent = j.state + " · " + p.done + " of " + (p.total || "?") + " combinations · " + p.pct.toFixed(1) + " %" +
      (p.etaSec > 0 && j.state === "running" ? " · about " + Math.ceil(p.etaSec) + " s left" : "");
  };
  es.addEventListener("progress", (e) => show(JSON.parse(e.data)));
  es.addEventListener("state", (e) => { const j = JSON.parse(e.data); show(j);
    if (j.state !== "queued" && j.state !== "running") { es.close(); setTimeout(() => location.reload(), 150); } });
})();
</script>`;
}

function sweepJobPage(job: Job<unknown>): string {
  const info = job.info();
  const r = job.state === "done" ? (job.result as SweepJobResult) : undefined;
  const live = !job.finished;
  const body = html`<h1>${info.label}</h1>
<p class="lead">Job <code>${info.id}</code> · started ${
    info.startedAt ? `${info.startedAt.slice(0, 16).replace("T", " ")} UTC` : "(waiting)"
  }</p>
<progress id="progress" max="100" value="${info.progress.pct}"></progress>
<p id="progress-text">${info.state} · ${info.progress.done} of ${info.progress.total || "?"} ${
    r?.kind === "walk_forward" ? "steps" : "combinations"
  } · ${info.progress.pct.toFixed(1)} %</p>
${
    live
      ? html`
        <form method="post"
          action="/sweeps/${info
            .id}/cancel"><button class="danger" type="submit" id="cancel">Cancel</button></form>${progressScript(
              info.id,
            )}
      `
      : ""
  }
${
    info.state === "failed" || info.state === "cancelled"
      ? html`<p class="errors">${info.state}: ${info.error ?? ""}</p>`
      : ""
  }
${
    r
      ? html`<p>${r.combos} combinations evaluated in ${
        (r.elapsedMs / 1000).toFixed(2)
      } s (${r.skipped} invalid skipped).
Best by ${r.metric}: <code>${Object.entries(r.best?.params ?? {}).map(([k, v]) => `${k}=${v}`).join(" ")}</code>.
<a class="button" href="/runs/${r.runId}">Open the recorded run</a></p>
${
        r.kind === "walk_forward"
          ? html`<p>Walk-forward: the folds, their in- and out-of-sample ${r.metric} and the stitched out-of-sample equity are on the run's page.</p>`
          : sweepResultHtml(r.columns, r.paramColumns, r.metric)
      }`
      : ""
  }`;
  return layout({ title: info.label }, body);
}

/** The page of a sweep that finished (or failed) in an earlier lab process: state, error, recorded run. */
function storedSweepPage(info: JobInfo): string {
  const runId = typeof info.result?.runId === "string" ? info.result.runId : undefined;
  const when = (iso: string | null) => iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—";
  const body = html`
    <h1>${info.label}</h1>
    <p
      class="lead">Job <code>${info.id}</code> · ${info.state} · started ${when(info.startedAt)} · finished ${when(
        info.finishedAt,
      )} (an earlier lab session)</p>
    ${info.error ? html`<p class="errors">${info.state}: ${info.error}</p>` : ""}
    ${runId ? html`<p><a class="button" href="/runs/${runId}">Open the recorded run</a></p>` : ""}
  `;
  return layout({ title: info.label }, body);
}

function formNumber(text: string | undefined): number | string | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const x = Number(text);
  return Number.isFinite(x) ? x : text;
}

function requireSweepJob(lab: Lab, id: string | undefined): Job<unknown> {
  const job = lab.jobs.get(id ?? "");
  if (job === undefined || job.kind !== "sweep") {
    throw new HttpError(
      404,
      `no sweep job ${JSON.stringify(id ?? "")} in this lab session; finished sweeps are in /runs`,
    );
  }
  return job;
}

/** HTML pages under /sweeps. */
export function sweepsPages(lab: Lab): Hono {
  const app = new Hono();
  const seriesList = async () => (await lab.store.list()).map((i) => seriesText(i));

  app.get("/new", async (c) => {
    return c.html(
      formPage(lab, { series: c.req.query("series"), strategy: c.req.query("strategy") }, [], await seriesList()),
    );
  });

  app.post("/", zv("form", z.record(z.string(), z.unknown())), async (c) => {
    const form = c.req.valid("form") as FormFields;
    const grid: Record<string, string> = {};
    for (const k of Object.keys(form)) if (k.startsWith("g.")) grid[k.slice(2)] = field(form, k) ?? "";
    const values = {
      series: field(form, "series") ?? "",
      strategy: field(form, "strategy") ?? "",
      grid,
      options: optionsFromForm(form),
      metric: field(form, "metric") || undefined,
      label: field(form, "label") || undefined,
      walkForward: field(form, "wf.train") || field(form, "wf.test")
        ? {
          train: formNumber(field(form, "wf.train")),
          test: formNumber(field(form, "wf.test")),
          folds: formNumber(field(form, "wf.folds")),
          mode: field(form, "wf.mode") || undefined,
        }
        : undefined,
    };
    let job: Job<SweepJobResult>;
    try {
      const parsed = parseRequest(SweepRequestSchema, JSON.parse(JSON.stringify(values)));
      const { run, grid: g } = await prepareSweep(lab, parsed);
      job = parsed.walkForward ? submitWalkForward(lab, run, g, parsed) : submitSweep(lab, run, g, parsed);
    } catch (e) {
      if (e instanceof HttpError && e.status === 400) {
        return c.html(formPage(lab, { ...values, wf: values.walkForward }, e.issues, await seriesList()), 400);
      }
      throw e;
    }
    return c.redirect(`/sweeps/${job.id}`, 303);
  });

  app.get("/:jobId", (c) => {
    const id = c.req.param("jobId");
    // A sweep of an earlier lab process lives on in the durable job store: show its outcome.
    const stored = lab.jobs.get(id) === undefined ? lab.jobs.stored(id) : undefined;
    if (stored !== undefined && stored.kind === "sweep") return c.html(storedSweepPage(stored));
    return c.html(sweepJobPage(requireSweepJob(lab, id)));
  });

  app.post("/:jobId/cancel", (c) => {
    const job = requireSweepJob(lab, c.req.param("jobId"));
    lab.jobs.cancel(job.id);
    return c.redirect(`/sweeps/${job.id}`, 303);
  });

  return app;
}

/** JSON under /api/sweeps. */
export function sweepsApi(lab: Lab): Hono {
  const app = new Hono();
  app.post("/", zv("json", SweepRequestSchema), async (c) => {
    const req = c.req.valid("json");
    const { run, grid } = await prepareSweep(lab, req);
    const job = req.walkForward ? submitWalkForward(lab, run, grid, req) : submitSweep(lab, run, grid, req);
    return c.json(
      {
        job_id: job.id,
        url: `/sweeps/${job.id}`,
        status: `/api/jobs/${job.id}`,
        events: `/api/jobs/${job.id}/events`,
        ...durability(lab),
      },
      202,
      { Location: `/api/jobs/${job.id}` },
    );
  });
  return app;
}
