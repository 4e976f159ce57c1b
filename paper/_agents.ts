// The LLM agents of the runner entry points (`deno task paper`, `deno task live`): the runtime that registers
// `llm_persona` and `llm_debate` before an account's promotions are resolved into sleeves.
import type { FlagValues } from "../cli/_backtest_flags.ts";
import { agentRuntimeFromFlags, LLM_FLAGS, registerAgentStrategies } from "../cli/_llm_flags.ts";
import type { AgentRuntime } from "../lib/agents/mod.ts";
import { AuditLog } from "../lib/audit/mod.ts";
import { registry } from "../lib/strategies/mod.ts";

/** What to do after a run an LLM budget stopped. */
export const LLM_BUDGET_HINT = "the LLM budget (--llm-budget) was reached: the answers so far are in the LLM store; " +
  "start again with a higher --llm-budget and they replay for free";

/**
 * The agent runtime, with `llm_persona` and `llm_debate` registered, when the account trades one of them or an
 * `--llm-*` flag is given; otherwise none (no LLM store is opened for a rule strategy's account).
 */
export async function agentRuntimeFor(
  values: FlagValues,
  dataDir: string,
  account: string,
): Promise<AgentRuntime | undefined> {
  const flagged = Object.keys(LLM_FLAGS).some((k) => values[k] !== undefined);
  if (!flagged) {
    using log = AuditLog.open({ dataDir, account, readOnly: true });
    const promoted = log.query({ kind: "promotion", limit: 100_000 });
    if (!promoted.some((e) => e.kind === "promotion" && /^llm_/.test(e.payload.strategy))) return undefined;
  }
  const rt = await agentRuntimeFromFlags(values, { dataDir });
  registerAgentStrategies(registry, rt);
  return rt;
}

/** The Anthropic key, when set, for the audit log's redaction (it never belongs in an event). */
export function anthropicSecrets(): string[] {
  const key = Deno.env.get("ANTHROPIC_API_KEY");
  return key ? [key] : [];
}

/** What the agents cost and decided in this process. */
export function agentLine(rt: AgentRuntime): string {
  const s = rt.summary();
  return `agents (${s.cache}): ${s.desk.decisions} decisions, ${s.gateway.apiCalls} API calls, ${s.gateway.storeHits}` +
    ` answers from the store, $${s.gateway.spentUsd.toFixed(4)} spent${
      s.budgetUsd === null ? "" : ` of --llm-budget ${s.budgetUsd}`
    }`;
}
