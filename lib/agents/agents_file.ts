import { z } from "zod";
import type { MemoryOverlap } from "./model_cutoffs.ts";

const num = z.number();
const usage = z.object({
  inputTokens: num,
  outputTokens: num,
  cacheReadTokens: num,
  cacheWriteTokens: num,
});

/**
 * `agents.json` as the backtest writes it: the runtime's `AgentRunSummary` plus `{ memory, strategy, params }`. Only
 * the fields the readers (the lab's agents pages, the MCP `get_agent_run` tool) use are checked; unknown ones pass, so
 * a newer writer's file still opens.
 */
export const AgentsFileSchema = z.looseObject({
  cache: z.string(),
  model: z.string(),
  masking: z.record(z.string(), z.unknown()).optional(),
  budgetUsd: num.nullable().optional(),
  desk: z.looseObject({
    decisions: num,
    debates: num,
    asked: num,
    abstentions: z.record(z.string(), num),
    repaired: num,
    calls: num,
    storeHits: num,
    usage,
    costUsd: num,
    byPersona: z.record(z.string(), z.object({ asked: num, abstained: num, costUsd: num })).optional(),
  }),
  gateway: z.looseObject({
    calls: num,
    storeHits: num,
    apiCalls: num,
    usage,
    costUsd: num,
    spentUsd: num,
    cacheHitRate: num,
  }),
  costPerDecisionUsd: num,
  journal: z.object({ events: num, headHash: z.string() }),
  // Runs recorded before the training cutoff was kept have no `cutoff`.
  memory: z.looseObject({ label: z.string(), insideMemory: z.boolean().nullable(), cutoff: z.string().nullable() })
    .partial({ cutoff: true }).optional(),
  strategy: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});

/** A run's `agents.json`. */
export type AgentsFile = z.infer<typeof AgentsFileSchema> & { memory?: MemoryOverlap };

/**
 * Checks the parsed JSON of run `runId`'s `agents.json` against {@link AgentsFileSchema}. Importable on its own
 * (`lib/agents/agents_file.ts`) without the Anthropic SDK that `lib/agents/mod.ts` brings.
 *
 * @throws {Error} naming the first field that does not match, and the fix (record the run again).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAgentsFile } from "./agents_file.ts";
 * assert.throws(
 *   () => parseAgentsFile({ cache: "replay" }, "r1"),
 *   /^Error: run r1: agents\.json does not match the agent run format at model: /,
 * );
 * ```
 */
export function parseAgentsFile(json: unknown, runId: string): AgentsFile {
  const parsed = AgentsFileSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(
      `run ${runId}: agents.json does not match the agent run format at ${i.path.join(".") || "(root)"}: ` +
        `${i.message}; record the run again with this version of deno task backtest`,
    );
  }
  return parsed.data as AgentsFile;
}
