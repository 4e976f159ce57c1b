import type { Order, Trade } from "../types/mod.ts";
import {
  alphaOf,
  checkConfidence,
  type DrawdownEpisode,
  drawdownEpisodes,
  durations,
  kurtosisOfMoments,
  meanDepth,
  type Moments,
  riskFreePerPeriod,
  sharpeMomentsOf,
  skewOfMoments,
} from "./_private.ts";
import { FiniteQuantiles } from "./_quantiles.ts";
import { type ReturnSummary, returnSummary } from "./_return_summary.ts";
import { avgLoss } from "./avg_loss.ts";
import { avgTrade } from "./avg_trade.ts";
import { avgWin } from "./avg_win.ts";
import { bestTrade } from "./best_trade.ts";
import type { CoreStats } from "./core_stats.ts";
import { expectedMaxSharpe } from "./expected_max_sharpe.ts";
import { expectancy } from "./expectancy.ts";
import { exposure } from "./exposure.ts";
import { stabilityOf } from "./_stability.ts";
import { kelly } from "./kelly.ts";
import { maxConsecutiveLosses } from "./max_consecutive_losses.ts";
import { maxConsecutiveWins } from "./max_consecutive_wins.ts";
import { payoffRatio } from "./payoff_ratio.ts";
import { profitFactor } from "./profit_factor.ts";
import { probabilisticSharpe } from "./probabilistic_sharpe.ts";
import { sqn } from "./sqn.ts";
import { turnover } from "./turnover.ts";
import { winRate } from "./win_rate.ts";
import { worstTrade } from "./worst_trade.ts";

/**
 * How a stat's number reads, used only for display:
 * - `fraction`: 0.1234 shows as 12.34 %
 * - `ratio`: dimensionless ratio, 2 decimals
 * - `number`: dimensionless statistic (skew, kurtosis), 3 decimals
 * - `currency`: quote currency of the equity curve
 * - `count`: an integer count
 * - `bars`: a duration in bars
 * - `ms`: a duration in milliseconds, shown as days/hours/minutes
 */
export type StatUnit = "fraction" | "ratio" | "number" | "currency" | "count" | "bars" | "ms";

/**
 * What the registry computes stats from. The backtester fills it from arrays it already has; only
 * `ts`, `equity` and `periodsPerYear` are required, and a stat whose input is missing is NaN.
 */
export interface StatsInput {
  /** Bar open times, epoch ms, aligned to `equity`. */
  ts: Float64Array;
  /** Equity (account value in quote currency) at each bar. */
  equity: Float64Array;
  /** Bars per year; see `periodsPerYear(timeframe, { calendar })`. */
  periodsPerYear: number;
  /** Yearly risk-free rate as a fraction, default 0; see `RiskFreeOptions`. */
  riskFree?: number;
  /** Round trips (closed and open); trade stats use the closed ones. Omitted: trade stats are NaN. */
  trades?: readonly Trade[];
  /** Fills; when given, fees and turnover come from them (exact) rather than from trades. */
  orders?: readonly Order[];
  /** Benchmark equity or prices aligned to `ts` (for alpha and beta). */
  benchmark?: Float64Array;
  /**
   * Market exposure: a per-bar position (any non-zero value is "in the market") or the fraction
   * already computed. Omitted: derived from the trades' holding spans.
   */
  exposure?: Float64Array | number;
  /** Total traded notional in quote currency (both legs). Omitted: from orders, else trades. */
  turnover?: number;
  /** Total fees paid in quote currency. Omitted: from orders, else trades. */
  fees?: number;
  /** VaR/CVaR confidence, default 0.95. */
  confidence?: number;
  /** DSR: number of trials of the sweep that selected this run. */
  trials?: number;
  /** DSR: variance of the trials' Sharpe ratios per period (see `DsrOptions.sharpeVariance`). */
  sharpeVariance?: number;
  /**
   * DSR, alternative to `trials` + `sharpeVariance`: the trials' **annualized** Sharpe ratios as
   * the `sharpe` stat reports them; N is their count and V[SR] their sample variance / periodsPerYear.
   */
  trialSharpes?: Float64Array;
  /** Precomputed `returnsFromEquity(equity)`, to skip recomputing it. */
  returns?: Float64Array;
}

/** What a stat function sees: the input and lazily derived, cached series. */
export interface StatsContext {
  /** The input as given. */
  readonly input: StatsInput;
  /** `input.periodsPerYear`, validated. */
  readonly periodsPerYear: number;
  /** Yearly risk-free rate (0 if not given). */
  readonly riskFree: number;
  /** `returnsFromEquity(equity)`, computed once. */
  readonly returns: Float64Array;
  /** Benchmark returns, if a benchmark was given. */
  readonly benchmarkReturns: Float64Array | undefined;
  /** The trades, if given. */
  readonly trades: readonly Trade[] | undefined;
  /** `coreStats(returns)`, computed once. */
  readonly core: CoreStats;
  /** Computes a derived value once per `computeStats` call and shares it between stats by `key`. */
  memo<T>(key: string, compute: () => T): T;
}

/** One entry of the stats registry. */
export interface StatDef {
  /** snake_case key used in JSON, tables and the API. */
  key: string;
  /** Human title for tables. */
  title: string;
  /** How the value reads, for display. */
  unit: StatUnit;
  /** Computes the value; undefined cases give NaN (or ±Infinity where documented). */
  fn: (ctx: StatsContext) => number;
  /** True when larger is better, false when smaller is better, absent when neither. */
  higherIsBetter?: boolean;
  /**
   * True when the value is scaled to a year (by `periodsPerYear` or calendar time). On a run
   * spanning less than 365 days it extrapolates a short sample, and displays should say so.
   */
  annualized?: boolean;
  /** What it is and which definition it follows. */
  doc: string;
}

const trades = (ctx: StatsContext, f: (t: readonly Trade[]) => number): number =>
  ctx.trades === undefined ? NaN : f(ctx.trades);

function feesOf(ctx: StatsContext): number {
  const { fees, orders, trades } = ctx.input;
  if (fees !== undefined) return fees;
  let s = 0;
  if (orders !== undefined) {
    for (const o of orders) s += o.fee;
    return s;
  }
  if (trades !== undefined) {
    for (const t of trades) s += t.fees;
    return s;
  }
  return NaN;
}

function notionalOf(ctx: StatsContext): number {
  const { turnover: given, orders, trades } = ctx.input;
  if (given !== undefined) return given;
  let s = 0;
  if (orders !== undefined) {
    for (const o of orders) s += Math.abs(o.size * o.price);
    return s;
  }
  if (trades !== undefined) {
    for (const t of trades) {
      s += Math.abs(t.size) * (Math.abs(t.entryPrice) + (t.exitIndex >= 0 ? Math.abs(t.exitPrice) : 0));
    }
    return s;
  }
  return NaN;
}

function exposureOf(ctx: StatsContext): number {
  const e = ctx.input.exposure;
  if (typeof e === "number") return e;
  if (e !== undefined) return exposure(e);
  const ts = ctx.trades;
  const n = ctx.input.equity.length;
  if (ts === undefined || n === 0) return NaN;
  const held = new Uint8Array(n);
  for (const t of ts) {
    const end = Math.min(n, t.exitIndex >= 0 ? t.exitIndex : n);
    held.fill(1, Math.max(0, t.entryIndex), Math.max(0, end));
  }
  let k = 0;
  for (let i = 0; i < n; i++) k += held[i]!;
  return k / n;
}

function dsrOf(ctx: StatsContext): number {
  const { trials, sharpeVariance, trialSharpes } = ctx.input;
  let n = trials;
  let v = sharpeVariance;
  if (trialSharpes !== undefined) {
    n = trialSharpes.length;
    let s = 0;
    for (let i = 0; i < n; i++) s += trialSharpes[i]!;
    const m = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (trialSharpes[i]! - m) ** 2;
    v = n > 1 ? ss / (n - 1) / ctx.periodsPerYear : 0;
  }
  if (n === undefined || v === undefined || n < 1) return NaN;
  // dsr(ctx.returns, ...) with the shared moments.
  const sr0 = expectedMaxSharpe({ trials: n, variance: v });
  return psrOf(ctx, sr0, "dsr");
}

// The quantile, moment and benchmark passes below are shared by several stats; each stat's value is
// bit for bit what its public function (valueAtRisk, skew, psr, alpha...) returns on ctx.returns.

// Core stats, omega, ulcer, moments, beta and the quantiles' scratch copy come from one fused
// pass over the equity (see returnSummary): no returns or benchmark returns arrays are made.
const summary = (c: StatsContext): ReturnSummary =>
  c.memo("return_summary", () =>
    returnSummary({
      equity: c.input.equity,
      ...(c.input.returns !== undefined ? { returns: c.input.returns } : {}),
      ...(c.input.benchmark !== undefined ? { benchmark: c.input.benchmark } : {}),
      periodsPerYear: c.periodsPerYear,
      rf: riskFreePerPeriod(c.riskFree, c.periodsPerYear, "computeStats"),
    }));
const core = (c: StatsContext): CoreStats => summary(c).core;

const confidenceOf = (c: StatsContext): number => c.input.confidence ?? 0.95;
const quantiles = (c: StatsContext): FiniteQuantiles =>
  c.memo("return_quantiles", () => {
    const conf = confidenceOf(c);
    // The summary's finite copy is used up here (reordered), so nothing else may read it.
    return new FiniteQuantiles(summary(c).finite, conf > 0 && conf < 1 ? 1 - conf : NaN, true);
  });
const returnMoments = (c: StatsContext): { shift: number; m: Moments } => {
  const s = summary(c);
  return { shift: s.shift, m: s.moments };
};
const benchmarkMeans = (c: StatsContext) => summary(c).beta!;

function psrOf(c: StatsContext, benchmarkSharpe: number, fn: string): number {
  const { shift, m } = returnMoments(c);
  const sm = sharpeMomentsOf(m, shift, riskFreePerPeriod(c.riskFree, c.periodsPerYear, fn));
  if (sm.sharpe !== sm.sharpe) return NaN;
  return probabilisticSharpe({ ...sm, benchmarkSharpe });
}

// cagr(returns, { periodsPerYear, ts }) from the shared compounded growth.
function calendarCagr(c: StatsContext): number {
  const { ts, equity } = c.input;
  const n = equity.length - 1;
  if (n < 1) return NaN;
  const g = core(c).totalReturn + 1;
  if (!(g >= 0)) return NaN;
  const years = (ts[n]! - ts[0]!) / (365 * 86_400_000);
  return years > 0 ? Math.pow(g, 1 / years) - 1 : NaN;
}

const episodes = (c: StatsContext): DrawdownEpisode[] =>
  c.memo("drawdown_episodes", () => drawdownEpisodes(c.input.equity));
const ddDurations = (c: StatsContext) =>
  c.memo("drawdown_durations_ms", () => durations(episodes(c), { unit: "ms", ts: c.input.ts }));

/**
 * The stats registry, in display order. Every `fn` is pure; `computeStats` runs them over one
 * {@link StatsContext} so shared series are derived once.
 */
export const STATS: readonly StatDef[] = [
  {
    key: "total_return",
    title: "Total return",
    unit: "fraction",
    fn: (c) => core(c).totalReturn,
    higherIsBetter: true,
    doc: "Compounded return over the run, last equity / first equity - 1 (empyrical cum_returns_final).",
  },
  {
    key: "final_equity",
    title: "Final equity",
    unit: "currency",
    fn: (c) => c.input.equity.length ? c.input.equity[c.input.equity.length - 1]! : NaN,
    higherIsBetter: true,
    doc: "Equity at the last bar, in quote currency.",
  },
  {
    key: "cagr",
    title: "CAGR",
    unit: "fraction",
    fn: calendarCagr,
    higherIsBetter: true,
    annualized: true,
    doc: "Compound annual growth rate over calendar time: (1 + total) ** (1 / years) - 1 with years = " +
      "(last ts - first ts) / 365 days (quantstats cagr). Equals annual_return on gap-free bars whose " +
      "periodsPerYear matches the calendar (daily crypto at 365).",
  },
  {
    key: "annual_return",
    title: "Annual return",
    unit: "fraction",
    fn: (c) => core(c).annualReturn,
    higherIsBetter: true,
    annualized: true,
    doc: "Geometric growth per year of bars: (1 + total) ** (periodsPerYear / n) - 1 over n returns " +
      "(empyrical annual_return, which empyrical also calls cagr).",
  },
  {
    key: "annual_return_arithmetic",
    title: "Annual return (arithmetic)",
    unit: "fraction",
    fn: (c) => core(c).annualReturnArithmetic,
    higherIsBetter: true,
    annualized: true,
    doc: "Mean per-bar return x periodsPerYear, the numerator of Sharpe; not empyrical's annual_return " +
      "(geometric), which it exceeds by about half the variance per year.",
  },
  {
    key: "annual_volatility",
    title: "Annual volatility",
    unit: "fraction",
    fn: (c) => core(c).annualVolatility,
    higherIsBetter: false,
    annualized: true,
    doc: "Sample standard deviation (ddof 1) of per-bar returns x sqrt(periodsPerYear) (empyrical).",
  },
  {
    key: "sharpe",
    title: "Sharpe",
    unit: "ratio",
    fn: (c) => core(c).sharpe,
    higherIsBetter: true,
    annualized: true,
    doc:
      "mean(r - rf) / std(r, ddof 1) x sqrt(periodsPerYear); rf de-annualized by compounding (empyrical/quantstats).",
  },
  {
    key: "sortino",
    title: "Sortino",
    unit: "ratio",
    fn: (c) => core(c).sortino,
    higherIsBetter: true,
    annualized: true,
    doc: "mean(r - rf) / sqrt(mean(min(r - rf, 0)^2)) x sqrt(periodsPerYear), downside over all bars (empyrical).",
  },
  {
    key: "calmar",
    title: "Calmar",
    unit: "ratio",
    fn: (c) => core(c).calmar,
    higherIsBetter: true,
    annualized: true,
    doc: "annual_return (geometric, by bars) / |max drawdown| over the whole run (empyrical calmar_ratio).",
  },
  {
    key: "omega",
    title: "Omega",
    unit: "ratio",
    fn: (c) => summary(c).omega, // omega(returns, ann(c))
    higherIsBetter: true,
    doc: "Sum of excess returns above 0 / sum of those below, excess over rf (empyrical/quantstats omega_ratio).",
  },
  {
    key: "stability",
    title: "Stability (R²)",
    unit: "ratio",
    // stabilityOfTimeseries(returns), without materializing the returns.
    fn: (c) => c.input.returns !== undefined ? stabilityOf(c.input.returns, false) : stabilityOf(c.input.equity, true),
    higherIsBetter: true,
    doc: "R² of a linear fit of the cumulative log returns against time, 0..1 (empyrical stability_of_timeseries).",
  },
  {
    key: "max_drawdown",
    title: "Max drawdown",
    unit: "fraction",
    fn: (c) => core(c).maxDrawdown,
    higherIsBetter: true,
    doc: "Largest peak-to-trough fall as a negative fraction (-0.25 = 25 %), empyrical's sign.",
  },
  {
    key: "avg_drawdown",
    title: "Avg drawdown",
    unit: "fraction",
    fn: (c) => c.input.equity.length === 0 ? NaN : meanDepth(episodes(c)),
    higherIsBetter: true,
    doc: "Mean trough depth of the drawdown episodes, negative (quantstats' Avg. Drawdown).",
  },
  {
    key: "max_drawdown_duration",
    title: "Max drawdown duration",
    unit: "ms",
    fn: (c) => c.input.equity.length === 0 ? NaN : ddDurations(c).max,
    higherIsBetter: false,
    doc: "Longest time from a peak to recovery (or to the end if not recovered), in ms.",
  },
  {
    key: "avg_drawdown_duration",
    title: "Avg drawdown duration",
    unit: "ms",
    fn: (c) => c.input.equity.length === 0 ? NaN : ddDurations(c).mean,
    higherIsBetter: false,
    doc: "Mean time from a peak to recovery over the drawdown episodes, in ms.",
  },
  {
    key: "ulcer_index",
    title: "Ulcer index",
    unit: "fraction",
    fn: (c) => summary(c).ulcer, // ulcerIndex(returns)
    higherIsBetter: false,
    doc: "sqrt(sum(drawdown^2) / (n - 1)) with drawdowns as fractions (quantstats ulcer_index).",
  },
  {
    key: "var",
    title: "VaR (historical)",
    unit: "fraction",
    fn: (c) => {
      checkConfidence(confidenceOf(c), "valueAtRisk");
      return quantiles(c).quantile(1 - confidenceOf(c));
    },
    higherIsBetter: true,
    doc: "Per-bar historical value at risk: the (1 - confidence) quantile of returns, negative for a loss (empyrical).",
  },
  {
    key: "cvar",
    title: "CVaR (historical)",
    unit: "fraction",
    fn: (c) => {
      checkConfidence(confidenceOf(c), "conditionalValueAtRisk");
      return quantiles(c).tailMean;
    },
    higherIsBetter: true,
    doc: "Per-bar expected shortfall: mean of the lowest floor((n - 1) x (1 - confidence)) + 1 returns, i.e. " +
      "those at or below the historical VaR, negative (empyrical conditional_value_at_risk).",
  },
  {
    key: "skew",
    title: "Skew",
    unit: "number",
    fn: (c) => skewOfMoments(returnMoments(c).m, false),
    higherIsBetter: true,
    doc: "Bias-corrected sample skewness of per-bar returns (pandas skew, as quantstats).",
  },
  {
    key: "kurtosis",
    title: "Kurtosis (excess)",
    unit: "number",
    fn: (c) => kurtosisOfMoments(returnMoments(c).m, false),
    doc: "Bias-corrected excess kurtosis of per-bar returns, 0 for a normal (pandas kurt, as quantstats).",
  },
  {
    key: "tail_ratio",
    title: "Tail ratio",
    unit: "ratio",
    // tailRatio(returns) with its default cutoff 0.95.
    fn: (c) => Math.abs(quantiles(c).quantile(0.95)) / Math.abs(quantiles(c).quantile(1 - 0.95)),
    higherIsBetter: true,
    doc: "|95th percentile| / |5th percentile| of per-bar returns (empyrical/quantstats).",
  },
  {
    key: "alpha",
    title: "Alpha",
    unit: "fraction",
    fn: (c) =>
      c.input.benchmark === undefined ? NaN : alphaOf(
        benchmarkMeans(c),
        riskFreePerPeriod(c.riskFree, c.periodsPerYear, "alpha"),
        c.periodsPerYear,
      ),
    higherIsBetter: true,
    annualized: true,
    doc: "Annualized Jensen's alpha vs the benchmark, (1 + mean excess alpha) ** periodsPerYear - 1 (empyrical).",
  },
  {
    key: "beta",
    title: "Beta",
    unit: "ratio",
    fn: (c) => c.input.benchmark === undefined ? NaN : benchmarkMeans(c).beta,
    doc: "cov(r, b) / var(b) of per-bar returns vs the benchmark (empyrical).",
  },
  {
    key: "exposure",
    title: "Exposure time",
    unit: "fraction",
    fn: exposureOf,
    doc: "Fraction of bars with a position (from the position series, else the trades' holding spans).",
  },
  {
    key: "turnover",
    title: "Turnover (per year)",
    unit: "ratio",
    fn: (c) => {
      const notional = notionalOf(c);
      return notional !== notional
        ? NaN
        : turnover(c.input.equity, { tradedNotional: notional, periodsPerYear: c.periodsPerYear });
    },
    annualized: true,
    doc: "Traded notional (both legs) / mean equity, per year.",
  },
  {
    key: "fees",
    title: "Fees paid",
    unit: "currency",
    fn: feesOf,
    higherIsBetter: false,
    doc: "Total fees paid, in quote currency.",
  },
  {
    key: "trades",
    title: "Trades",
    unit: "count",
    fn: (c) => trades(c, (t) => t.filter((x) => x.exitIndex >= 0).length),
    doc: "Number of closed trades (open positions at the end are not counted).",
  },
  {
    key: "win_rate",
    title: "Win rate",
    unit: "fraction",
    fn: (c) => trades(c, winRate),
    higherIsBetter: true,
    doc: "Share of closed trades with a positive net return.",
  },
  {
    key: "best_trade",
    title: "Best trade",
    unit: "fraction",
    fn: (c) => trades(c, bestTrade),
    higherIsBetter: true,
    doc: "Highest net return of a closed trade.",
  },
  {
    key: "worst_trade",
    title: "Worst trade",
    unit: "fraction",
    fn: (c) => trades(c, worstTrade),
    higherIsBetter: true,
    doc: "Lowest net return of a closed trade.",
  },
  {
    key: "avg_trade",
    title: "Avg trade",
    unit: "fraction",
    fn: (c) => trades(c, avgTrade),
    higherIsBetter: true,
    doc: "Mean net return of the closed trades.",
  },
  {
    key: "avg_win",
    title: "Avg win",
    unit: "fraction",
    fn: (c) => trades(c, avgWin),
    higherIsBetter: true,
    doc: "Mean return of the winning closed trades (quantstats avg_win, on trades).",
  },
  {
    key: "avg_loss",
    title: "Avg loss",
    unit: "fraction",
    fn: (c) => trades(c, avgLoss),
    higherIsBetter: true,
    doc: "Mean return of the losing closed trades, negative (quantstats avg_loss, on trades).",
  },
  {
    key: "payoff_ratio",
    title: "Payoff ratio",
    unit: "ratio",
    fn: (c) => trades(c, payoffRatio),
    higherIsBetter: true,
    doc: "Avg win / |avg loss| (quantstats payoff_ratio, on trades).",
  },
  {
    key: "profit_factor",
    title: "Profit factor",
    unit: "ratio",
    fn: (c) => trades(c, profitFactor),
    higherIsBetter: true,
    doc: "Gross profit / gross loss of the closed trades' net P&L.",
  },
  {
    key: "expectancy",
    title: "Expectancy",
    unit: "currency",
    fn: (c) => trades(c, expectancy),
    higherIsBetter: true,
    doc: "Mean net P&L per closed trade, in quote currency.",
  },
  {
    key: "sqn",
    title: "SQN",
    unit: "ratio",
    fn: (c) => trades(c, sqn),
    higherIsBetter: true,
    doc: "Van Tharp's System Quality Number on net P&L: sqrt(N) x mean / std (ddof 1), N uncapped.",
  },
  {
    key: "kelly",
    title: "Kelly fraction",
    unit: "fraction",
    fn: (c) => trades(c, kelly),
    higherIsBetter: true,
    doc: "p - (1 - p) / payoff ratio over closed trades (quantstats kelly_criterion).",
  },
  {
    key: "max_consecutive_wins",
    title: "Max consecutive wins",
    unit: "count",
    fn: (c) => trades(c, maxConsecutiveWins),
    doc: "Longest run of winning closed trades.",
  },
  {
    key: "max_consecutive_losses",
    title: "Max consecutive losses",
    unit: "count",
    fn: (c) => trades(c, maxConsecutiveLosses),
    higherIsBetter: false,
    doc: "Longest run of losing closed trades.",
  },
  {
    key: "psr",
    title: "Probabilistic Sharpe",
    unit: "fraction",
    fn: (c) => psrOf(c, 0, "psr"),
    higherIsBetter: true,
    doc: "P(true Sharpe > 0) from Sharpe, skew, kurtosis and length (Bailey & Lopez de Prado 2012).",
  },
  {
    key: "dsr",
    title: "Deflated Sharpe",
    unit: "fraction",
    fn: dsrOf,
    higherIsBetter: true,
    doc:
      "PSR against the expected max Sharpe of the sweep's trials (Bailey & Lopez de Prado 2014); NaN without trials.",
  },
];

/** The registry by key. */
export const STATS_BY_KEY: ReadonlyMap<string, StatDef> = new Map(STATS.map((s) => [s.key, s]));
