// Markdown tables of a learning report.
import type { JUPYTER_DISPLAY } from "../types/mod.ts";
import type { LearningReport } from "./learning_report.ts";

type ReportData = Omit<LearningReport, "toMarkdown" | "figure" | typeof JUPYTER_DISPLAY>;

/** The report as Markdown: personas, factors, the walk-forward variants and the current weights. */
export function learningMarkdown(report: ReportData): string {
  const lines: string[] = [`## Learning report (horizon ${report.horizonBars} bars)`, ""];
  if (report.note !== undefined) lines.push(`> ${report.note}`, "");
  lines.push(
    `${report.rows.total} decisions, ${report.rows.withOutcome} with a closed outcome window, ` +
      `${report.rows.abstained} abstentions.`,
    "",
    "### Personas",
    "",
    table(
      [
        "persona",
        "decisions",
        "hit rate",
        "IC (Spearman)",
        "IC (Pearson)",
        "Brier",
        "P&L contribution",
        "abstained",
        "pending",
      ],
      report.personas.map((p) => [
        p.persona,
        String(p.count),
        pct(p.hitRate),
        fixed(p.spearmanIc, 3),
        fixed(p.pearsonIc, 3),
        fixed(p.brier, 4),
        pct(p.pnl),
        String(p.abstained),
        String(p.pending),
      ]),
    ),
    "",
    "### Factors",
    "",
    table(
      ["persona", "factor", "decisions", "hit rate", "IC (Spearman)", "Brier", "P&L contribution"],
      report.personas.flatMap((p) =>
        p.factors.map((f) => [
          p.persona,
          f.factor,
          String(f.count),
          pct(f.hitRate),
          fixed(f.spearmanIc, 3),
          fixed(f.brier, 4),
          pct(f.pnl),
        ])
      ),
    ),
    "",
    `### Walk-forward vote (${report.walkForward.trials} variants tried, ` +
      `${fixed(report.walkForward.periodsPerYear, 1)} decisions a year)`,
    "",
    table(
      ["variant", "shrinkage", "personas", "decisions", "mean return", "Sharpe", "PSR", "DSR", "exposure"],
      report.walkForward.variants.map((v) => [
        v.name,
        fixed(v.shrinkage, 2),
        v.personas.join(", "),
        String(v.periods),
        pct(v.meanReturn, 3),
        fixed(v.sharpe, 2),
        fixed(v.psr, 3),
        fixed(v.dsr, 3),
        pct(v.exposure),
      ]),
    ),
    "",
    `### Current weights (shrinkage ${fixed(report.currentWeights.shrinkage, 2)}, ` +
      `at least ${report.currentWeights.minObservations} outcomes)`,
    "",
    table(
      ["persona", "outcomes", "hit rate", "edge", "learned", "weight"],
      report.currentWeights.personas.map((p) => [
        p.persona,
        String(p.observations),
        pct(p.hitRate),
        fixed(p.edge, 3),
        fixed(p.learned, 3),
        fixed(p.weight, 3),
      ]),
    ),
    "",
  );
  return lines.join("\n");
}

function table(head: string[], rows: string[][]): string {
  const out = [`| ${head.join(" | ")} |`, `|${head.map(() => " --- ").join("|")}|`];
  for (const r of rows) out.push(`| ${r.join(" | ")} |`);
  return out.join("\n");
}

function fixed(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : "n/a";
}

function pct(v: number, digits = 1): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : "n/a";
}
