// Flag and config parsing for `deno task backtest`: everything the user types becomes a typed
// JobSpec here, with one-line errors naming the flag, the value seen and the fix.

import { z } from "zod";
import type { BacktestOptionsInput, SizeSpec } from "../lib/backtest/mod.ts";
import {
  type AnyStrategy,
  type GridValue,
  gridValues as gridValuesOf,
  type ParamField,
  paramFields,
  registry,
} from "../lib/strategies/mod.ts";
import { type Calendar, CalendarSchema, ConfigError, TimeframeSchema } from "../lib/types/mod.ts";
import { parseDateFlag, parseNumberFlag, UsageError } from "./_cli.ts";

export type { GridValue } from "../lib/strategies/mod.ts";

/** Walk-forward settings as given: train/test in bars (numbers) or durations (`90d`). */
export interface WalkForwardSpec {
  folds: number;
  train: number | string;
  test: number | string;
  mode: "rolling" | "anchored";
  /** Stat that picks the in-sample best params. Default `sharpe`. */
  metric: string;
}

/** Options that choose and annualize the data, beside the simulation options. */
export interface DataOptions {
  timeframe?: string;
  calendar?: Calendar;
  from?: number;
  to?: number;
  periodsPerYear?: number;
  riskFree?: number;
}

/** One research job: what a command line or one entry of a `--config` file asks for. */
export interface JobSpec {
  name: string;
  /**
   * Stored series (`samples:GOOG:1d`), CSV paths or patterns over stored series (`binance:*` + `/USDT:1h`): one for a
   * single-series run, several (or a pattern) for a batch of a single-series strategy, one or more (one asset each)
   * for a portfolio strategy.
   */
  data: string[];
  strategy: string;
  /** Raw params (strings from flags are coerced by the strategy's schema). */
  params: Record<string, unknown>;
  grid?: Record<string, GridValue[]>;
  random?: { n: number; seed: number };
  walkForward?: WalkForwardSpec;
  options: BacktestOptionsInput;
  dataOptions: DataOptions;
  /** Stat that ranks sweep combos (default `sharpe`). */
  metric: string;
  /** `--risk FILE`: a risk config file (lib/risk) whose limits decide every order of a single backtest. */
  risk?: string;
}

/** A fraction flag: `0.001`, `0.1%` or `10bp`; must satisfy `check`. */
export function parseFraction(flag: string, value: string, check: (x: number) => boolean, hint: string): number {
  const v = value.trim();
  let x: number;
  if (v.endsWith("%")) x = Number(v.slice(0, -1)) / 100;
  else if (v.endsWith("bp")) x = Number(v.slice(0, -2)) / 10_000;
  else x = Number(v);
  if (v === "" || !Number.isFinite(x) || !check(x)) {
    throw new UsageError(`--${flag} ${JSON.stringify(value)} is not valid: ${hint}`);
  }
  return x;
}

/** `--size`: `all`, `0.5` or `fraction:0.5`, `cash:1000`, `units:2`. */
export function parseSizeFlag(value: string): SizeSpec {
  const v = value.trim().toLowerCase();
  const bad = (why: string): never => {
    throw new UsageError(
      `--size ${
        JSON.stringify(value)
      } is not valid (${why}): use all, 0.5 (fraction of equity), fraction:0.5, cash:1000 or units:2`,
    );
  };
  if (v === "all") return { kind: "all" };
  const m = /^(?:(fraction|cash|units):)?(.+)$/.exec(v);
  const kind = (m?.[1] ?? "fraction") as "fraction" | "cash" | "units";
  const raw = m?.[2] ?? "";
  const x = raw.endsWith("%") && kind === "fraction" ? Number(raw.slice(0, -1)) / 100 : Number(raw);
  if (!Number.isFinite(x) || x <= 0) bad("the amount must be a number > 0");
  if (kind === "fraction" && x > 1) bad("a fraction is at most 1");
  return { kind, value: x };
}

/** `--param k=v` (repeatable) into a raw params object; a param given twice is an error. */
export function parseParamFlags(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values) {
    const eq = item.indexOf("=");
    const key = eq > 0 ? item.slice(0, eq).trim() : "";
    if (key === "") {
      throw new UsageError(
        `--param ${JSON.stringify(item)} is not valid: write --param name=value, e.g. --param fast=10`,
      );
    }
    if (key in out) {
      throw new UsageError(`--param ${key} is given twice (${out[key]} and ${item.slice(eq + 1)}): keep one`);
    }
    out[key] = item.slice(eq + 1).trim();
  }
  return out;
}

/**
 * One `--grid` item: `k=a..b` (step 1), `k=a..b:step` (inclusive of b when it falls on a step)
 * or `k=a,b,c`. Values are checked against the strategy's field (type and range) now, so a typo
 * fails before any work; cross-field rules (fast < slow) are left to the sweep, which skips and
 * counts those combos.
 */
export function parseGridItem(strategy: AnyStrategy, item: string, flag = "--grid"): [string, GridValue[]] {
  const eq = item.indexOf("=");
  const key = eq > 0 ? item.slice(0, eq).trim() : "";
  const spec = item.slice(eq + 1).trim();
  const example = `${flag} fast=5..50:5 or ${flag} fast=5,10,20`;
  if (key === "" || spec === "") throw new UsageError(`${flag} ${JSON.stringify(item)} is not valid: write ${example}`);
  const fields = paramFields(strategy);
  const field = fields.find((f) => f.name === key);
  if (field === undefined) {
    throw new UsageError(
      `${flag} ${JSON.stringify(item)}: unknown param ${JSON.stringify(key)} for ${strategy.name}; params are ${
        fields.map((f) => f.name).join(", ") || "(none)"
      }`,
    );
  }
  return [key, gridValues(strategy.name, field, spec, `${flag} ${item}`, example)];
}

/**
 * Expands a grid spec (text, or a JSON list from a saved job) for `field` by lib/strategies' one rule (the lab's too);
 * its problems become one usage error that names where the spec came from and an example.
 */
export function gridValues(
  strategy: string,
  field: ParamField,
  spec: string | readonly unknown[],
  where: string,
  example: string,
): GridValue[] {
  const r = gridValuesOf(strategy, field, spec);
  if (r.problems.length > 0) {
    const text = r.problems.join("; ");
    throw new UsageError(`${where}: ${text}${text.includes("e.g.") ? "" : ` (e.g. ${example})`}`);
  }
  return r.values;
}

/** `--walk-forward folds=N,train=..,test=..,mode=rolling|anchored[,metric=sharpe]`. */
export function parseWalkForwardFlag(value: string): WalkForwardSpec {
  const example = "folds=5,train=500,test=100,mode=rolling (train/test in bars or durations like 90d)";
  const out: Partial<WalkForwardSpec> = {};
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    const k = part.slice(0, eq).trim(), v = part.slice(eq + 1).trim();
    if (eq <= 0 || v === "") {
      throw new UsageError(`--walk-forward ${JSON.stringify(value)} is not valid: write ${example}`);
    }
    if (k === "folds") {
      out.folds = parseNumberFlag("walk-forward folds", v, (x) => Number.isInteger(x) && x >= 1, "a whole number >= 1");
    } else if (k === "train" || k === "test") out[k] = parseSpan(`walk-forward ${k}`, v);
    else if (k === "mode") {
      if (v !== "rolling" && v !== "anchored") {
        throw new UsageError(`--walk-forward mode=${v} is not valid: use rolling or anchored`);
      }
      out.mode = v;
    } else if (k === "metric") out.metric = v;
    else {throw new UsageError(
        `--walk-forward: unknown key ${JSON.stringify(k)}; keys are folds, train, test, mode, metric`,
      );}
  }
  if (out.folds === undefined || out.train === undefined || out.test === undefined) {
    throw new UsageError(`--walk-forward ${JSON.stringify(value)} needs folds, train and test: write ${example}`);
  }
  return {
    folds: out.folds,
    train: out.train,
    test: out.test,
    mode: out.mode ?? "rolling",
    metric: out.metric ?? "sharpe",
  };
}

/** A span in bars (`500`) or a duration (`90d`, `12h`, `4w`, `30m`). */
export function parseSpan(flag: string, v: string | number): number | string {
  if (typeof v === "number" || /^\d+$/.test(v)) {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new UsageError(`--${flag} ${v} is not valid: bars must be a whole number >= 1`);
    }
    return n;
  }
  if (/^[1-9]\d*[mhdw]$/.test(v)) return v;
  throw new UsageError(
    `--${flag} ${JSON.stringify(v)} is not valid: use a bar count (500) or a duration (90d, 12h, 4w, 30m)`,
  );
}

const SPAN_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Bars in a span over `ts`: a count as is; a duration divided by the data's average bar
 * spacing (so `90d` of weekday-only daily bars is about 64 bars, not 90).
 */
export function spanBars(span: number | string, ts: Float64Array, flag: string): number {
  if (typeof span === "number") return span;
  const n = ts.length;
  if (n < 2) throw new UsageError(`--${flag} ${span}: the data has ${n} bar(s); a duration needs at least 2`);
  const avg = (ts[n - 1]! - ts[0]!) / (n - 1);
  const ms = Number(span.slice(0, -1)) * SPAN_MS[span.slice(-1)]!;
  const bars = Math.round(ms / avg);
  if (bars < 1) throw new UsageError(`--${flag} ${span} is shorter than one bar (${Math.round(avg / 60_000)} min)`);
  return bars;
}

/** The strategy named by the user, or a UsageError listing the known ones. */
export function strategyNamed(name: string): AnyStrategy {
  if (!registry.has(name) && (name === "llm_persona" || name === "llm_debate")) {
    // The agent strategies are registered by the command that builds their runtime (deno task backtest --strategy).
    throw new UsageError(
      `strategy ${name} needs the LLM agent runtime, which this command does not build: run it with ` +
        "deno task backtest --data SERIES --strategy " + name + " (not from a --config job file)",
    );
  }
  if (!registry.has(name)) {
    throw new UsageError(
      `unknown strategy ${JSON.stringify(name)}: use one of ${registry.list().map((s) => s.name).join(", ")}`,
    );
  }
  return registry.get(name);
}

/**
 * Checks the data against the strategy's kind: each value once; several for a single-series strategy make a batch
 * (its sweep over each series, no walk-forward); one or more assets for a portfolio strategy (single runs, sweeps,
 * random search and walk-forward alike).
 */
export function checkPortfolioJob(
  strategy: AnyStrategy,
  data: readonly string[],
  modes: { grid: boolean; random: boolean; walkForward: boolean },
): void {
  if (data.length === 0) throw new UsageError("--data is required: a stored series (samples:GOOG:1d) or a CSV path");
  const seen = new Set<string>();
  for (const d of data) {
    if (seen.has(d)) {
      throw new UsageError(
        `--data ${d} is given twice: give each ${strategy.kind === "portfolio" ? "asset" : "series"} once`,
      );
    }
    seen.add(d);
  }
  if (strategy.kind !== "portfolio") {
    // Several series (or a pattern) make a batch: the strategy's sweep over each series, in one job.
    if (data.length > 1 && modes.walkForward) {
      throw new UsageError(
        `--walk-forward is not supported for a batch over several series (${
          data.join(", ")
        }): run one series at a time`,
      );
    }
    return;
  }
}

// ---------------------------------------------------------------------------------------------
// --config FILE

const num = z.number().finite();
const span = z.union([z.number().int().min(1), z.string().regex(/^(\d+|[1-9]\d*[mhdw])$/)]);

/** One job of a config file. `options` holds the backtest options and the data options (timeframe, from, ...). */
export const ConfigJobSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "a job name is letters, digits, _ . - (a folder name)"),
  data: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  strategy: z.string().min(1),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  grid: z.record(z.string(), z.union([z.array(z.union([z.number(), z.string(), z.boolean()])), z.string()])).optional(),
  random: z.strictObject({ n: z.number().int().min(1), seed: z.number().int().default(1) }).optional(),
  walkForward: z.strictObject({
    folds: z.number().int().min(1),
    train: span,
    test: span,
    mode: z.enum(["rolling", "anchored"]).default("rolling"),
    metric: z.string().default("sharpe"),
  }).optional(),
  metric: z.string().default("sharpe"),
  options: z.record(z.string(), z.unknown()).default({}),
});

/** A saved research job file: `{ "jobs": [ ... ] }`. */
export const ConfigSchema = z.strictObject({
  $comment: z.string().optional(),
  jobs: z.array(ConfigJobSchema).min(1),
});

const DATA_KEYS = ["timeframe", "calendar", "from", "to", "periodsPerYear", "riskFree"] as const;

/** Reads and validates a config file into job specs (errors name the file, the job and the field). */
export async function readConfig(path: string): Promise<JobSpec[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new ConfigError(`--config ${path}: cannot read it (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = ConfigSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ConfigError(`--config ${path}: ${i.path.join(".") || "(root)"}: ${i.message}`);
  }
  const names = new Set<string>();
  return parsed.data.jobs.map((job, j) => {
    const where = `--config ${path}: jobs.${j} (${job.name})`;
    if (names.has(job.name)) throw new ConfigError(`${where}: the job name is used twice; names must be unique`);
    names.add(job.name);
    try {
      const strategy = strategyNamed(job.strategy);
      const data = typeof job.data === "string" ? [job.data] : job.data;
      checkPortfolioJob(strategy, data, {
        grid: job.grid !== undefined,
        random: job.random !== undefined,
        walkForward: job.walkForward !== undefined,
      });
      const fields = paramFields(strategy);
      const grid = job.grid === undefined ? undefined : Object.fromEntries(
        Object.entries(job.grid).map(([k, spec]) => {
          const field = fields.find((f) => f.name === k);
          if (!field) throw new UsageError(`grid: unknown param ${JSON.stringify(k)} for ${strategy.name}`);
          return [k, gridValues(strategy.name, field, spec, `grid.${k}`, `"fast": "5..50:5" or "fast": [5, 10]`)];
        }),
      );
      if (grid) {
        // Fixed params join the grid as one-value entries (a sweep takes every param from its grid).
        for (const [k, v] of Object.entries(job.params)) {
          const field = fields.find((f) => f.name === k);
          if (!field) throw new UsageError(`params: unknown param ${JSON.stringify(k)} for ${strategy.name}`);
          if (k in grid) throw new UsageError(`params.${k} is also in the grid: keep one`);
          grid[k] = gridValues(strategy.name, field, [v], `params.${k}`, `"${k}": <value>`);
        }
      } else if (job.random && Object.keys(job.params).length > 0) {
        throw new UsageError("random without a grid draws every param from its range; put fixed params in the grid");
      }
      const { options, dataOptions } = splitOptions(job.options, where);
      return {
        name: job.name,
        data,
        strategy: job.strategy,
        params: job.params,
        ...(grid ? { grid } : {}),
        ...(job.random ? { random: job.random } : {}),
        ...(job.walkForward ? { walkForward: job.walkForward } : {}),
        options,
        dataOptions,
        metric: job.metric,
      };
    } catch (e) {
      throw new ConfigError(`${where}: ${(e as Error).message}`);
    }
  });
}

function splitOptions(
  raw: Record<string, unknown>,
  where: string,
): { options: BacktestOptionsInput; dataOptions: DataOptions } {
  const options: Record<string, unknown> = {};
  const data: DataOptions = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(DATA_KEYS as readonly string[]).includes(k)) {
      options[k] = v;
      continue;
    }
    if (k === "timeframe") {
      if (!TimeframeSchema.safeParse(v).success) {
        throw new ConfigError(`${where}: options.timeframe ${JSON.stringify(v)} is not a timeframe like 1h or 1d`);
      }
      data.timeframe = v as string;
    } else if (k === "calendar") {
      if (!CalendarSchema.safeParse(v).success) {
        throw new ConfigError(`${where}: options.calendar must be 24/7, weekdays or fx`);
      }
      data.calendar = v as Calendar;
    } else if (k === "from" || k === "to") {
      data[k] = typeof v === "number" ? v : parseDateFlag(k, String(v));
    } else if (!num.safeParse(v).success) {
      throw new ConfigError(`${where}: options.${k} must be a number, got ${JSON.stringify(v)}`);
    } else data[k as "periodsPerYear" | "riskFree"] = v as number;
  }
  return { options: options as BacktestOptionsInput, dataOptions: data };
}

/** Whether a `--data` value is a pattern over stored series ids (`samples:*\/BTC:5m`) rather than one series or a file. */
export function isSeriesPattern(data: string): boolean {
  return /[*?]/.test(data) && !/\.csv$/i.test(data);
}

/** Whether a job is a batch: a single-series strategy over several series, or over a pattern. */
export function isBatchJob(job: Pick<JobSpec, "strategy" | "data">): boolean {
  return strategyNamed(job.strategy).kind !== "portfolio" && (job.data.length > 1 || job.data.some(isSeriesPattern));
}
