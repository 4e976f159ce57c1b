// The five gates, one function each. Every evidence text is one or two lines a trader reads.

import { RiskEngine } from "../risk/mod.ts";
import { join } from "node:path";
import { AuditLog } from "../audit/mod.ts";
import { loadAccount } from "../accounts/mod.ts";
import { type BacktestOptions, ENGINE_VERSION, hashFrame, runBacktest, walkForward } from "../backtest/mod.ts";
import { qualityReport } from "../data/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { checkParity } from "../parity/mod.ts";
import type { RiskConfig } from "../risk/mod.ts";
import { runInputFromBacktest, type RunRecord, type RunRegistry } from "../runs/mod.ts";
import { prepareStrategy, type Strategy } from "../strategies/mod.ts";
import { Store } from "../store/mod.ts";
import { type Calendar, formatSeries, parseSeries, type SeriesId } from "../types/mod.ts";
import type { GateResult } from "./promotion_checklist.ts";

/** Data the missing evidence is computed on (and the parity check replays). */
export interface EvidenceData {
  frame: Frame;
  /** The series the frame is: `exchange:SYMBOL:timeframe` or its parts (`csv:<stem>:<tf>` for a file). */
  series: SeriesId | string;
  /** Default: the backtester's guess. */
  calendar?: Calendar;
  periodsPerYear?: number;
  riskFree?: number;
}

/** What every gate needs. */
export interface GateContext {
  strategy: Strategy<any>;
  codeHash: string;
  params: Record<string, unknown>;
  /** Parsed options the evidence must have used (cash excluded from the comparison: it is the allocation). */
  options: BacktestOptions;
  account: string;
  dataDir: string;
  runs: RunRegistry;
  data?: EvidenceData;
  minDays: number;
  minFolds: number;
  progress: (line: string) => void;
  signal?: AbortSignal;
}

const DAY_MS = 86_400_000;

/** Canonical JSON (sorted keys), for comparing params and options as values. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${
      Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
        .join(",")
    }}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** Options compared without `cash` (the sleeve's allocation scales, it does not change the strategy's trades). */
function optionsKey(o: Record<string, unknown>): string {
  const { cash: _cash, ...rest } = o;
  return canonical(rest);
}

function seriesText(s: SeriesId | string): string {
  return typeof s === "string" ? s : formatSeries(s);
}

const fmt = (x: number | undefined, digits = 2): string =>
  x === undefined || !Number.isFinite(x) ? String(x) : x.toFixed(digits);
const day = (ms: unknown): string => typeof ms === "number" ? new Date(ms).toISOString().slice(0, 10) : "?";
const short = (h: string): string => h.slice(0, 12);

interface Span {
  first: number;
  last: number;
  days: number;
  series: string;
  hash: string;
}

function spanOf(rec: RunRecord): Span | undefined {
  const d = (rec.manifest as { data?: { first?: unknown; last?: unknown; series?: unknown; hash?: unknown }[] }).data
    ?.[0];
  if (typeof d?.first !== "number" || typeof d?.last !== "number") return undefined;
  return {
    first: d.first,
    last: d.last,
    days: (d.last - d.first) / DAY_MS,
    series: String(d.series ?? rec.series[0] ?? "?"),
    hash: String(d.hash ?? ""),
  };
}

function codeHashOf(rec: RunRecord): string | undefined {
  const h = (rec.manifest as { strategy?: { code_hash?: unknown } }).strategy?.code_hash;
  return typeof h === "string" ? h : undefined;
}

/** Why a single run is not evidence enough, or "" when it is. */
function backtestProblem(rec: RunRecord, minDays: number): string {
  const span = spanOf(rec);
  const problems: string[] = [];
  if (span === undefined) problems.push("its manifest has no data span");
  else if (span.days < minDays) problems.push(`${Math.floor(span.days)} days of data < ${minDays}`);
  const sharpe = rec.stats.sharpe;
  if (!(sharpe !== undefined && sharpe > 0)) problems.push(`Sharpe ${fmt(sharpe)} <= 0`);
  return problems.join(", ");
}

function backtestLine(rec: RunRecord): string {
  const s = spanOf(rec);
  return `run ${rec.id}: ${s?.series ?? rec.series[0]} ${day(s?.first)}..${day(s?.last)} (${
    Math.floor(s?.days ?? 0)
  } days), Sharpe ${fmt(rec.stats.sharpe)}, return ${fmt((rec.stats.total_return ?? NaN) * 100, 1)} %, max drawdown ${
    fmt((rec.stats.max_drawdown ?? NaN) * 100, 1)
  } %, ${rec.stats.trades ?? "?"} trades`;
}

/**
 * Gate 1: a recorded single backtest of the same code hash, params and options (cash aside) over at least
 * `minDays` of data with Sharpe > 0. Without one and with `data`, the backtest is run on it and recorded.
 */
export async function backtestGate(ctx: GateContext): Promise<{ gate: GateResult; run?: RunRecord }> {
  const wantParams = canonical(ctx.params), wantOptions = optionsKey(ctx.options as unknown as Record<string, unknown>);
  const candidates = (await ctx.runs.list({ strategy: ctx.strategy.name, kind: "single", limit: 10_000 })).filter((r) =>
    codeHashOf(r) === ctx.codeHash && canonical(r.params) === wantParams && optionsKey(r.options) === wantOptions
  );
  let pass = candidates.find((r) => backtestProblem(r, ctx.minDays) === "");
  let computed = false;
  if (pass === undefined && ctx.data) {
    const hash = await hashFrame(ctx.data.frame);
    const onData = candidates.find((r) => spanOf(r)?.hash === hash);
    if (onData === undefined) {
      ctx.progress(`backtest: no passing recorded run; running ${ctx.strategy.name} on ${seriesText(ctx.data.series)}`);
      const series = typeof ctx.data.series === "string" ? parseSeries(ctx.data.series) : ctx.data.series;
      let result;
      try {
        // A strategy with an asynchronous pre-pass (an LLM agent) is prepared before its vectorized run.
        await prepareStrategy(ctx.strategy, ctx.data.frame, ctx.params, {
          symbol: series.symbol,
          timeframe: series.timeframe,
        });
        result = await runBacktest({
          frame: ctx.data.frame,
          strategy: ctx.strategy,
          params: ctx.params,
          options: ctx.options,
          series,
          timeframe: series.timeframe,
          ...(ctx.data.calendar ? { calendar: ctx.data.calendar } : {}),
          ...(ctx.data.periodsPerYear !== undefined ? { periodsPerYear: ctx.data.periodsPerYear } : {}),
          ...(ctx.data.riskFree !== undefined ? { riskFree: ctx.data.riskFree } : {}),
        });
      } catch (e) {
        // Too few bars for the warm-up, a strategy that throws: no evidence, said as such.
        return {
          gate: {
            name: "backtest",
            ok: false,
            evidence: `no passing recorded backtest, and none could be run on ${seriesText(ctx.data.series)}: ${
              (e as Error)?.message
            }`,
          },
        };
      }
      const rec = await ctx.runs.record(runInputFromBacktest(result), { label: "promotion evidence" });
      candidates.unshift(rec);
      computed = true;
      if (backtestProblem(rec, ctx.minDays) === "") pass = rec;
    }
  }
  const how = computed ? " (computed now)" : "";
  if (pass) {
    return { gate: { name: "backtest", ok: true, evidence: backtestLine(pass) + how, runIds: [pass.id] }, run: pass };
  }
  const newest = candidates[0];
  if (newest === undefined) {
    return {
      gate: {
        name: "backtest",
        ok: false,
        evidence: `no recorded backtest of ${ctx.strategy.name} (code ${short(ctx.codeHash)}) with params ${
          canonical(ctx.params)
        } and these options; run one over >= ${ctx.minDays} days, or pass data to compute it`,
      },
    };
  }
  return {
    gate: {
      name: "backtest",
      ok: false,
      evidence: `${backtestLine(newest)}${how}\nnot enough: ${backtestProblem(newest, ctx.minDays)}${
        candidates.length > 1 ? ` (and ${candidates.length - 1} other matching run(s) fail too)` : ""
      }`,
      runIds: [newest.id],
    },
    run: newest,
  };
}

interface FoldSummary {
  oos: number;
}

function foldsOf(rec: RunRecord): FoldSummary[] {
  const folds = (rec.detail as { folds?: { out_of_sample?: { sharpe?: unknown } }[] }).folds ?? [];
  return folds.map((f) => ({ oos: typeof f.out_of_sample?.sharpe === "number" ? f.out_of_sample.sharpe : NaN }));
}

/**
 * Whether a walk-forward covers the promoted params: its last fold chose exactly them, or its search grid holds
 * them (every param's grid values include the promoted value), so the procedure it tested out of sample could
 * pick them.
 */
function coversParams(rec: RunRecord, params: Record<string, unknown>): boolean {
  if (canonical(rec.params) === canonical(params)) return true;
  const grid = (rec.manifest as { grid?: Record<string, unknown[]> | null }).grid;
  if (grid === null || grid === undefined || typeof grid !== "object") return false;
  return Object.entries(params).every(([k, v]) => {
    const values = grid[k];
    return Array.isArray(values) ? values.some((x) => canonical(x) === canonical(v)) : false;
  });
}

/** Mean out-of-sample Sharpe; a fold without a Sharpe (flat: no trade, no return) counts as 0. */
function meanOos(folds: FoldSummary[]): number {
  return folds.reduce((a, f) => a + (Number.isNaN(f.oos) ? 0 : f.oos), 0) / folds.length;
}

function wfProblem(rec: RunRecord, minFolds: number): string {
  const folds = foldsOf(rec);
  const mean = meanOos(folds);
  const problems: string[] = [];
  if (folds.length < minFolds) problems.push(`${folds.length} fold(s) < ${minFolds}`);
  if (!(mean > 0)) problems.push(`mean out-of-sample Sharpe ${fmt(mean)} <= 0`);
  return problems.join(", ");
}

function wfLine(rec: RunRecord): string {
  const folds = foldsOf(rec);
  const mean = meanOos(folds);
  const mode = String((rec.manifest as { mode?: unknown }).mode ?? "");
  return `run ${rec.id}: ${folds.length} ${mode} folds on ${rec.series[0] ?? "?"}, out-of-sample Sharpe per fold ${
    folds.map((f) => Number.isNaN(f.oos) ? "flat" : fmt(f.oos)).join(", ")
  }; mean ${fmt(mean)} (flat folds count as 0)`;
}

/**
 * Gate 2: a recorded walk-forward of the same code hash (and options, cash aside) that covers the params
 * ({@link coversParams}) with at least `minFolds` folds and a mean out-of-sample Sharpe > 0. Without one and with
 * `data`, a walk-forward of the promoted params (a one-point grid: each fold tests them out of sample) is run on
 * it and recorded: 4 rolling folds, a fifth of the bars for training (indicator warm-up), the rest split into tests.
 */
export async function walkForwardGate(ctx: GateContext): Promise<GateResult> {
  const wantOptions = optionsKey(ctx.options as unknown as Record<string, unknown>);
  const candidates = (await ctx.runs.list({ strategy: ctx.strategy.name, kind: "walk_forward", limit: 10_000 }))
    .filter((r) =>
      codeHashOf(r) === ctx.codeHash && optionsKey(r.options) === wantOptions && coversParams(r, ctx.params)
    );
  let pass = candidates.find((r) => wfProblem(r, ctx.minFolds) === "");
  let computed = false;
  if (pass === undefined && ctx.data) {
    const hash = await hashFrame(ctx.data.frame);
    const onData = candidates.find((r) => spanOf(r)?.hash === hash);
    if (onData === undefined) {
      ctx.progress(`walk-forward: no passing recorded run; running one on ${seriesText(ctx.data.series)}`);
      let rec: RunRecord | undefined;
      try {
        rec = await computeWalkForward(ctx, ctx.data, hash);
      } catch (e) {
        if ((e as Error)?.name === "AbortError") throw e;
        return {
          name: "walk_forward",
          ok: false,
          evidence: `no passing recorded walk-forward, and none could be run on ${seriesText(ctx.data.series)}: ${
            (e as Error)?.message
          }`,
        };
      }
      if (rec) {
        candidates.unshift(rec);
        computed = true;
        if (wfProblem(rec, ctx.minFolds) === "") pass = rec;
      }
    }
  }
  const how = computed ? " (computed now)" : "";
  if (pass) return { name: "walk_forward", ok: true, evidence: wfLine(pass) + how, runIds: [pass.id] };
  const newest = candidates[0];
  if (newest === undefined) {
    return {
      name: "walk_forward",
      ok: false,
      evidence: `no recorded walk-forward of ${ctx.strategy.name} (code ${short(ctx.codeHash)}) covering params ${
        canonical(ctx.params)
      }; run \`deno task backtest --walk-forward ...\` or pass data${ctx.data ? " with enough bars for 4 folds" : ""}`,
    };
  }
  return {
    name: "walk_forward",
    ok: false,
    evidence: `${wfLine(newest)}${how}\nnot enough: ${wfProblem(newest, ctx.minFolds)}`,
    runIds: [newest.id],
  };
}

async function computeWalkForward(ctx: GateContext, data: EvidenceData, hash: string): Promise<RunRecord | undefined> {
  const n = data.frame.length;
  const folds = 4;
  const train = Math.max(ctx.strategy.warmup(ctx.params as never) + 2, Math.ceil(n / 5));
  const test = Math.floor((n - train) / folds);
  if (test < 2) return undefined;
  const series = typeof data.series === "string" ? parseSeries(data.series) : data.series;
  const label = formatSeries(series);
  const grid = Object.fromEntries(Object.entries(ctx.params).map(([k, v]) => [k, [v as never]]));
  const wf = await walkForward({
    frame: data.frame,
    strategy: ctx.strategy,
    grid,
    options: ctx.options,
    train,
    test,
    folds,
    mode: "rolling",
    // One combination: the metric picks nothing, and total_return is defined even without trades (Sharpe is not).
    metric: "total_return",
    workers: 0,
    timeframe: series.timeframe,
    ...(data.calendar ? { calendar: data.calendar } : {}),
    ...(data.periodsPerYear !== undefined ? { periodsPerYear: data.periodsPerYear } : {}),
    ...(data.riskFree !== undefined ? { riskFree: data.riskFree } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const calendar = data.calendar ?? "24/7";
  // The layout of `deno task backtest --walk-forward` runs (cli/_backtest_wf.ts), so both read the same way.
  const manifest = {
    kind: "walk_forward",
    engine_version: ENGINE_VERSION,
    strategy: { name: ctx.strategy.name, code_hash: ctx.codeHash },
    grid,
    random: null,
    options: ctx.options,
    data: [{
      series: label,
      hash,
      bars: n,
      first: data.frame.ts[0] ?? null,
      last: data.frame.ts[n - 1] ?? null,
      quality: qualityReport(data.frame, { timeframe: series.timeframe, calendar, label }),
    }],
    train,
    test,
    folds,
    mode: "rolling",
    metric: "total_return",
    timeframe: series.timeframe,
    calendar,
    periods_per_year: data.periodsPerYear ?? null,
    risk_free: data.riskFree ?? 0,
  };
  const pick = (s: Record<string, number>) => ({
    sharpe: s.sharpe ?? NaN,
    total_return: s.total_return ?? NaN,
    max_drawdown: s.max_drawdown ?? NaN,
    trades: s.trades ?? NaN,
  });
  return await ctx.runs.record({
    kind: "walk_forward",
    series: [label],
    strategy: ctx.strategy.name,
    params: ctx.params,
    options: ctx.options as unknown as Record<string, unknown>,
    manifest,
    stats: wf.stats,
    equity: wf.equityTable(),
    detail: {
      kind: "walk_forward",
      strategy: ctx.strategy.name,
      series: label,
      mode: "rolling",
      metric: "total_return",
      train,
      test,
      folds: wf.folds.map((f) => ({
        fold: f.fold + 1,
        train: { from: f.trainStart, to: f.trainEnd, bars: f.train.end - f.train.start },
        test: { from: f.testStart, to: f.testEnd, bars: f.test.end - f.test.start },
        params: f.params,
        trials: f.trials,
        in_sample: pick(f.isStats),
        out_of_sample: pick(f.oosStats),
      })),
    },
  }, { label: "promotion evidence" });
}

/** Gate 3: the account exists and its risk config has limits in force; the evidence lists them. */
export function riskGate(ctx: GateContext): { gate: GateResult; risk?: RiskConfig; startingCash?: number } {
  let account;
  try {
    account = loadAccount({ dataDir: ctx.dataDir, name: ctx.account });
  } catch (e) {
    return { gate: { name: "risk_limits", ok: false, evidence: (e as Error).message } };
  }
  const r = account.config.risk.rules;
  const on: string[] = [];
  if (r.maxPositionValue.enabled) on.push(`position <= ${r.maxPositionValue.limit}`);
  if (r.maxPositionShare.enabled) on.push(`position <= ${fmt(r.maxPositionShare.limit * 100, 0)} % of equity`);
  if (r.maxGrossExposure.enabled) on.push(`gross exposure <= ${r.maxGrossExposure.limit}`);
  if (r.maxLeverage.enabled) on.push(`leverage <= ${r.maxLeverage.limit}`);
  if (r.symbols.enabled && (r.symbols.allow !== null || r.symbols.deny.length > 0)) {
    on.push(
      `symbols ${r.symbols.allow ? `allow ${r.symbols.allow.join(",")}` : ""}${
        r.symbols.deny.length ? ` deny ${r.symbols.deny.join(",")}` : ""
      }`.trim(),
    );
  }
  if (r.orderRate.enabled) {
    on.push(`orders <= ${r.orderRate.perMinute}/min ${r.orderRate.perHour}/h ${r.orderRate.perDay}/day`);
  }
  if (r.minTradeInterval.enabled) on.push(`>= ${r.minTradeInterval.ms / 1000} s between trades`);
  if (r.tradingWindow.enabled) on.push(`window ${r.tradingWindow.start}-${r.tradingWindow.end} UTC`);
  if (r.dailyLoss.enabled) {
    on.push(
      `daily loss <= ${
        r.dailyLoss.unit === "fraction" ? `${fmt(r.dailyLoss.limit * 100, 1)} %` : r.dailyLoss.limit
      } (${r.dailyLoss.level})`,
    );
  }
  if (r.maxDrawdown.enabled) on.push(`drawdown <= ${fmt(r.maxDrawdown.limit * 100, 0)} % (${r.maxDrawdown.level})`);
  if (r.volatilityHalt.enabled) on.push(`volatility halt > ${r.volatilityHalt.max}`);
  if (r.maxConsecutiveLosses.enabled) on.push(`<= ${r.maxConsecutiveLosses.limit} losses in a row`);
  if (r.staleData.enabled) on.push(`stale data > ${r.staleData.maxBarAgeMs / 1000} s`);
  const override = account.config.risk.strategies[ctx.strategy.name] ? ` (with a ${ctx.strategy.name} override)` : "";
  // A loss limit is what stops a promoted strategy that goes wrong; without one the account has no brake.
  const brake = r.dailyLoss.enabled || r.maxDrawdown.enabled;
  const where = join(account.dir, "account.json");
  // Sizing the limits would deny on every entry (all-in against a 25 % cap) makes a promotion that never trades.
  const share = new RiskEngine(account.config.risk).rulesFor(ctx.strategy.name).maxPositionShare;
  const size = ctx.options.size;
  const entryShare = size.kind === "all"
    ? 1
    : size.kind === "fraction"
    ? size.value
    : size.kind === "cash"
    ? size.value / ctx.options.cash
    : NaN;
  const oversized = share.enabled && entryShare > share.limit;
  const ok = brake && !oversized;
  const head =
    `account ${ctx.account} (${account.config.kind}, ${account.config.startingCash} ${account.config.quote}), ` +
    `config ${short(account.configHash)}${override}:\n${on.join("; ")}`;
  return {
    gate: {
      name: "risk_limits",
      ok,
      evidence: !brake
        ? `account ${ctx.account} has no daily-loss or drawdown limit enabled (${where}): enable one ` +
          `(rules.dailyLoss or rules.maxDrawdown) and reload`
        : oversized
        ? `${head}\nentries size ${fmt(entryShare * 100, 0)} % of equity but maxPositionShare allows ${
          fmt(share.limit * 100, 0)
        } %: the risk engine would deny every entry; promote with --size ${share.limit} or less, or raise ` +
          `rules.maxPositionShare.limit in ${where}`
        : head,
    },
    risk: account.config.risk,
    startingCash: account.config.startingCash,
  };
}

/**
 * Gate 4: the parity check (paper runner replay against the vectorized backtest) on the evidence data: `data` when
 * given, else the backtest evidence's range of its stored series.
 */
export async function parityGate(ctx: GateContext, evidence: RunRecord | undefined): Promise<GateResult> {
  let frame: Frame | undefined, label = "", timeframe: string | undefined, symbol = "asset";
  if (ctx.data) {
    frame = ctx.data.frame;
    const s = typeof ctx.data.series === "string" ? parseSeries(ctx.data.series) : ctx.data.series;
    label = formatSeries(s);
    timeframe = s.timeframe;
    symbol = s.symbol;
  } else if (evidence) {
    const span = spanOf(evidence);
    const id = span ? parseSeriesOrNull(span.series) : null;
    if (span === undefined || id === null || id.exchange === "csv") {
      return {
        name: "parity",
        ok: false,
        evidence: `the backtest evidence (run ${evidence.id}) is not on a stored series (${
          span?.series ?? "?"
        }): pass the data to replay`,
      };
    }
    try {
      using store = await Store.open({ dir: ctx.dataDir });
      frame = await store.read(id, { from: span.first, to: span.last + 1 });
    } catch (e) {
      return {
        name: "parity",
        ok: false,
        evidence: `cannot read the backtest evidence's data ${span.series} (run ${evidence.id}): ${
          (e as Error)?.message
        }; pass the data to replay`,
      };
    }
    label = span.series;
    timeframe = id.timeframe;
    symbol = id.symbol;
  } else {
    return { name: "parity", ok: false, evidence: "no evidence data to replay: pass data, or record a backtest first" };
  }
  ctx.progress(`parity: replaying ${frame.length} bars of ${label} through the paper runner`);
  const report = await checkParity({
    strategy: ctx.strategy,
    params: ctx.params,
    frame,
    symbol,
    ...(timeframe ? { timeframe } : {}),
    options: ctx.options,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const head =
    `${report.bars} bars of ${label}: runner ${report.orders.runner} orders vs backtest ${report.orders.backtest}`;
  if (report.ok) {
    return {
      name: "parity",
      ok: true,
      evidence: `${head}, all equal; final equity ${fmt(report.equity.runner)} = ${fmt(report.equity.backtest)}`,
    };
  }
  const d = report.firstDifference;
  const why = report.error
    ? `the runner stopped: ${report.error}`
    : d
    ? `first difference at order ${d.index} (${d.field}): backtest ${orderText(d.backtest)}, runner ${
      orderText(d.runner)
    }`
    : `final equity ${fmt(report.equity.runner)} != ${fmt(report.equity.backtest)}`;
  const look = report.lookAhead ? `; look-ahead: ${lookAheadText(report.lookAhead)}` : "";
  return { name: "parity", ok: false, evidence: `${head}\n${why}${look}` };
}

function parseSeriesOrNull(s: string): SeriesId | null {
  try {
    return parseSeries(s);
  } catch {
    return null;
  }
}

function orderText(o: { ts: number; side: string; size: number; price: number } | undefined): string {
  return o === undefined ? "none" : `${o.side} ${fmt(o.size, 4)} @ ${fmt(o.price, 4)} on ${day(o.ts)}`;
}

function lookAheadText(l: { strategy: string; bar: number; detail: string }): string {
  return `${l.strategy} signals change at bar ${l.bar} when later bars are added (${l.detail.split("\n")[0]})`;
}

/** Gate 5: the account's audit log verifies (every hash and link, the head anchor). */
export function auditGate(ctx: GateContext): GateResult {
  let log: AuditLog;
  try {
    log = AuditLog.open({ dataDir: ctx.dataDir, account: ctx.account, readOnly: true });
  } catch (e) {
    return { name: "audit_chain", ok: false, evidence: `cannot open the audit log: ${(e as Error).message}` };
  }
  try {
    const v = log.verify();
    if (v.ok) {
      return {
        name: "audit_chain",
        ok: true,
        evidence: `${v.events} event${v.events === 1 ? " verifies" : "s verify"}; head seq ${v.head.seq} ${
          short(v.head.hash)
        }${v.warnings.length ? ` (warnings: ${v.warnings.join("; ")})` : ""}`,
      };
    }
    return {
      name: "audit_chain",
      ok: false,
      evidence: `the chain breaks at seq ${v.firstBadSeq}: ${v.reason}; run \`deno task audit verify\` and investigate`,
    };
  } finally {
    log.close();
  }
}
