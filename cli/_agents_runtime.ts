// The agent runtime of `deno task agents`: the LLM flags' runtime (cli/_llm_flags.ts) with the command's
// `--personas DIR` folders; the memory comparison passes its masking and budget over the flags'.

import type { AgentRuntime } from "../lib/agents/mod.ts";
import type { FlagValues } from "./_backtest_flags.ts";
import { agentRuntimeFromFlags, type AgentRuntimeFromFlagsOptions } from "./_llm_flags.ts";

/** `--personas DIR` folders, or undefined for the default (`personas/` of the working directory). */
export function personaDirsOf(values: FlagValues): string[] | undefined {
  const dirs = values.personas as string[] | undefined;
  return dirs === undefined || dirs.length === 0 ? undefined : dirs;
}

/** The runtime the flags describe (replay unless `--llm-cache` says otherwise), with `--personas`. */
export async function agentsRuntime(
  values: FlagValues,
  options: Pick<AgentRuntimeFromFlagsOptions, "masking" | "budgetUsd"> = {},
): Promise<AgentRuntime> {
  const dirs = personaDirsOf(values);
  return await agentRuntimeFromFlags(values, {
    runId: "agents-cli",
    ...options,
    ...(dirs === undefined ? {} : { personaDirs: dirs }),
  });
}
