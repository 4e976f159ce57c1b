/**
 * `deno task backtest`: one backtest, a parameter sweep or a walk-forward analysis over a stored
 * series or a CSV file, from flags or from a saved research job file (`--config`). Every run is
 * recorded in the runs registry (`<SENTINEL_DATA_DIR>/_runs`, see lib/runs); `--out DIR` also
 * writes the run's files and a self-contained report.html. Run `deno task backtest --help`.
 *
 * Exit codes: 0 done; 2 bad input (one line naming the value and the fix); 1 a bug; 130 interrupted.
 *
 * @module
 */
import { join } from "node:path";
import type { RunSource } from "../lib/runs/mod.ts";
import { paramFields, parseParams, typedParamText } from "../lib/strategies/mod.ts";
import { commandFlags, importOnUse, parseNumberFlag, printJson, runCli, UsageError } from "./_cli.ts";
import {
  checkPortfolioJob,
  type GridValue,
  gridValues,
  isBatchJob,
  type JobSpec,
  parseGridItem,
  parseParamFlags,
  parseWalkForwardFlag,
  readConfig,
  strategyNamed,
} from "./_backtest_args.ts";
import { DATA_FLAGS, dataOptionsFromFlags, optionsFromFlags, SIMULATION_FLAGS } from "./_backtest_flags.ts";
import type { JobContext } from "./_backtest_run.ts";
import { LLM_FLAGS, LLM_HELP } from "./_llm_flags.ts";
import type { AfterTaxFlag } from "./_backtest_after_tax.ts";
import type { AgentRuntime } from "../lib/agents/mod.ts";
import { SweepWorkerPool } from "../lib/backtest/sweep_worker_pool.ts";

// The runners, the registry and the cluster are loaded when a job needs them, by computed specifiers (a literal
// import() is loaded at start-up with the rest): a sweep's worker pool starts and its CSV is parsed before the
// engine, the report, the plots and the Parquet writer are loaded.
const load = <T>(specifier: string): Promise<T> => importOnUse<T>(specifier, import.meta.url);
const runModule = () => load<typeof import("./_backtest_run.ts")>("./_backtest_run.ts");

const COMMAND = "deno task backtest";

/** The help text. */
export const HELP = `Usage: ${COMMAND} --data SERIES|FILE.csv --strategy NAME [--param k=v ...] [options]
       ${COMMAND} --data A --data B [--data C ...] --strategy PORTFOLIO_STRATEGY [--param k=v ...] [options]
       ${COMMAND} --data A --data B ... | --data 'PATTERN' --strategy NAME --grid k=a..b ... [options]
       ${COMMAND} --config JOBS.json [--out DIR] [--json]

Runs a backtest (or a sweep, or a walk-forward) and records it in the runs registry.

Data
  --data SERIES|FILE      stored series exchange:SYMBOL:timeframe (samples:GOOG:1d, binance:BTC/USDT:1h)
                          or a CSV path (timestamp/date,open,high,low,close[,volume]); repeat it for a
                          portfolio strategy (one asset per --data, on the union of their timestamps;
                          bars an asset lacks are reported, never filled in)
  --data PATTERN          the stored series a pattern matches: 'samples:*/BTC:5m', 'binance:*/USDT:1h'
                          (* any characters, ? one; quote it for the shell)
                          Batch: a single-series strategy with several --data or a pattern runs its sweep
                          (--grid, --random, or the params alone) over each series in one job on one shared
                          worker pool: one table keyed by series and params, the best per series, one recorded run
  --timeframe TF          timeframe of a CSV file (default: guessed from the bar spacing)
  --calendar CAL          24/7, weekdays or fx (default: the store's, else guessed)
  --from DATE, --to DATE  range [from, to): 2024-01-01, 2024-01-01T12:00 (UTC) or epoch ms; --to is exclusive

Strategy
  --strategy NAME         single series (one --data; several: a batch): ${"sma_cross, ema_cross, macd, rsi_reversion, bollinger_breakout,"}
                          ${"buy_and_hold"}; LLM agents: llm_persona, llm_debate (see below);
                          portfolio (one or more --data): momentum_rotation
  --param k=v             a strategy parameter (repeatable); missing ones take their defaults

Simulation (defaults in brackets)
  --fill next_open|close  when a signal fills [next_open]
  --fee F                 relative fee per order: 0.001, 0.1% or 10bp [0]
  --fixed-fee X           fixed fee per order, quote currency [0]
  --spread F              full bid-ask spread as a fraction [0]
  --slippage F            adverse slippage as a fraction [0]
  --cash X                starting cash [10000]
  --size S                all, 0.5 (fraction of equity), fraction:0.5, cash:1000 or units:2 [all]
  --lot X                 units round down to a multiple of X [0 = fractional]
  --min-notional X        skip orders whose units x fill price is below X [0]
  --direction D           long, short or both [long]
  --stop-loss F           stop-loss fraction from entry (0.05 or 5%) [off]
  --take-profit F         take-profit fraction from entry [off]
  --trailing-stop F       trailing stop fraction from the best price [off]
  --finalize close|open   close the last position at the last close, or report it open [close]
  --periods-per-year N    annualization override [from timeframe and calendar]
  --risk-free R           yearly risk-free rate for Sharpe/Sortino (0.02 or 2%) [0]
  --risk FILE             risk limits (a risk config JSON, like an account's risk.json): every order is first
                          decided by the risk engine as in paper trading; denied orders do not happen and
                          are listed (single-series backtests only, no sweeps) [off]

Sweeps and walk-forward
  --grid k=a..b[:step]    inclusive range (repeatable); also k=a,b,c
  --random N [--seed S]   N random combinations (from the grid, else from the params' ranges) [seed 1]
  --metric STAT           stat that picks the best combination [sharpe]
  --fast                  sweep with fast stats only (final_equity, total_return, trades); metric final_equity
  --workers N             worker threads [all cores]; 0 runs in this thread
  --cluster URL           evaluate sweeps, batches and walk-forward folds on \`deno task worker\` processes through
                          Redis (redis://HOST:PORT); same outputs and record as a local run; Ctrl-C cancels them
  --walk-forward SPEC     folds=N,train=T,test=T[,mode=rolling|anchored][,metric=sharpe]
                          T in bars (500) or a duration (90d, 12h, 4w); needs --grid
                          (portfolio strategies too: windows in bars of the union timeline)

${LLM_HELP}
  llm_persona: --param persona=NAME [--param every=N]; llm_debate: --param personas=a,b,c --param rounds=R
  --param every=N. Before a record or live run, a countTokens preflight prints the estimate on stderr; every
  agent result carries its cost, the decision journal's head hash and the model-memory label of its window.
  Sweeps and walk-forward run agent strategies in this thread; a stopped run (budget, replay miss) is not recorded.

Output
  --json                  print the result as JSON (stats, final_equity, trades, manifest, run_id)
  --out DIR               write stats.json, trades.csv, equity.parquet, manifest.json, report.html
                          (sweeps: sweep.csv, sweep.parquet, sweep.json, sweep_heatmap.svg with 2 params;
                          walk-forward: walk_forward.json, folds.csv, oos_equity.parquet, walk_forward.svg;
                          batch: sweep.csv and sweep.parquet with a series column, batch_summary.csv, sweep.json,
                          report.html with the best per series and a heatmap per series)
  --after-tax SPEC        after-tax figures: st=0.37,lt=0.20[,tz=America/New_York][,carry=yes|no]: short- and
                          long-term rates on the realized P&L of each tax year (exit date in tz; US terms, a
                          short sale short-term, terms netted, a net loss carried forward); taxes paid at each
                          year end, the run not re-sized. Single and portfolio runs, a sweep's best run; not
                          --walk-forward. Printed after the stats, afterTax in --json, a table in report.html
  --label TEXT            label recorded with the run
  --config FILE           run the jobs of a JSON file: {"jobs": [{"name", "data" (a list for a portfolio), "strategy", "params",
                          "grid"?, "random"?, "walkForward"?, "metric"?, "options"}]}; each job is recorded
                          (source "job", label = its name) and written to DIR/<name>/ with --out
  -h, --help              this help

Runs are recorded in $SENTINEL_DATA_DIR/_runs (default data/store/_runs).
Examples
  ${COMMAND} --data samples:GOOG:1d --strategy sma_cross --param fast=10 --param slow=30 --fee 0.001
  ${COMMAND} --data data/samples/ETH_BTC-5m.csv --strategy sma_cross --grid fast=2..20:2 --grid slow=10..60:10 --out out/
  ${COMMAND} --data samples:ETH/BTC:5m --data samples:LTC/BTC:5m --data samples:ADA/BTC:5m \\
      --strategy momentum_rotation --param lookback=48 --param k=1 --param every=12 --fee 0.001
  ${COMMAND} --data 'samples:*/BTC:5m' --strategy sma_cross --grid fast=2..20:2 --grid slow=10..60:10 \\
      --fill close --fast --out out/batch
  ${COMMAND} --data samples:SPX:1d --strategy sma_cross --grid fast=5..50:5 --grid slow=20..200:20 \\
      --walk-forward folds=5,train=750,test=250,mode=rolling
  ${COMMAND} --data samples:GOOG:1d --strategy llm_persona --param persona=rule_trend --param every=5
  ${COMMAND} --data samples:GOOG:1d --strategy llm_debate --param personas=trend_follower,risk_officer \\
      --param every=20 --param rounds=1 --llm-cache record --llm-budget 2`;

const FLAGS = {
  data: { type: "string", multiple: true },
  ...DATA_FLAGS,
  strategy: { type: "string" },
  param: { type: "string", multiple: true },
  ...SIMULATION_FLAGS,
  risk: { type: "string" },
  grid: { type: "string", multiple: true },
  random: { type: "string" },
  seed: { type: "string" },
  metric: { type: "string" },
  fast: { type: "boolean" },
  workers: { type: "string" },
  cluster: { type: "string" },
  "walk-forward": { type: "string" },
  json: { type: "boolean" },
  out: { type: "string" },
  label: { type: "string" },
  "after-tax": { type: "string" },
  config: { type: "string" },
  help: { type: "boolean", short: "h" },
  ...LLM_FLAGS,
} as const;

type Values = Record<string, string | boolean | string[] | undefined>;

/** The command: returns the exit code. */
export async function main(args: string[], signal: AbortSignal): Promise<number> {
  const values = commandFlags(args, FLAGS, COMMAND, HELP);
  if (values === null) return 0;
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const afterTax = str("after-tax") === undefined
    ? undefined
    : (await load<typeof import("./_backtest_after_tax.ts")>("./_backtest_after_tax.ts")).parseAfterTaxFlag(
      str("after-tax")!,
    );
  let jobs: JobSpec[] = [];
  let source: RunSource;
  if (str("config") !== undefined) {
    const clash = Object.keys(values).filter((k) =>
      !["config", "out", "json", "workers", "fast", "label", "after-tax", "cluster"].includes(k)
    );
    if (clash.length) {
      throw new UsageError(
        `--config runs the jobs as saved; --${clash[0]} cannot be combined with it (put it in the job's options)`,
      );
    }
    jobs = await readConfig(str("config")!);
    source = "job";
  } else {
    source = "cli";
  }
  // Before the job is parsed: the agent strategies exist once their runtime is registered.
  // Loaded only for an agent strategy: the other strategies do not pay the SDK's start-up.
  const agents = source === "cli" && (isAgentStrategy(str("strategy")) || llmFlagGiven(values))
    ? await (await load<typeof import("./_backtest_agents.ts")>("./_backtest_agents.ts")).agentRuntimeForBacktest(
      values,
    )
    : undefined;
  try {
    if (source === "cli") jobs = [jobFromFlags(values)];
    return await runJobs(jobs, source, values, signal, agents, afterTax);
  } finally {
    agents?.close();
  }
}

async function runJobs(
  jobs: JobSpec[],
  source: RunSource,
  values: Values,
  signal: AbortSignal,
  agents: AgentRuntime | undefined,
  afterTax: AfterTaxFlag | undefined,
): Promise<number> {
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const workers = str("workers") === undefined ? undefined : parseNumberFlag(
    "workers",
    str("workers")!,
    (x) => Number.isInteger(x) && x >= 0 && x <= 256,
    "a whole number from 0 to 256",
  );
  // Started before anything is loaded or read: the workers load their modules while this thread parses the data.
  using pool = str("cluster") === undefined && (workers === undefined || workers > 1) && jobs.some(localSweep)
    ? new SweepWorkerPool(workers ?? navigator.hardwareConcurrency ?? 1)
    : undefined;
  const registry = await (await load<typeof import("../lib/runs/mod.ts")>("../lib/runs/mod.ts")).RunRegistry.open();
  const isTty = Deno.stderr.isTerminal();
  const enc = new TextEncoder();
  const ctx: Omit<JobContext, "label" | "out"> = {
    registry,
    source,
    json: values.json === true,
    ...(workers !== undefined ? { workers } : {}),
    ...(pool ? { pool } : {}),
    fast: values.fast === true,
    ...(afterTax ? { afterTax } : {}),
    signal,
    ...(agents ? { agents } : {}),
    print: (line) => console.log(line),
    progress: (line, transient = false) => {
      if (isTty) Deno.stderr.writeSync(enc.encode(transient ? `\r\x1b[K${line}` : `\r\x1b[K${line}\n`));
      else if (!transient) console.error(line);
    },
  };
  await using cluster = str("cluster") === undefined
    ? undefined
    : await (await load<typeof import("./_backtest_cluster.ts")>("./_backtest_cluster.ts")).openCluster(
      str("cluster")!,
      {
        progress: ctx.progress,
        label: str("label") ?? "",
      },
    );
  if (cluster) ctx.cluster = cluster;
  const out = str("out");
  const results: Record<string, unknown>[] = [];
  let failed = 0;
  for (const job of jobs) {
    const label = source === "job" ? job.name : str("label") ?? "";
    const jobOut = out === undefined ? undefined : source === "job" ? join(out, job.name) : out;
    if (source === "job" && !ctx.json) console.log(`== job ${job.name}`);
    try {
      results.push({
        ...(source === "job" ? { job: job.name } : {}),
        ...await runOne(job, {
          ...ctx,
          label,
          ...(jobOut ? { out: jobOut } : {}),
        }),
      });
    } catch (e) {
      if (source !== "job" || (e as Error)?.name === "AbortError") throw e;
      // A scheduled file keeps going: one broken job must not starve the others.
      failed++;
      console.error(`error: job ${job.name}: ${String((e as Error)?.message ?? e).replace(/\s*\n\s*/g, "; ")}`);
      results.push({ job: job.name, error: String((e as Error)?.message ?? e) });
    }
    if (source === "job" && !ctx.json) console.log("");
  }
  if (ctx.json) printJson(source === "job" ? { jobs: results } : results[0]);
  return failed > 0 ? 2 : 0;
}

/** A portfolio, a batch (a single-series strategy over several series or a pattern) or one series. */
async function runOne(job: JobSpec, ctx: JobContext): Promise<Record<string, unknown>> {
  if (strategyNamed(job.strategy).kind === "portfolio") {
    if (ctx.cluster) throw new UsageError(`--cluster does not run portfolio strategies (${job.strategy}) yet: drop it`);
    const { expandDataArgs } = await load<typeof import("./_backtest_data.ts")>("./_backtest_data.ts");
    const { runPortfolioJob } = await load<typeof import("./_backtest_portfolio.ts")>("./_backtest_portfolio.ts");
    return await runPortfolioJob({ ...job, data: await expandDataArgs(job.data) }, ctx);
  }
  if (isBatchJob(job)) {
    const { runBatchJob } = await load<typeof import("./_backtest_batch.ts")>("./_backtest_batch.ts");
    return await (ctx.cluster ? runBatchJob(job, ctx, ctx.cluster.runBatch) : runBatchJob(job, ctx));
  }
  return await (await runModule()).runJob(job, ctx);
}

/** A single-series sweep (grid or random) on this machine's worker threads: agent strategies sweep in this thread. */
function localSweep(job: JobSpec): boolean {
  return (job.grid !== undefined || job.random !== undefined) && job.walkForward === undefined && !isBatchJob(job) &&
    strategyNamed(job.strategy).kind !== "portfolio" && !isAgentStrategy(job.strategy);
}

function isAgentStrategy(name: string | undefined): boolean {
  return name === "llm_persona" || name === "llm_debate";
}

function llmFlagGiven(values: Values): boolean {
  return Object.keys(values).some((k) => k.startsWith("llm-") && values[k] !== undefined);
}

/** Builds the job from command-line flags, validating every value before any data is read. */
export function jobFromFlags(values: Values): JobSpec {
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const data = (values.data as string[] | undefined) ?? [];
  const strategyName = str("strategy");
  if (data.length === 0) {
    throw new UsageError(
      `--data is required: a stored series (samples:GOOG:1d) or a CSV path (see \`${COMMAND} --help\`)`,
    );
  }
  if (strategyName === undefined) throw new UsageError(`--strategy is required (see \`${COMMAND} --help\`)`);
  const strategy = strategyNamed(strategyName);
  checkPortfolioJob(strategy, data, {
    grid: values.grid !== undefined,
    random: str("random") !== undefined,
    walkForward: str("walk-forward") !== undefined,
  });
  const params = parseParamFlags((values.param as string[] | undefined) ?? []);
  const grid: Record<string, GridValue[]> = {};
  for (const item of (values.grid as string[] | undefined) ?? []) {
    const [k, v] = parseGridItem(strategy, item);
    if (k in grid) throw new UsageError(`--grid ${k} is given twice: give one range or list per param`);
    if (k in params) throw new UsageError(`--grid ${k} and --param ${k} both set ${k}: keep one`);
    grid[k] = v;
  }
  if (Object.keys(grid).length === 0) parseParams(strategy, params);
  else {
    // Params outside the grid are fixed for every combo: one-value grid entries, checked field by field now
    // (cross-field rules such as fast < slow are the sweep's to check per combo).
    const fields = paramFields(strategy);
    for (const [k, v] of Object.entries(params)) {
      const field = fields.find((f) => f.name === k);
      if (field === undefined) {
        throw new UsageError(
          `--param ${k}: unknown param for ${strategy.name}; params are ${fields.map((f) => f.name).join(", ")}`,
        );
      }
      grid[k] = gridValues(
        strategy.name,
        field,
        [typedParamText(field, v)],
        `--param ${k}=${v}`,
        `--param ${k}=<value>`,
      );
    }
  }
  if (str("random") !== undefined && Object.keys(grid).length === 0 && Object.keys(params).length > 0) {
    throw new UsageError(
      "--random without --grid draws every param from its range; fix params with one-value --grid k=v instead of --param",
    );
  }
  const random = str("random") === undefined ? undefined : {
    n: parseNumberFlag(
      "random",
      str("random")!,
      (x) => Number.isInteger(x) && x >= 1,
      "a whole number of combinations >= 1",
    ),
    seed: str("seed") === undefined ? 1 : parseNumberFlag("seed", str("seed")!, Number.isInteger, "a whole number"),
  };
  if (str("seed") !== undefined && random === undefined) throw new UsageError("--seed needs --random N");
  const walkForward = str("walk-forward") === undefined ? undefined : parseWalkForwardFlag(str("walk-forward")!);
  if (walkForward && str("after-tax") !== undefined) {
    // Each fold trades with its own best params: the stitched out-of-sample run is not one strategy's to tax.
    throw new UsageError(
      "--after-tax applies to a single run, a portfolio or a sweep's best run, not to --walk-forward: drop one of them",
    );
  }
  if (walkForward && Object.keys(grid).length === 0) {
    throw new UsageError("--walk-forward needs --grid: it picks the best grid point on each training window");
  }
  const metric = str("metric") ?? walkForward?.metric ?? "sharpe";
  const risk = str("risk");
  if (risk !== undefined) {
    if (strategy.kind === "portfolio") {
      throw new UsageError(
        `--risk is not supported yet for portfolio strategies (${strategy.name}): drop --risk, or use a single-series ` +
          `strategy`,
      );
    }
    const mode = walkForward ? "--walk-forward" : Object.keys(grid).length ? "--grid" : random ? "--random" : "";
    if (mode) throw new UsageError(`--risk applies to a single backtest, not to ${mode}: drop one of them`);
    if (risk.trim() === "") throw new UsageError("--risk needs the path of a risk config file");
  }
  return {
    name: "cli",
    data,
    strategy: strategyName,
    params,
    ...(Object.keys(grid).length ? { grid } : {}),
    ...(random ? { random } : {}),
    ...(walkForward ? { walkForward: { ...walkForward, metric } } : {}),
    options: optionsFromFlags(values),
    dataOptions: dataOptionsFromFlags(values),
    metric,
    ...(risk !== undefined ? { risk } : {}),
  };
}

if (import.meta.main) await runCli(main);
