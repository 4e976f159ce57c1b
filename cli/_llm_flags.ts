// The LLM flags of every command that can run an agent strategy (`deno task backtest`, `paper`, `live`, `agents`):
// their declarations for `parseFlags`, and the agent runtime they build.

import type { AgentRuntime, LlmCacheMode, MaskingOptions } from "../lib/agents/mod.ts";
import type { StrategyRegistry } from "../lib/strategies/mod.ts";
import { importOnUse, parseNumberFlag, UsageError } from "./_cli.ts";
import type { FlagValues } from "./_backtest_flags.ts";

/** `parseFlags` declarations of the LLM flags. */
export const LLM_FLAGS = {
  "llm-cache": { type: "string" },
  "llm-budget": { type: "string" },
  "llm-store": { type: "string" },
  "llm-model": { type: "string" },
  "llm-unmasked": { type: "boolean" },
  "llm-batch": { type: "boolean" },
  "llm-prices": { type: "string" },
} as const;

/** The help lines of {@link LLM_FLAGS}. */
export const LLM_HELP = `LLM agents (strategies llm_persona and llm_debate; deno task agents list)
  --llm-cache MODE        replay (default: answers from the LLM store only; a miss is an error, never a spend),
                          record (call the API on a miss and store the answer) or live (always call, store)
  --llm-budget USD        hard cap on API spend: the run stops cleanly at the decision that would pass it
  --llm-store FILE        the content-addressed LLM store (default <data dir>/agents/llm_store.sqlite)
  --llm-model ID          model of the personas that do not name one (default claude-sonnet-4-5)
  --llm-unmasked          show real dates, the real symbol and unrebased prices (for the masked-vs-unmasked
                          comparison only: the model may remember the market)
  --llm-prices FILE       model prices (USD per million tokens: input, output, cacheWrite, cacheRead) over the
                          built-in table (default <data dir>/agents/prices.json when it exists)
  --llm-batch             backtests: send the first round of every decision bar as one Message Batch (half
                          price); prompts then leave out the position, so replay with --llm-batch too
  The key is ANTHROPIC_API_KEY or the vault entry "anthropic", read at the first real call; ANTHROPIC_BASE_URL is
  honoured.`;

/** The cache mode of `--llm-cache`, or a UsageError naming the value. */
export function llmCacheOf(values: FlagValues): LlmCacheMode {
  const v = (values["llm-cache"] as string | undefined) ?? "replay";
  if (v !== "replay" && v !== "record" && v !== "live") {
    throw new UsageError(`--llm-cache ${JSON.stringify(v)} is not valid: use replay, record or live`);
  }
  return v;
}

/** `--llm-budget` in USD, or undefined. */
export function llmBudgetOf(values: FlagValues): number | undefined {
  const b = values["llm-budget"] as string | undefined;
  return b === undefined
    ? undefined
    : parseNumberFlag("llm-budget", b, (x) => x >= 0, "an amount of USD, 0 or more (e.g. 5)");
}

/** What a command sets beside the flags (the flags' values are overridden by these). */
export interface AgentRuntimeFromFlagsOptions {
  dataDir?: string;
  runId?: string;
  /** Persona folders (`deno task agents --personas DIR`). */
  personaDirs?: string[];
  /** Overrides `--llm-unmasked` (the memory comparison builds both). */
  masking?: MaskingOptions;
  /** Overrides `--llm-budget` (the memory comparison's second run gets what the first left). */
  budgetUsd?: number;
}

/** Builds the agent runtime from the flags (replay unless `--llm-cache` says otherwise). */
export async function agentRuntimeFromFlags(
  values: FlagValues,
  options: AgentRuntimeFromFlagsOptions = {},
): Promise<AgentRuntime> {
  const budgetUsd = options.budgetUsd ?? llmBudgetOf(values);
  const model = values["llm-model"] as string | undefined;
  const store = values["llm-store"] as string | undefined;
  const masking = options.masking ??
    (values["llm-unmasked"] === true ? { relativeTimes: false, pseudonym: false, rebase: false } : undefined);
  // Loaded on use, by a computed specifier (importOnUse): the SDK and the store cost every command that merely declares
  // the LLM flags ~150 ms of start-up.
  const { createAgentRuntime } = await importOnUse<typeof import("../lib/agents/mod.ts")>(
    "../lib/agents/mod.ts",
    import.meta.url,
  );
  return await createAgentRuntime({
    cache: llmCacheOf(values),
    ...(budgetUsd === undefined ? {} : { budgetUsd }),
    ...(model === undefined ? {} : { model }),
    ...(store === undefined ? {} : { storePath: store }),
    ...(masking === undefined ? {} : { masking }),
    ...(values["llm-batch"] === true ? { batch: true } : {}),
    ...(typeof values["llm-prices"] === "string" ? { pricesPath: values["llm-prices"] } : {}),
    ...(options.personaDirs === undefined ? {} : { personaDirs: options.personaDirs }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.runId === undefined ? {} : { runId: options.runId }),
  });
}

/** Registers the runtime's `llm_persona` and `llm_debate` in `registry` (once per process). */
export function registerAgentStrategies(registry: StrategyRegistry, runtime: AgentRuntime): void {
  for (const s of runtime.strategies) if (!registry.has(s.name)) registry.register(s);
}
