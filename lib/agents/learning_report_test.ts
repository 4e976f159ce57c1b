import assert from "node:assert/strict";
import { sharpe } from "../metrics/sharpe.ts";
import { psr } from "../metrics/psr.ts";
import { dsr } from "../metrics/dsr.ts";
import { JUPYTER_DISPLAY } from "../types/mod.ts";
import { attachOutcomes } from "./attach_outcomes.ts";
import type { DecisionRow } from "./decision_row.ts";
import { learningReport } from "./learning_report.ts";
import { learnWeights } from "./learn_weights.ts";
import { HOUR, rng, row } from "./_learning_testing.ts";

/** 300 hourly bars; an oracle (right 70% of the time), a coin, a contrarian and a sometimes-abstaining persona. */
function fixture(seed: number): { rows: DecisionRow[]; ts: Float64Array; close: Float64Array } {
  const next = rng(seed);
  const n = 300;
  const ts = Float64Array.from({ length: n }, (_, i) => i * HOUR);
  const close = new Float64Array(n);
  close[0] = 100;
  for (let i = 1; i < n; i++) close[i] = close[i - 1]! * (1 + (next() - 0.5) * 0.02);
  const rows: DecisionRow[] = [];
  for (let t = 0; t < n; t++) {
    const up = t + 1 < n ? close[t + 1]! > close[t]! : next() < 0.5;
    const truth = up ? 1 : -1;
    const oracle = next() < 0.7 ? truth : -truth;
    rows.push(row("oracle", t, oracle as 1 | -1, 0.3 + 0.5 * next()));
    rows.push(row("coin", t, next() < 0.5 ? 1 : -1, next()));
    rows.push(row("contrarian", t, -oracle as 1 | -1, 0.9));
    if (next() < 0.3) rows.push(row("shy", t, 0, 0, { action: "abstain" }));
    else rows.push(row("shy", t, next() < 0.2 ? 0 : truth as 1 | -1, 0.5));
  }
  return { rows, ts, close };
}

Deno.test("learningReport: the walk-forward vote equals learnWeights at each decision, recomputed naively", () => {
  const { rows, ts, close } = fixture(3);
  const options = { horizonBars: 1, shrinkage: 0.3, minObservations: 5, lookback: 100 * HOUR };
  const report = learningReport(rows, { ts, close }, options);
  const out = attachOutcomes(rows, { ts, close }, 1);
  const personas = ["coin", "contrarian", "oracle", "shy"];
  const times = [...new Set(out.filter((r) => Number.isFinite(r.forwardReturn)).map((r) => r.decisionTime))].sort((
    a,
    b,
  ) => a - b);
  for (const variant of report.walkForward.variants) {
    const expected = new Float64Array(times.length);
    times.forEach((at, k) => {
      const { weights } = learnWeights(out, { ...options, at, shrinkage: variant.shrinkage, personas });
      let net = 0, fr = NaN;
      for (const r of out) {
        if (r.decisionTime !== at) continue;
        fr = r.forwardReturn;
        if (r.action !== "abstain") net += weights[r.persona]! * r.confidence * r.direction;
      }
      expected[k] = Math.sign(net) * fr;
    });
    const total = expected.reduce((x, y) => x + y, 0);
    assert.equal(variant.periods, times.length);
    assert.ok(Math.abs(variant.totalReturn - total) < 1e-12, `${variant.name}: ${variant.totalReturn} vs ${total}`);
    const ppy = report.walkForward.periodsPerYear;
    assert.equal(variant.sharpe, sharpe(expected, { periodsPerYear: ppy }));
    assert.equal(variant.psr, psr(expected));
  }
  // One decision an hour: 8,766 a year.
  assert.ok(Math.abs(report.walkForward.periodsPerYear - 8_766) < 1e-6);
  const [learned, equal] = report.walkForward.variants;
  assert.equal(learned!.name, "learned");
  assert.equal(equal!.shrinkage, 1);
  // The oracle's record is learned: the learned vote beats the equal one, which the contrarian cancels.
  assert.ok(learned!.sharpe > equal!.sharpe, `learned ${learned!.sharpe} vs equal ${equal!.sharpe}`);
  const w = report.currentWeights.weights;
  assert.ok(w.shy! > w.oracle! && w.oracle! > w.coin! && w.coin! >= w.contrarian!, JSON.stringify(w));
  // DSR: both variants are trials, with the variance of their per-period Sharpe ratios.
  const sr = report.walkForward.variants.map((v) => v.sharpe / Math.sqrt(report.walkForward.periodsPerYear));
  const m = (sr[0]! + sr[1]!) / 2;
  const sharpeVariance = (sr[0]! - m) ** 2 + (sr[1]! - m) ** 2;
  assert.ok(learned!.dsr <= learned!.psr);
  assert.ok(Math.abs(learned!.dsr - dsrOf(rows, ts, close, options, sharpeVariance)) < 1e-9);
});

function dsrOf(
  rows: DecisionRow[],
  ts: Float64Array,
  close: Float64Array,
  options: { horizonBars: number; shrinkage: number; minObservations: number; lookback: number },
  sharpeVariance: number,
): number {
  // The learned variant alone, then its DSR with the two-variant variance and 2 trials.
  const only = learningReport(rows, { ts, close }, { ...options, variants: [{ name: "learned" }] });
  const alone = only.walkForward.variants[0]!;
  assert.equal(alone.dsr, alone.psr, "one trial: no deflation");
  const out = attachOutcomes(rows, { ts, close }, 1);
  const times = [...new Set(out.filter((r) => Number.isFinite(r.forwardReturn)).map((r) => r.decisionTime))].sort((
    a,
    b,
  ) => a - b);
  const returns = Float64Array.from(times, (at) => {
    const { weights } = learnWeights(out, { ...options, at, personas: alone.personas });
    let net = 0, fr = NaN;
    for (const r of out) {
      if (r.decisionTime !== at) continue;
      fr = r.forwardReturn;
      if (r.action !== "abstain") net += weights[r.persona]! * r.confidence * r.direction;
    }
    return Math.sign(net) * fr;
  });
  return dsr(returns, { trials: 2, sharpeVariance });
}

Deno.test("learningReport: persona variants, JSON, Markdown, figure and Jupyter display", () => {
  const { rows, ts, close } = fixture(5);
  const report = learningReport(rows, { ts, close }, {
    horizonBars: 3,
    variants: [{ name: "all", shrinkage: 0 }, { name: "no_contrarian", personas: ["oracle", "coin", "shy"] }, {
      name: "equal",
      shrinkage: 1,
    }],
    note: "Inside the model's training data: part of the result may be memory.",
  });
  assert.equal(report.walkForward.trials, 3);
  assert.deepEqual(report.walkForward.variants[1]!.personas, ["oracle", "coin", "shy"]);
  assert.equal(report.walkForward.variants[1]!.shrinkage, 0.5);
  assert.equal(report.rows.total, rows.length);
  // The last 3 bars' windows are open.
  assert.equal(
    report.rows.withOutcome + report.rows.abstained + report.personas.reduce((s, p) => s + p.pending, 0),
    rows.length,
  );
  const json = JSON.parse(JSON.stringify(report));
  assert.deepEqual(Object.keys(json).sort(), [
    "currentWeights",
    "horizonBars",
    "note",
    "personas",
    "rows",
    "walkForward",
  ]);
  const md = report.toMarkdown();
  assert.match(md, /^## Learning report \(horizon 3 bars\)/);
  assert.match(md, /> Inside the model's training data/);
  assert.match(md, /\| variant \| shrinkage \| personas \|/);
  assert.match(md, /\| no_contrarian \| 0\.50 \| oracle, coin, shy \|/);
  const fig = report.figure();
  assert.match(fig.svg, /Reliability of the personas/);
  assert.match(fig.svg, /Inside the model/);
  assert.equal(report[JUPYTER_DISPLAY]()["text/markdown"], md);
  assert.throws(() => learningReport(rows, { ts, close }, { horizonBars: 1, variants: [] }), /variants is empty/);
});

Deno.test("learningReport: 20,000 decisions (5,000 bars x 4 personas) in well under a second", () => {
  const n = 5_000;
  const next = rng(9);
  const ts = Float64Array.from({ length: n }, (_, i) => i * HOUR);
  const close = Float64Array.from({ length: n }, () => 100 + next());
  const rows: DecisionRow[] = [];
  for (let t = 0; t < n; t++) {
    for (const p of ["a", "b", "c", "d"]) rows.push(row(p, t, next() < 0.5 ? 1 : -1, next()));
  }
  const t0 = performance.now();
  const report = learningReport(rows, { ts, close }, { horizonBars: 1 });
  const ms = performance.now() - t0;
  assert.equal(report.walkForward.variants[0]!.periods, n - 1);
  assert.ok(ms < 2_000, `${ms.toFixed(0)} ms`);
  console.log(`learningReport, 20,000 rows: ${ms.toFixed(1)} ms`);
});
