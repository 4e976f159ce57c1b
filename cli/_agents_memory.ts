// `deno task agents memory`: the masked-vs-unmasked comparison over one series, and its files.

import { type MaskingComparison, maskingComparison } from "../lib/agents/mod.ts";
import type { BacktestOptionsInput } from "../lib/backtest/mod.ts";
import { UsageError } from "./_cli.ts";
import type { FlagValues } from "./_backtest_flags.ts";
import type { LoadedData } from "./_backtest_data.ts";
import { agentsRuntime } from "./_agents_runtime.ts";
import { llmBudgetOf } from "./_llm_flags.ts";
import { writeReportFiles } from "./_write_report_files.ts";

/** Options of {@link runMemoryComparison}. */
export interface MemoryComparisonOptions {
  values: FlagValues;
  data: LoadedData;
  strategy: string;
  params: Record<string, unknown>;
  options: BacktestOptionsInput;
  signal?: AbortSignal;
}

/**
 * Runs the strategy masked, then unmasked. `--llm-budget` caps both runs together: the unmasked run gets what the
 * masked one left.
 */
export async function runMemoryComparison(o: MemoryComparisonOptions): Promise<MaskingComparison> {
  if (o.strategy !== "llm_persona" && o.strategy !== "llm_debate") {
    throw new UsageError(`--strategy ${JSON.stringify(o.strategy)} is not valid: use llm_persona or llm_debate`);
  }
  if (o.values["llm-unmasked"] === true) {
    throw new UsageError("memory runs both a masked and an unmasked backtest: drop --llm-unmasked");
  }
  const budget = llmBudgetOf(o.values);
  const masked = await agentsRuntime(o.values);
  let unmasked: Awaited<ReturnType<typeof agentsRuntime>> | undefined;
  try {
    return await maskingComparison({
      runtimeMasked: masked,
      runtimeUnmasked: async () =>
        unmasked = await agentsRuntime(o.values, {
          masking: { relativeTimes: false, pseudonym: false, rebase: false },
          ...(budget === undefined ? {} : { budgetUsd: Math.max(0, budget - masked.gateway.totals().spentUsd) }),
        }),
      frame: o.data.frame,
      strategy: o.strategy,
      params: o.params,
      symbol: o.data.series.symbol,
      timeframe: o.data.series.timeframe,
      options: o.options,
      series: o.data.series,
      calendar: o.data.calendar,
      ...(o.signal === undefined ? {} : { signal: o.signal }),
    });
  } finally {
    masked.close();
    unmasked?.close();
  }
}

/** Writes comparison.md, comparison.json and equity.svg into `dir`; returns the paths. */
export function writeComparison(c: MaskingComparison, dir: string): Promise<string[]> {
  return writeReportFiles(c, dir, { markdown: "comparison.md", json: "comparison.json", svg: "equity.svg" });
}
