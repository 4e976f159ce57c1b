// The agent strategies (llm_persona, llm_debate) in `deno task backtest`: the runtime their flags build, the
// countTokens preflight before a run that may spend, and what a finished run adds to its output, registry record and
// report (the agents summary, the decision events, the model-memory label).

import {
  type AgentRunSummary,
  type AgentRuntime,
  countTokensEstimate,
  debatePersonaNames,
  type LlmRequest,
  type MemoryOverlap,
  personaRequest,
} from "../lib/agents/mod.ts";
import type { Frame } from "../lib/frame/mod.ts";
import { type AnyStrategy, parseParams, registry } from "../lib/strategies/mod.ts";
import { agentRuntimeFromFlags, registerAgentStrategies } from "./_llm_flags.ts";
import { UsageError } from "./_cli.ts";
import type { FlagValues } from "./_backtest_flags.ts";

/** The strategies whose decisions come from the agent runtime. */
export const AGENT_STRATEGIES: readonly string[] = ["llm_persona", "llm_debate"];

/** True for `llm_persona` and `llm_debate`. */
export function isAgentStrategy(name: string | undefined): boolean {
  return name !== undefined && AGENT_STRATEGIES.includes(name);
}

/**
 * The agent runtime of a command line, registered in the strategy registry, or undefined when the strategy is not an
 * agent strategy: the runtime opens the LLM store, so the other strategies never pay for it. LLM flags without an
 * agent strategy are a usage error rather than silently ignored.
 */
export async function agentRuntimeForBacktest(values: FlagValues): Promise<AgentRuntime | undefined> {
  const strategy = values.strategy as string | undefined;
  if (!isAgentStrategy(strategy)) {
    const llm = Object.keys(values).find((k) => k.startsWith("llm-") && values[k] !== undefined);
    if (llm !== undefined) {
      throw new UsageError(
        `--${llm} applies to the agent strategies ${AGENT_STRATEGIES.join(" and ")} only: drop it, or use ` +
          "--strategy llm_persona|llm_debate",
      );
    }
    return undefined;
  }
  const runtime = await agentRuntimeFromFlags(values, { runId: "backtest" });
  registerAgentStrategies(registry, runtime);
  return runtime;
}

/** The calls an agent run will make, before it starts. */
export interface AgentPlan {
  /** Decision bars (one per `every` bars after the warm-up). */
  decisions: number;
  /** Model calls without repairs: LLM personas x decision bars x rounds. */
  calls: number;
  /** The LLM personas' requests at the first decision bar (one each), or empty for rule personas. */
  requests: { request: LlmRequest; calls: number }[];
}

/**
 * What a run of `strategy` with `params` over `frame` will ask: the decision bars (as `prepare` walks them), and the
 * first decision bar's request of each LLM persona, each standing for its persona's calls. Rebuttal prompts carry
 * the other positions and are longer, and repairs and a moderator are extra calls: the plan is a floor on input
 * tokens, while the output side is priced at `maxTokens` (the ceiling).
 */
export function agentPlan(
  runtime: AgentRuntime,
  strategy: AnyStrategy,
  params: Record<string, unknown>,
  frame: Frame,
  bar: { symbol: string; timeframe: string },
): AgentPlan {
  if (strategy.kind === "portfolio") return { decisions: 0, calls: 0, requests: [] };
  const p = parseParams(strategy, params) as { every: number; persona?: string; personas?: string; rounds?: number };
  const names = strategy.name === "llm_debate" ? debatePersonaNames({ personas: p.personas ?? "" }) : [p.persona!];
  const rounds = strategy.name === "llm_debate" ? (p.rounds ?? 0) + 1 : 1;
  const first = strategy.warmup(p);
  const close = frame.close;
  let decisions = 0, t0 = -1;
  // The same bars prepare decides on (lib/agents/_agent_strategy.ts): from the warm-up's last bar, every `every`.
  for (let t = Math.max(first - 1, 0); t < close.length; t += p.every) {
    if (close[t] !== close[t]) continue;
    if (t0 < 0) t0 = t;
    decisions++;
  }
  const requests: AgentPlan["requests"] = [];
  if (t0 >= 0) {
    const desk = runtime.desk;
    for (const name of names) {
      const persona = desk.persona(name);
      if (persona.kind !== "llm") continue;
      const prompt = desk.prompt(persona, { frame, t: t0, position: 0, ...bar });
      const request = personaRequest(persona, prompt, {
        model: persona.model?.id ?? desk.model,
        maxTokens: persona.model?.maxTokens ?? desk.maxTokens,
        temperature: persona.model?.temperature ?? desk.temperature,
      });
      requests.push({ request, calls: decisions * rounds });
    }
  }
  return { decisions, calls: requests.reduce((s, r) => s + r.calls, 0), requests };
}

/** The preflight's result: what the run may cost. */
export interface AgentEstimate {
  decisions: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * The `countTokens` preflight of a plan: one `messages.countTokens` per LLM persona (free), scaled to its calls, priced
 * at the base input price (no prompt caching) and `maxTokens` of output per call.
 */
export async function agentEstimate(plan: AgentPlan): Promise<AgentEstimate> {
  let inputTokens = 0, outputTokens = 0, costUsd = 0;
  for (const { request, calls } of plan.requests) {
    const one = await countTokensEstimate({ sample: 1 }, [request]);
    inputTokens += one.inputTokens * calls;
    outputTokens += one.outputTokens * calls;
    costUsd += one.costUsd * calls;
  }
  return { decisions: plan.decisions, calls: plan.calls, inputTokens, outputTokens, costUsd };
}

/** The preflight line: `estimate: N decisions, ~T input tokens, ~$X (budget $B)`. */
export function estimateLine(e: AgentEstimate, budgetUsd: number | null): string {
  const budget = budgetUsd === null ? "no budget: --llm-budget USD caps it" : `budget $${budgetUsd}`;
  const over = budgetUsd !== null && e.costUsd > budgetUsd
    ? "; the budget will likely stop the run before its end"
    : "";
  return `estimate: ${e.decisions} decisions, ~${e.inputTokens} input tokens, ~$${usd(e.costUsd)} (${budget})${over}` +
    ` [${e.calls} calls at most ${Math.round(e.calls === 0 ? 0 : e.outputTokens / e.calls)} output tokens each]`;
}

/** What a finished agent run adds to the job's output. */
export interface AgentRunOutput {
  /** `agents` of the JSON output and of the record's detail: the summary, the memory overlap, strategy and params. */
  json: AgentRunSummary & { memory: MemoryOverlap; strategy: string; params: Record<string, unknown> };
  /** The record's (and `--out`'s) `agents.json` and `decisions.jsonl`. */
  files: Record<string, string>;
  /** The human output's agents block. */
  lines: string[];
  /** The memory label, for the report's notes. */
  note: string;
}

/**
 * The agents part of a finished run: summary, memory overlap of the decision window (first to last decision event;
 * the frame's span when nothing was decided), the decision events one per line, and the human block.
 */
export function agentRunOutput(
  runtime: AgentRuntime,
  strategy: string,
  params: Record<string, unknown>,
  frame: Frame,
): AgentRunOutput {
  const summary = runtime.summary();
  const events = runtime.journal.events;
  const n = frame.ts.length;
  const from = events.length ? events[0]!.ts : n ? frame.ts[0]! : 0;
  const to = events.length ? events[events.length - 1]!.ts : n ? frame.ts[n - 1]! : 0;
  const memory = runtime.memory(Math.min(from, to), Math.max(from, to));
  const json = { ...summary, memory, strategy, params };
  const decisions = events.map((e) => JSON.stringify(e)).join("\n");
  return {
    json,
    files: {
      "agents.json": `${JSON.stringify(json, null, 2)}\n`,
      "decisions.jsonl": events.length ? `${decisions}\n` : "",
    },
    lines: agentLines(summary, memory),
    note: `memory: ${memory.label}`,
  };
}

/** The human block of an agent run. */
export function agentLines(s: AgentRunSummary, memory: MemoryOverlap): string[] {
  const d = s.desk, g = s.gateway;
  const abst = Object.entries(d.abstentions).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`);
  const abstained = abst.length ? abst.join(", ") : "none";
  const u = d.usage;
  const budget = s.budgetUsd === null ? "" : ` of budget $${s.budgetUsd}`;
  return [
    `agents (${s.cache}, ${s.model}): ${d.decisions} decisions${d.debates ? ` (${d.debates} debates)` : ""}, ` +
    `${d.asked} persona answers asked (${Object.keys(d.byPersona).join(", ") || "none"}), abstentions: ${abstained}, ` +
    `${d.repaired} repaired`,
    `  calls ${d.calls}: store hits ${g.storeHits}, API calls ${g.apiCalls}; tokens in ${u.inputTokens}, ` +
    `out ${u.outputTokens}, cache read ${u.cacheReadTokens}, cache write ${u.cacheWriteTokens}`,
    `  cost $${usd(d.costUsd)} (priced as if every call were made), $${usd(s.costPerDecisionUsd)} per decision; ` +
    `spent now $${usd(g.spentUsd)}${budget}; cache hit rate ${(100 * g.cacheHitRate).toFixed(1)}%`,
    `  journal: ${s.journal.events} decision events, head ${s.journal.headHash}`,
    `memory: ${memory.label}`,
  ];
}

function usd(x: number): string {
  return x === 0 ? "0" : x >= 1 ? x.toFixed(2) : x.toPrecision(3);
}
