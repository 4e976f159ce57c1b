import { z } from "zod";
// The functions' own files, not lib/agents/mod.ts: that one brings the Anthropic SDK, which no read here needs.
import { type AgentsFile, parseAgentsFile } from "../../agents/agents_file.ts";
import { decisionRowsFromAudit } from "../../agents/decision_rows_from_audit.ts";
import { parseDecisionsFile } from "../../agents/parse_decisions_file.ts";
import type { AuditEvent } from "../../audit/mod.ts";
import type { RunRecord, RunRegistry } from "../../runs/mod.ts";
import { defineTool, type McpTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { runProvenance } from "./_provenance.ts";
import { getRun, openRuns, RunIdArg } from "./_research.ts";

/** Most decisions one page holds. */
export const GET_AGENT_RUN_MAX_DECISIONS = 200;

const input = toolInput({
  id: RunIdArg.describe("A recorded agent run's id (a backtest of llm_persona or llm_debate; list_runs shows ids)"),
  persona: z.string().min(1).max(64).optional().describe("Only this persona's decisions (or vote for the debate's)"),
  offset: z.number().int().min(0).default(0).describe("Decisions to skip (paging), in decision-time order"),
  limit: z.number().int().min(0).max(GET_AGENT_RUN_MAX_DECISIONS).default(20).describe(
    `Decisions per page (default 20, at most ${GET_AGENT_RUN_MAX_DECISIONS}; 0 for the stats only)`,
  ),
});

const usage = z.strictObject({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
});

const DecisionSchema = z.strictObject({
  decisionTime: z.string().describe("when it was decided, ISO UTC (after its bar closed)"),
  barTs: z.string().describe("the bar it decided on, ISO UTC"),
  symbol: z.string(),
  persona: z.string().describe("the persona, or vote for a debate's outcome"),
  action: z.string().describe("buy, sell, hold, close or abstain"),
  confidence: z.number(),
  factors: z.array(z.strictObject({ id: z.string(), direction: z.number(), weight: z.number() })),
});

const output = z.strictObject({
  id: z.string(),
  strategy: z.string(),
  series: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
  model: z.string().describe("the default model of the run's LLM personas"),
  cache: z.string().describe("record, replay or live: how the run reached the model"),
  memory: z.strictObject({
    label: z.string(),
    insideMemory: z.boolean().nullable().describe("true: the model may remember the window; null: unknown model"),
    cutoff: z.string().nullable(),
  }).nullable().describe("the window against the model's training data (null for a run recorded without it)"),
  stats: z.strictObject({
    decisions: z.number().describe("bars decided (one per decision bar)"),
    debates: z.number(),
    asked: z.number().describe("persona answers asked for, every round"),
    abstentions: z.record(z.string(), z.number()).describe("by reason; abstentions are left out of votes"),
    abstained: z.number().describe("all abstentions"),
    repaired: z.number(),
    modelCalls: z.number(),
    storeHits: z.number().describe("answers from the content-addressed LLM store (free on replay)"),
    apiCalls: z.number(),
    tokens: usage,
    cacheHitRate: z.number().describe("prompt-cache reads over all input tokens, 0..1"),
    costUsd: z.number().describe("every call priced as if made: what the run costs to record"),
    spentUsd: z.number().describe("what this run spent on the API"),
    costPerDecisionUsd: z.number(),
    budgetUsd: z.number().nullable(),
    byPersona: z.record(z.string(), z.strictObject({ asked: z.number(), abstained: z.number(), costUsd: z.number() })),
  }),
  journal: z.strictObject({ events: z.number(), headHash: z.string() }).describe(
    "the decision events' hash chain: equal heads mean equal decisions, recorded or replayed",
  ),
  decisionCount: z.number().int().describe("decision rows (one per persona per bar, the debate's vote included)"),
  decisions: z.array(DecisionSchema),
  offset: z.number().int(),
  nextOffset: z.number().int().nullable(),
  provenance: ProvenanceSchema,
});

type Input = typeof input;
type Output = typeof output;

/**
 * `get_agent_run`: what a recorded agent run (a backtest of `llm_persona` or `llm_debate`) decided and cost: decision
 * and abstention counts, model calls, tokens, prompt-cache hit rate, cost, the window against the model's training
 * data, and a page of decision rows (from `lib/agents`' `decisionRowsFromAudit`, as the lab's agents pages show them).
 * Reads the run's `agents.json` and `decisions.jsonl` through the registry opened read-only; the LLM store is never
 * opened, so no model is asked and nothing is written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getAgentRunTool } from "./get_agent_run.ts";
 * assert.equal(getAgentRunTool.name, "get_agent_run");
 * assert.equal(getAgentRunTool.input.safeParse({ id: "x", limit: 500 }).success, false);
 * ```
 */
export const getAgentRunTool: McpTool<Input, Output> = defineTool({
  name: "get_agent_run",
  title: "Get a recorded LLM-agent run",
  description: "A recorded agent run (a backtest of llm_persona or llm_debate) by id: decisions, abstentions by " +
    "reason, model calls, tokens, prompt-cache hit rate, cost, the model and whether the window is inside its " +
    "training data (model memory), the decision journal's head hash, and a page of decision rows (offset/limit, at " +
    `most ${GET_AGENT_RUN_MAX_DECISIONS}; persona to filter), with provenance. Read-only: no model is asked.`,
  input,
  output,
  async run(args, ctx) {
    await using runs = await openRuns(ctx.dataDir);
    const rec = await getRun(runs, "id", args.id);
    const agents = await readAgents(runs, rec);
    const events = await readDecisions(runs, rec);
    const all = decisionRowsFromAudit(events, { includeVote: true });
    const personas = [...new Set(all.map((r) => r.persona))].sort();
    const rows = args.persona === undefined ? all : all.filter((r) => r.persona === args.persona);
    if (args.persona !== undefined && rows.length === 0) {
      throw new RangeError(
        `persona: run ${rec.id} has no decision of ${JSON.stringify(args.persona)}; its personas: ${
          personas.join(", ") || "(none)"
        }`,
      );
    }
    const page = rows.slice(args.offset, args.offset + args.limit);
    const more = rows.length > args.offset + args.limit;
    const nextOffset = more ? args.offset + args.limit : null;
    const capped = more || args.offset > 0
      ? `decisions ${args.offset}..${args.offset + page.length} of ${rows.length}${
        more ? `; pass offset=${nextOffset} for more` : ""
      }`
      : undefined;
    const d = agents.desk;
    const abstained = Object.values(d.abstentions).reduce((a, b) => a + b, 0);
    const iso = (t: number) => new Date(t).toISOString();
    const memory = agents.memory
      ? { label: agents.memory.label, insideMemory: agents.memory.insideMemory, cutoff: agents.memory.cutoff ?? null }
      : null;
    const provenance = runProvenance(rec, {
      ...(capped ? { capped } : {}),
      note: `agent stats from the run's agents.json, decisions from its decisions.jsonl (journal head ` +
        `${agents.journal.headHash.slice(0, 16)}…, ${agents.journal.events} events); cache mode ${agents.cache}` +
        `${memory ? `; ${memory.label}` : ""}; the LLM store was not opened`,
    });
    return {
      structured: {
        id: rec.id,
        strategy: rec.strategy,
        series: rec.series,
        params: rec.params,
        model: agents.model,
        cache: agents.cache,
        memory,
        stats: {
          decisions: d.decisions,
          debates: d.debates,
          asked: d.asked,
          abstentions: d.abstentions,
          abstained,
          repaired: d.repaired,
          modelCalls: d.calls,
          storeHits: d.storeHits,
          apiCalls: agents.gateway.apiCalls,
          tokens: d.usage,
          cacheHitRate: agents.gateway.cacheHitRate,
          costUsd: d.costUsd,
          spentUsd: agents.gateway.spentUsd,
          costPerDecisionUsd: agents.costPerDecisionUsd,
          budgetUsd: agents.budgetUsd ?? null,
          byPersona: d.byPersona ?? {},
        },
        journal: agents.journal,
        decisionCount: rows.length,
        decisions: page.map((r) => ({
          decisionTime: iso(r.decisionTime),
          barTs: iso(r.barTs),
          symbol: r.symbol,
          persona: r.persona,
          action: r.action,
          confidence: r.confidence,
          factors: r.factors.map((f) => ({ id: f.id, direction: f.direction, weight: f.weight })),
        })),
        offset: args.offset,
        nextOffset,
        provenance,
      },
      text: `Agent run ${rec.id} (${rec.strategy} ${JSON.stringify(rec.params)} on ${rec.series.join(", ")}, model ` +
        `${agents.model}, cache ${agents.cache}): ${d.decisions} decisions (${d.debates} debates), ${d.asked} ` +
        `persona answers, ${abstained} abstained, ${d.calls} model calls (${d.storeHits} from the store), ` +
        `${d.usage.inputTokens + d.usage.cacheReadTokens + d.usage.cacheWriteTokens} input and ` +
        `${d.usage.outputTokens} output tokens, cache hit rate ${(agents.gateway.cacheHitRate * 100).toFixed(1)}%, ` +
        `cost $${d.costUsd.toFixed(4)} (spent $${agents.gateway.spentUsd.toFixed(4)})${
          memory ? `; ${memory.label}` : ""
        }. ${rows.length} decision rows${page.length ? `, ${page.length} listed from ${args.offset}` : ""}${
          more ? `; more with offset=${nextOffset}` : ""
        }.`,
    };
  },
});

function notAgentRun(rec: RunRecord, why: string): RangeError {
  return new RangeError(
    `id: run ${rec.id} (${rec.strategy}) is not an agent run: ${why}; list_runs with strategy llm_persona or ` +
      "llm_debate shows the agent runs",
  );
}

async function readAgents(runs: RunRegistry, rec: RunRecord): Promise<AgentsFile> {
  if (!rec.files.includes("agents.json")) throw notAgentRun(rec, "it has no agents.json");
  let json: unknown;
  try {
    json = JSON.parse(await Deno.readTextFile(runs.path(rec.id, "agents.json")));
  } catch (e) {
    throw new Error(`run ${rec.id}: agents.json could not be read (${(e as Error).message}); record the run again`);
  }
  return parseAgentsFile(json, rec.id);
}

async function readDecisions(runs: RunRegistry, rec: RunRecord): Promise<AuditEvent[]> {
  if (!rec.files.includes("decisions.jsonl")) throw notAgentRun(rec, "it has no decisions.jsonl");
  return parseDecisionsFile(await Deno.readTextFile(runs.path(rec.id, "decisions.jsonl")), rec.id);
}
