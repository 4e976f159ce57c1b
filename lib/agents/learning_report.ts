import { dsr } from "../metrics/dsr.ts";
import { psr } from "../metrics/psr.ts";
import { sharpe } from "../metrics/sharpe.ts";
import { reliabilityFigure } from "../plots/reliability_figure.ts";
import type { Figure } from "../plots/figure.ts";
import { JUPYTER_DISPLAY, type MimeBundle } from "../types/mod.ts";
import { attachOutcomes, type BarCloses } from "./attach_outcomes.ts";
import type { DecisionOutcomeRow, DecisionRow } from "./decision_row.ts";
import { type LearnedWeights, learnWeights } from "./learn_weights.ts";
import { type PersonaScore, personaScores } from "./persona_scores.ts";
import { weightRule, weightsFromCounts } from "./_learning_weights.ts";
import { learningMarkdown } from "./_learning_markdown.ts";

/** One vote variant of the walk-forward: its weights' shrinkage and the personas that vote. */
export interface LearningVariant {
  name: string;
  /** 1 = equal weights, 0 = learned only. Default: the report's `shrinkage`. */
  shrinkage?: number;
  /** The personas that vote. Default: every persona in the rows. */
  personas?: readonly string[];
}

/** Options of {@link learningReport}. */
export interface LearningReportOptions {
  /** Bars from a decision to its outcome (see `attachOutcomes`). */
  horizonBars: number;
  /** Shrinkage of the learned variant (see `learnWeights`). Default 0.5. */
  shrinkage?: number;
  /** See `learnWeights`. Default 10. */
  minObservations?: number;
  /** See `learnWeights`. Default: all history. */
  lookback?: number;
  /**
   * The variants tried, each one walk-forward vote (all count as trials for the DSR). Default: `learned`
   * (shrinkage as given) and `equal` (shrinkage 1).
   */
  variants?: readonly LearningVariant[];
  /** Decision periods per year, to annualise the Sharpe ratios. Default: from the span of the decision times. */
  periodsPerYear?: number;
  /** Reliability bins. Default 10. */
  bins?: number;
  /** A line shown under the title and on the figure (a model-knowledge warning from the cutoff registry). */
  note?: string;
}

/** One variant's walk-forward result. */
export interface LearningVariantResult {
  name: string;
  shrinkage: number;
  personas: string[];
  /** Decisions (symbol and bar) with a closed outcome window: the length of the return series. */
  periods: number;
  /** Mean return per decision. */
  meanReturn: number;
  /** Sum of the per-decision returns. */
  totalReturn: number;
  /** Annualised Sharpe ratio of the per-decision returns. */
  sharpe: number;
  psr: number;
  /** Deflated Sharpe ratio with every variant as a trial. */
  dsr: number;
  /** Share of decisions with a position. */
  exposure: number;
}

/** The learning report's data (JSON-able; the methods are not serialised). */
export interface LearningReport {
  horizonBars: number;
  note?: string;
  /** Rows in, with an outcome, abstentions. */
  rows: { total: number; withOutcome: number; abstained: number };
  personas: PersonaScore[];
  walkForward: { periodsPerYear: number; trials: number; variants: LearningVariantResult[] };
  /** The weights the learned rule gives after every known outcome. */
  currentWeights: LearnedWeights;
  /** The report as Markdown tables. */
  toMarkdown(): string;
  /** The reliability diagram, one curve per persona. */
  figure(): Figure;
  [JUPYTER_DISPLAY](): MimeBundle;
}

const YEAR_MS = 365.25 * 86_400_000;

/**
 * The learning report of a decision history: each persona's and factor's scores (`personaScores`), and a
 * walk-forward comparison of vote weights. At each decision (run, symbol, bar, in time order) a variant weighs
 * its personas with `learnWeights(at = decisionTime)` (only outcomes closed strictly before), takes
 * `net = Σ w_i × confidence_i × direction_i` over the personas that did not abstain, and holds `sign(net)` (0 when
 * no one voted or net is 0) over the outcome window: its return is `sign(net) × forwardReturn`. Decisions whose
 * window is still open are left out. Each variant's per-decision returns give its Sharpe (annualised with
 * `periodsPerYear`), PSR against 0, and DSR with the variants as trials and the variance of their per-period
 * Sharpe ratios. Returns overlap when decisions are closer than `horizonBars`; the Sharpe is then optimistic
 * about its own precision, the same for every variant.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningReport } from "./learning_report.ts";
 * const H = 3_600_000;
 * const close = Float64Array.from({ length: 40 }, (_, i) => 100 + 10 * Math.sin(i / 3));
 * const ts = Float64Array.from({ length: 40 }, (_, i) => i * H);
 * const rows = [];
 * for (let t = 0; t < 40; t++) {
 *   for (const [persona, d] of [["up", 1], ["down", -1]] as const) {
 *     rows.push({
 *       persona, symbol: "X", decisionTime: (t + 1) * H, barTs: t * H, action: d > 0 ? "buy" as const : "sell" as const,
 *       confidence: 0.6, direction: d, factors: [], source: "backtest" as const, runId: "r",
 *     });
 *   }
 * }
 * const report = learningReport(rows, { ts, close }, { horizonBars: 1, minObservations: 5 });
 * assert.deepEqual(report.walkForward.variants.map((v) => v.name), ["learned", "equal"]);
 * assert.match(report.toMarkdown(), /\| up \|/);
 * assert.match(report.figure().svg, /^<svg/);
 * ```
 */
export function learningReport(
  rows: readonly DecisionRow[],
  closes: BarCloses | Readonly<Record<string, BarCloses>>,
  options: LearningReportOptions,
): LearningReport {
  const rule = weightRule("learningReport", options);
  const out = attachOutcomes(rows, closes, options.horizonBars);
  const scores = personaScores(out, options.bins === undefined ? {} : { bins: options.bins });
  const allPersonas = scores.map((s) => s.persona);
  const variants: LearningVariant[] = options.variants !== undefined ? [...options.variants] : [
    { name: "learned", shrinkage: rule.shrinkage },
    { name: "equal", shrinkage: 1 },
  ];
  if (variants.length === 0) throw new RangeError("learningReport: variants is empty; give at least one variant");
  const groups = groupDecisions(out);
  const periodsPerYear = options.periodsPerYear ?? estimatePeriodsPerYear(groups);
  if (!(periodsPerYear > 0)) {
    throw new RangeError(`learningReport: periodsPerYear must be positive, got ${options.periodsPerYear}`);
  }
  const series = variants.map((v) => walkForward(out, groups, v, allPersonas, rule));
  const perPeriodSharpes = series.map((s) => sharpe(s.returns, { periodsPerYear: 1 })).filter(Number.isFinite);
  const sharpeVariance = variance(perPeriodSharpes);
  const results: LearningVariantResult[] = series.map((s) => {
    const r = s.returns;
    let sum = 0, exposed = 0;
    for (let i = 0; i < r.length; i++) sum += r[i]!;
    for (let i = 0; i < s.positions.length; i++) exposed += s.positions[i] !== 0 ? 1 : 0;
    return {
      name: s.variant.name,
      shrinkage: s.shrinkage,
      personas: s.personas,
      periods: r.length,
      meanReturn: r.length > 0 ? sum / r.length : NaN,
      totalReturn: sum,
      sharpe: sharpe(r, { periodsPerYear }),
      psr: psr(r),
      dsr: dsr(r, { trials: variants.length, sharpeVariance }),
      exposure: r.length > 0 ? exposed / r.length : NaN,
    };
  });
  let lastKnown = -Infinity;
  for (const row of out) {
    if (row.decisionTime > lastKnown) lastKnown = row.decisionTime;
    if (row.outcomeTime > lastKnown) lastKnown = row.outcomeTime;
  }
  const currentWeights = learnWeights(out, {
    at: Number.isFinite(lastKnown) ? lastKnown + 1 : 0,
    shrinkage: rule.shrinkage,
    minObservations: rule.minObservations,
    ...(Number.isFinite(rule.lookback) ? { lookback: rule.lookback } : {}),
    personas: allPersonas,
  });
  let withOutcome = 0, abstained = 0;
  for (const row of out) {
    if (row.action === "abstain") abstained++;
    else if (Number.isFinite(row.forwardReturn)) withOutcome++;
  }
  const report: LearningReport = {
    horizonBars: options.horizonBars,
    ...(options.note !== undefined ? { note: options.note } : {}),
    rows: { total: out.length, withOutcome, abstained },
    personas: scores,
    walkForward: { periodsPerYear, trials: variants.length, variants: results },
    currentWeights,
    toMarkdown: () => learningMarkdown(report),
    figure: () =>
      reliabilityFigure({
        title: "Reliability of the personas",
        ...(options.note !== undefined ? { subtitle: options.note } : {}),
        series: scores.map((s) => ({ label: s.persona, bins: s.reliability })),
      }),
    [JUPYTER_DISPLAY]: () => ({ "text/markdown": learningMarkdown(report), "text/plain": learningMarkdown(report) }),
  };
  return report;
}

/** One decision of the walk-forward: a run, symbol and bar, with its voters' row indices. */
interface DecisionGroup {
  decisionTime: number;
  forwardReturn: number;
  rows: number[];
}

function groupDecisions(out: readonly DecisionOutcomeRow[]): DecisionGroup[] {
  const byKey = new Map<string, DecisionGroup>();
  out.forEach((row, i) => {
    const key = `${row.runId}\u0000${row.symbol}\u0000${row.decisionTime}`;
    let g = byKey.get(key);
    if (g === undefined) {
      byKey.set(key, g = { decisionTime: row.decisionTime, forwardReturn: row.forwardReturn, rows: [] });
    }
    if (row.action !== "abstain") g.rows.push(i);
  });
  // Map order is first-seen; a stable sort on time keeps same-time decisions in row order.
  return [...byKey.values()].filter((g) => Number.isFinite(g.forwardReturn)).sort((a, b) =>
    a.decisionTime - b.decisionTime
  );
}

function estimatePeriodsPerYear(groups: readonly DecisionGroup[]): number {
  if (groups.length < 2) return 1;
  const span = groups[groups.length - 1]!.decisionTime - groups[0]!.decisionTime;
  return span > 0 ? (groups.length - 1) / span * YEAR_MS : 1;
}

interface VariantSeries {
  variant: LearningVariant;
  shrinkage: number;
  personas: string[];
  returns: Float64Array;
  positions: Int8Array;
}

/** The walk-forward vote of one variant, with the weights updated incrementally (same numbers as learnWeights). */
function walkForward(
  out: readonly DecisionOutcomeRow[],
  groups: readonly DecisionGroup[],
  variant: LearningVariant,
  allPersonas: readonly string[],
  base: ReturnType<typeof weightRule>,
): VariantSeries {
  const rule = weightRule(`learningReport: variant ${variant.name}`, {
    shrinkage: variant.shrinkage ?? base.shrinkage,
    minObservations: base.minObservations,
    lookback: base.lookback,
  });
  const personas = [...(variant.personas ?? allPersonas)];
  const index = new Map(personas.map((p, i) => [p, i]));
  const N = personas.length;
  // The outcomes the learner may read, by the time they became known.
  const known: number[] = [];
  out.forEach((row, i) => {
    if (index.has(row.persona) && row.direction !== 0 && Number.isFinite(row.outcomeTime)) known.push(i);
  });
  known.sort((a, b) => out[a]!.outcomeTime - out[b]!.outcomeTime);
  const n = new Float64Array(N), hits = new Float64Array(N);
  const edge = new Float64Array(N), learned = new Float64Array(N), weights = new Float64Array(N);
  const returns = new Float64Array(groups.length), positions = new Int8Array(groups.length);
  let added = 0, removed = 0;
  const count = (k: number, sign: 1 | -1): void => {
    const row = out[known[k]!]!;
    const p = index.get(row.persona)!;
    n[p]! += sign;
    if (row.direction * row.forwardReturn > 0) hits[p]! += sign;
  };
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    const at = group.decisionTime;
    while (added < known.length && out[known[added]!]!.outcomeTime < at) count(added++, 1);
    while (removed < added && out[known[removed]!]!.outcomeTime < at - rule.lookback) count(removed++, -1);
    weightsFromCounts(n, hits, rule, edge, learned, weights);
    let net = 0;
    for (const i of group.rows) {
      const row = out[i]!;
      const p = index.get(row.persona);
      if (p !== undefined) net += weights[p]! * row.confidence * row.direction;
    }
    const position = net > 0 ? 1 : net < 0 ? -1 : 0;
    positions[g] = position;
    returns[g] = position * group.forwardReturn;
  }
  return { variant, shrinkage: rule.shrinkage, personas, returns, positions };
}

function variance(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  return ss / (xs.length - 1);
}
