import { z } from "zod";
import { STATS, STATS_BY_KEY } from "../../metrics/stats.ts";
import { defineTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";

// The conventions every metric shares (lib/metrics/mod.ts), said once so each answer is self-contained.
const CONVENTIONS = [
  "Returns are simple per-bar returns of the equity curve; a NaN return is a missing observation (skipped by " +
  "moments, flat when compounding), as empyrical's nanmean/cum_returns.",
  "Standard deviations use ddof = 1 (sample), like empyrical and quantstats.",
  "Risk-free rates are yearly fractions de-annualized by compounding: (1 + rf) ** (1 / periodsPerYear) - 1 " +
  "(quantstats).",
  "Drawdowns, VaR, CVaR and average losses are negative numbers, as in empyrical.",
  "Trade statistics use closed trades only; by default a position open at the end is closed at the last " +
  "bar's close (backtesting.py closes it at the last bar's open).",
];

const ANNUALIZED = "Annualized: volatility and Sharpe-like ratios scale by sqrt(periodsPerYear), returns by " +
  "compounding over n / periodsPerYear years. periodsPerYear comes from the timeframe and calendar: 1d is 365 " +
  "on 24/7 crypto, 252 on weekdays markets, 260 on fx (lib/metrics periodsPerYear); a run shorter than a year " +
  "extrapolates.";
const NOT_ANNUALIZED = "Not annualized: the value is over the run as it is, independent of periodsPerYear.";

/** Library names a stat's doc cites for its convention. */
const LIBRARIES = ["empyrical", "quantstats", "pyfolio", "backtesting.py", "vectorbt", "TA-Lib", "Bailey", "Lopez"];

/**
 * `explain_metric`: a metric of the stats registry (`lib/metrics/stats.ts`): what it is, its formula and which
 * library's definition it follows, whether and how it is annualized, its unit and which direction is better.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { explainMetric } from "./explain_metric.ts";
 * const ctx = { dataDir: ".", signal: new AbortController().signal, progress: async () => {} };
 * const res = await explainMetric.run({ metric: "sharpe" }, ctx);
 * assert.equal(res.structured.annualized, true);
 * ```
 */
export const explainMetric = defineTool({
  name: "explain_metric",
  title: "Explain a metric",
  description: "Explains one performance metric of the lab's stats (the keys in backtest results, e.g. sharpe, " +
    "sortino, max_drawdown, cagr, psr, dsr, profit_factor): definition and formula, which library's convention " +
    "it follows (empyrical, quantstats, ...), whether and how it is annualized, its unit and whether higher is " +
    "better, plus the conventions every metric shares. Unknown names list the known keys. Known keys: " +
    STATS.map((s) => s.key).join(", ") + ".",
  input: toolInput({
    metric: z.string().min(1).describe("the stat key, e.g. sharpe (case and spaces are forgiven: 'Max drawdown')"),
  }),
  output: z.strictObject({
    key: z.string(),
    title: z.string(),
    unit: z.string().describe("fraction (0.1 = 10%), ratio, number, currency, count, bars or ms"),
    higherIsBetter: z.boolean().nullable().describe("null when neither direction is better"),
    annualized: z.boolean(),
    definition: z.string().describe("what it is, the formula and the library convention it follows"),
    conventionFrom: z.array(z.string()).describe("libraries the definition follows"),
    annualization: z.string(),
    conventions: z.array(z.string()),
    provenance: ProvenanceSchema,
  }),
  run(args) {
    const wanted = args.metric.trim().toLowerCase().replace(/[\s-]+/g, "_");
    const def = STATS_BY_KEY.get(wanted) ?? STATS.find((s) => s.title.toLowerCase().replace(/[\s-]+/g, "_") === wanted);
    if (!def) {
      const near = STATS.filter((s) => s.key.includes(wanted) || wanted.includes(s.key)).map((s) => s.key);
      throw new RangeError(
        `metric: unknown ${JSON.stringify(args.metric)}; ${near.length ? `did you mean ${near.join(", ")}? ` : ""}` +
          `known: ${STATS.map((s) => s.key).join(", ")}`,
      );
    }
    const annualized = def.annualized === true;
    const conventionFrom = LIBRARIES.filter((l) => def.doc.toLowerCase().includes(l.toLowerCase()));
    const annualization = annualized ? ANNUALIZED : NOT_ANNUALIZED;
    return Promise.resolve({
      structured: {
        key: def.key,
        title: def.title,
        unit: def.unit,
        higherIsBetter: def.higherIsBetter ?? null,
        annualized,
        definition: def.doc,
        conventionFrom,
        annualization,
        conventions: CONVENTIONS,
        provenance: {
          annualization: annualized ? "periodsPerYear from the timeframe and calendar (lib/metrics)" : "none",
          note: "the lab's stats registry, lib/metrics/stats.ts",
        },
      },
      text: `${def.title} (${def.key}, ${def.unit}${
        def.higherIsBetter === undefined ? "" : def.higherIsBetter ? ", higher is better" : ", lower is better"
      }): ${def.doc} ${annualization}`,
    });
  },
});
