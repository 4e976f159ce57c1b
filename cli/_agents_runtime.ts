// The agent runtime of `deno task agents`: the LLM flags (cli/_llm_flags.ts) plus `--personas DIR` and a masking
// chosen by the command (the memory comparison builds a masked and an unmasked runtime from one set of flags).

import { type AgentRuntime, createAgentRuntime, type MaskingOptions } from "../lib/agents/mod.ts";
import { parseNumberFlag } from "./_cli.ts";
import type { FlagValues } from "./_backtest_flags.ts";
import { llmCacheOf } from "./_llm_flags.ts";

/** Options of {@link agentsRuntime}. */
export interface AgentsRuntimeOptions {
  /** Overrides `--llm-unmasked`. */
  masking?: MaskingOptions;
  /** Overrides `--llm-budget` (the memory comparison's second run gets what the first left). */
  budgetUsd?: number;
}

/** `--personas DIR` folders, or undefined for the default (`personas/` of the working directory). */
export function personaDirsOf(values: FlagValues): string[] | undefined {
  const dirs = values.personas as string[] | undefined;
  return dirs === undefined || dirs.length === 0 ? undefined : dirs;
}

/** `--llm-budget` in USD, or undefined. */
export function budgetOf(values: FlagValues): number | undefined {
  const b = values["llm-budget"] as string | undefined;
  return b === undefined
    ? undefined
    : parseNumberFlag("llm-budget", b, (x) => x >= 0, "an amount of USD, 0 or more (e.g. 5)");
}

/** The runtime the flags describe (replay unless `--llm-cache` says otherwise). */
export async function agentsRuntime(values: FlagValues, options: AgentsRuntimeOptions = {}): Promise<AgentRuntime> {
  const model = values["llm-model"] as string | undefined;
  const store = values["llm-store"] as string | undefined;
  const dirs = personaDirsOf(values);
  const budgetUsd = options.budgetUsd ?? budgetOf(values);
  const masking = options.masking ??
    (values["llm-unmasked"] === true ? { relativeTimes: false, pseudonym: false, rebase: false } : undefined);
  return await createAgentRuntime({
    cache: llmCacheOf(values),
    runId: "agents-cli",
    ...(budgetUsd === undefined ? {} : { budgetUsd }),
    ...(model === undefined ? {} : { model }),
    ...(store === undefined ? {} : { storePath: store }),
    ...(masking === undefined ? {} : { masking }),
    ...(dirs === undefined ? {} : { personaDirs: dirs }),
  });
}
