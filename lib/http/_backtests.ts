// /backtests/new (form), POST /backtests, and POST /api/backtests: single backtests through the job queue.
import { Hono } from "hono";
import { z } from "zod";
import { type BacktestOptions, BacktestOptionsSchema, runBacktest, warmupProblem } from "../backtest/mod.ts";
import { Frame } from "../frame/mod.ts";
import { type RiskConfig, RiskConfigSchema } from "../risk/mod.ts";
import { type RunInput, runInputFromBacktest } from "../runs/mod.ts";
import type { SeriesInfo } from "../store/mod.ts";
import { type AnyStrategy, isPortfolioStrategy, paramFields, parseParams, prepareStrategy } from "../strategies/mod.ts";
import type { SeriesId } from "../types/mod.ts";
import { HttpError, type Issue, zodIssues } from "./_errors.ts";
import {
  field,
  type FormFields,
  issueList,
  optionInputs,
  optionsFromForm,
  paramInputs,
  paramsFromForm,
  riskFromForm,
  riskInput,
} from "./_forms.ts";
import { html, layout, seriesPath } from "./_html.ts";
import type { Lab } from "./_lab.ts";
import { ParamNameSchema, paramTypeIssues, ParamValueSchema, typedFormValue } from "./_params.ts";
import { seriesText, SeriesTextSchema, TimeQuerySchema } from "./_series.ts";
import { parseRequest, zv } from "./_validate.ts";
import type { Job, JobSpec } from "./job_queue.ts";

const TimeInput = z.union([z.number().finite(), TimeQuerySchema]);

/** Body of `POST /api/backtests`. */
export const BacktestRequestSchema = z.strictObject({
  series: z.string().max(160).describe("a stored series, exchange:SYMBOL:timeframe (see GET /api/datasets)"),
  strategy: z.string().max(64).describe("a strategy name (see GET /api/strategies)"),
  params: z.record(ParamNameSchema, ParamValueSchema).optional()
    .describe(
      'strategy params as JSON types (10, not "10"); unknown names are refused; missing ones take their defaults',
    ),
  options: BacktestOptionsSchema.optional().describe("backtest options; missing ones take their defaults"),
  from: TimeInput.optional().describe("first bar time, epoch ms or ISO date (inclusive)"),
  to: TimeInput.optional().describe("end time, epoch ms or ISO date (exclusive)"),
  riskFree: z.number().min(-1).max(1).optional().describe("yearly risk-free rate, fraction"),
  label: z.string().max(200).optional(),
  risk: RiskConfigSchema.optional().describe(
    "risk limits (a risk config, as an account's risk.json): every order is first decided by the risk engine as " +
      "in paper trading; denied orders do not happen and are listed with the run (detail.risk, denied.json)",
  ),
});

/** A validated backtest (or sweep base) request. */
export interface PreparedRun {
  id: SeriesId;
  info: SeriesInfo;
  strategy: AnyStrategy;
  params: Record<string, unknown>;
  options: BacktestOptions;
  range: { from?: number; to?: number };
  riskFree?: number;
  label: string;
  /** Risk limits deciding every order, if any. */
  risk?: RiskConfig;
  /** The validated request it came from: stored with the job, so a lab restart can re-make it. */
  request?: z.output<typeof BacktestRequestSchema>;
}

/** Result of a finished backtest job. */
export interface BacktestJobResult {
  runId: string;
  stats: Record<string, number>;
  finalEquity: number;
  trades: number;
  /** Orders the risk limits denied (runs with `risk` only). */
  denied?: number;
}

/** Looks the strategy up; a 400 listing the known ones when it is unknown. */
export function requireStrategy(lab: Lab, name: string, issues: Issue[]): AnyStrategy | undefined {
  if (lab.strategies.has(name)) return lab.strategies.get(name);
  issues.push({
    path: ["strategy"],
    message: `unknown strategy ${JSON.stringify(name)}; strategies are ${
      lab.strategies.list().map((s) => s.name).join(", ")
    }`,
    code: "unknown_strategy",
  });
  return undefined;
}

/**
 * Checks everything before a job is queued, reporting every problem at once: the series (404
 * when not stored), the strategy, its params (ranges, cross-field rules) and the options.
 */
export async function prepareRun(
  lab: Lab,
  body: z.output<typeof BacktestRequestSchema>,
  checkParams = true,
): Promise<PreparedRun> {
  const issues: Issue[] = [];
  let id: SeriesId | undefined;
  const parsedSeries = SeriesTextSchema.safeParse(body.series);
  if (parsedSeries.success) id = parsedSeries.data;
  else issues.push(...zodIssues(parsedSeries.error, "series"));
  const strategy = requireStrategy(lab, body.strategy, issues);
  if (strategy && isPortfolioStrategy(strategy)) {
    issues.push({
      path: ["strategy"],
      message: `${strategy.name} is a portfolio strategy over several series; run it with deno task backtest`,
    });
  }
  if (strategy && isPortfolioStrategy(strategy) && body.risk !== undefined) {
    issues.push({
      path: ["risk"],
      message: `risk limits are not supported yet for portfolio strategies (${strategy.name}); leave risk out`,
    });
  }
  let params: Record<string, unknown> = {};
  const typeIssues = strategy && checkParams ? paramTypeIssues(strategy, body.params ?? {}) : [];
  issues.push(...typeIssues);
  if (strategy && checkParams && !isPortfolioStrategy(strategy) && typeIssues.length === 0) {
    try {
      params = parseParams(strategy, body.params ?? {}) as Record<string, unknown>;
    } catch (e) {
      const pe = e as Error & { issues?: { param: string | null; message: string }[] };
      if (!Array.isArray(pe.issues)) throw e;
      for (const i of pe.issues) {
        issues.push({
          path: i.param === null ? ["params"] : ["params", i.param],
          message: i.message,
          code: "invalid_param",
        });
      }
    }
  }
  const options = body.options ?? BacktestOptionsSchema.parse({});
  if (body.from !== undefined && body.to !== undefined && body.to <= body.from) {
    issues.push({ path: ["to"], message: `to (${body.to}) must be after from (${body.from})` });
  }
  if (issues.length > 0 || id === undefined || strategy === undefined) {
    throw new HttpError(400, "invalid backtest request", issues);
  }
  const info = await lab.store.info(id);
  if (info === undefined) {
    throw new HttpError(404, `no stored series ${seriesText(id)}; see /datasets for the stored ones`, [
      { path: ["series"], message: `not stored: ${seriesText(id)}` },
    ]);
  }
  const range = {
    ...(body.from !== undefined ? { from: body.from } : {}),
    ...(body.to !== undefined ? { to: body.to } : {}),
  };
  if (checkParams && !isPortfolioStrategy(strategy)) {
    // Refused here rather than in the job, so an async request gets its 400 instead of a 202 that fails later.
    const bars = body.from === undefined && body.to === undefined
      ? info.bars
      : (await readFrame(lab, { id, info, range } as PreparedRun)).length;
    const short = warmupProblem(strategy, params, bars, { series: seriesText(id) });
    if (short !== undefined) throw new HttpError(400, short, [{ path: ["params"], message: short, code: "warmup" }]);
  }
  return {
    id,
    info,
    strategy,
    params,
    options: options as BacktestOptions,
    range,
    ...(body.riskFree !== undefined ? { riskFree: body.riskFree } : {}),
    ...(body.risk !== undefined ? { risk: body.risk } : {}),
    label: body.label ?? "",
    request: body,
  };
}

/** Reads the bars of a prepared run; a 400 when the range holds none. */
export async function readFrame(lab: Lab, run: PreparedRun): Promise<Frame> {
  const frame = await lab.store.read(run.id, run.range);
  if (frame.length === 0) {
    throw new HttpError(400, `no bars of ${seriesText(run.id)} in the range asked`, [
      {
        path: ["from"],
        message: `the series runs from ${new Date(run.info.first).toISOString()} to ${
          new Date(run.info.last).toISOString()
        }`,
      },
    ]);
  }
  return frame;
}

/** Queues a backtest; the job records the run (source `web`) and keeps it in memory for its page. */
export function submitBacktest(lab: Lab, run: PreparedRun): Job<BacktestJobResult> {
  return lab.jobs.submit(backtestJob(lab, run));
}

/** The job of a backtest; also what a restarted lab re-makes from the stored request (`resumeJob`). */
export function backtestJob(lab: Lab, run: PreparedRun): JobSpec<BacktestJobResult> {
  const series = seriesText(run.id);
  return {
    kind: "backtest",
    label: `${run.strategy.name} on ${series}`,
    ...(run.request !== undefined ? { request: run.request } : {}),
    run: async (ctx) => {
      const frame = await readFrame(lab, run);
      ctx.signal.throwIfAborted();
      // A strategy whose signals need I/O (an LLM agent) does it here, with progress; a no-op for the others.
      await prepareStrategy(run.strategy, frame, parseParams(run.strategy, run.params), {
        signal: ctx.signal,
        progress: (done, total) => ctx.progress({ done, total }),
        symbol: run.id.symbol,
        timeframe: run.id.timeframe,
      });
      const result = await runBacktest({
        frame,
        strategy: run.strategy as never,
        params: run.params,
        options: run.options,
        series: run.id,
        calendar: run.info.calendar,
        ...(run.riskFree !== undefined ? { riskFree: run.riskFree } : {}),
        ...(run.risk !== undefined ? { risk: run.risk } : {}),
      });
      ctx.progress({ done: 1, total: 1 });
      let input: RunInput | typeof result = result;
      if (run.risk !== undefined) {
        const denied = result.denied;
        input = {
          ...runInputFromBacktest(result),
          detail: { risk: { config_hash: result.manifest.riskConfigHash, denied_count: denied.length, denied } },
          files: { "denied.json": `${JSON.stringify(denied, null, 2)}\n` },
        };
      }
      const record = await lab.runs.record(input, { source: "web", label: run.label });
      const table = result.equityTable();
      const columns: Record<string, Float64Array> = {};
      for (const f of table.schema.fields) {
        if (f.name !== "ts") {
          columns[f.name] = Float64Array.from(table.getChild(f.name)!.toArray() as ArrayLike<number>);
        }
      }
      lab.rememberRun({ record, equity: new Frame(result.sim.ts, columns), trades: result.trades });
      return {
        runId: record.id,
        stats: result.stats,
        finalEquity: result.finalEquity,
        trades: result.trades.length,
        ...(run.risk !== undefined ? { denied: result.denied.length } : {}),
      };
    },
  };
}

function formPage(
  lab: Lab,
  values: {
    series?: string;
    strategy?: string;
    params?: Record<string, unknown>;
    options?: Record<string, unknown>;
    from?: string;
    to?: string;
    label?: string;
    risk?: string;
  },
  issues: Issue[],
  seriesList: string[],
): string {
  const name = values.strategy && lab.strategies.has(values.strategy) ? values.strategy : "sma_cross";
  const strategy = lab.strategies.get(name);
  const singles = lab.strategies.list().filter((s) => !isPortfolioStrategy(s));
  const body = html`
    <h1>New backtest</h1>
    <p
      class="lead">Pick a stored series and a strategy; parameters come from the strategy's schema with their defaults and ranges.
    The run goes through the job queue and is recorded in the runs registry.</p>
    ${issueList(issues)}
    <form class="panel" method="post" action="/backtests" id="backtest-form">
    <fieldset><legend>Data and strategy</legend>
    <label>series<select name="series" id="series">${seriesList.map((s) =>
      html`<option ${s === values.series ? "selected" : ""}>${s}</option>`
    )}</select></label>
    <label>strategy<select name="strategy" id="strategy" onchange="location='/backtests/new?strategy='+encodeURIComponent(this.value)+'&series='+encodeURIComponent(document.getElementById('series').value)">${singles
      .map((s) =>
        html`<option value="${s.name}" ${s.name === name ? "selected" : ""}>${s.name}</option>`
      )}</select></label>
    <label>from<input type="date" name="from" value="${values.from ?? ""}"></label>
    <label>to<input type="date" name="to" value="${values.to ?? ""}"></label>
    <label>label<input type="text" name="label" value="${values.label ?? ""}" placeholder="optional"></label>
    </fieldset>
    <p class="muted">${strategy.title}: ${strategy.description}</p>
    <fieldset><legend>Parameters of ${name}</legend>${paramInputs(strategy, values.params)}</fieldset>
    ${optionInputs(values.options)}
    ${riskInput(values.risk)}
    <button type="submit" id="run">Run backtest</button>
    </form>
  `;
  return layout({ title: "New backtest" }, body);
}

/** Form text to the param fields' JSON types, so the form meets the same strict checks as the API. */
function formParams(lab: Lab, strategy: string, text: Record<string, string>): Record<string, unknown> {
  if (!lab.strategies.has(strategy)) return text;
  const fields = new Map(paramFields(lab.strategies.get(strategy)).map((f) => [f.name, f]));
  return Object.fromEntries(Object.entries(text).map(([k, v]) => [k, typedFormValue(fields.get(k), v)]));
}

/** HTML: the form and its POST. */
export function backtestsPages(lab: Lab): Hono {
  const app = new Hono();
  const seriesList = async () => (await lab.store.list()).map((i) => seriesText(i));

  app.get("/new", async (c) => {
    const series = c.req.query("series");
    const strategy = c.req.query("strategy");
    return c.html(formPage(lab, { series, strategy }, [], await seriesList()));
  });

  app.post("/", zv("form", z.record(z.string(), z.unknown())), async (c) => {
    const form = c.req.valid("form") as FormFields;
    const risk = riskFromForm(form);
    const values = {
      series: field(form, "series") ?? "",
      strategy: field(form, "strategy") ?? "",
      params: formParams(lab, field(form, "strategy") ?? "", paramsFromForm(form)),
      options: optionsFromForm(form),
      from: field(form, "from") || undefined,
      to: field(form, "to") || undefined,
      label: field(form, "label") || undefined,
    };
    const shown = { ...values, risk: risk.text };
    const riskIssues = risk.issue !== undefined ? [risk.issue] : [];
    let job: Job<BacktestJobResult>;
    try {
      const request = JSON.parse(JSON.stringify(values));
      if (risk.config !== undefined) request.risk = risk.config;
      const body = parseRequest(BacktestRequestSchema, request);
      const run = await prepareRun(lab, body);
      if (riskIssues.length > 0) throw new HttpError(400, "invalid risk limits", []);
      job = submitBacktest(lab, run);
    } catch (e) {
      if (e instanceof HttpError && e.status === 400) {
        // Every problem at once: the risk text's with the rest of the form's.
        return c.html(formPage(lab, shown, [...e.issues, ...riskIssues], await seriesList()), 400);
      }
      throw e;
    }
    const result = await job.wait();
    return c.redirect(`/runs/${result.runId}`, 303);
  });

  return app;
}

/** JSON: `POST /api/backtests` (waits for the job unless `?async=1`). */
export function backtestsApi(lab: Lab): Hono {
  const app = new Hono();
  app.post(
    "/",
    zv("query", z.strictObject({ async: z.enum(["0", "1", "true", "false"]).optional() })),
    zv("json", BacktestRequestSchema),
    async (c) => {
      const run = await prepareRun(lab, c.req.valid("json"));
      const job = submitBacktest(lab, run);
      const q = c.req.valid("query");
      if (q.async === "1" || q.async === "true") {
        return c.json({ job_id: job.id, status: `/api/jobs/${job.id}`, ...durability(lab) }, 202, {
          Location: `/api/jobs/${job.id}`,
        });
      }
      const r = await job.wait();
      return c.json(
        {
          run_id: r.runId,
          url: `/runs/${r.runId}`,
          final_equity: r.finalEquity,
          trades: r.trades,
          stats: r.stats,
          ...(r.denied !== undefined ? { denied: r.denied } : {}),
        },
        201,
        { Location: `/api/runs/${r.runId}` },
      );
    },
  );
  return app;
}

/** What a 202 promises about a crash: stored jobs are resumed by the next lab start. */
export function durability(lab: Lab): { durable: boolean; note: string } {
  return lab.jobs.durable
    ? {
      durable: true,
      note: "the job is stored on disk; if the lab stops before it finishes, the next start runs it again " +
        "(same job id, a new run id)",
    }
    : { durable: false, note: "the job lives in this lab process only; it is lost if the lab stops" };
}

/** For links: the new-backtest form preset to a series. */
export function newBacktestHref(series: string): string {
  return `/backtests/new?series=${seriesPath(series)}`;
}
