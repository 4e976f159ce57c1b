// `deno task promote` and `deno task parity` name llm_persona and llm_debate like any built-in: a replay runtime
// (never spends) registers them when the strategy asked for is one of them.
import { createAgentRuntime } from "../lib/agents/mod.ts";
import { registry } from "../lib/strategies/mod.ts";
import { registerAgentStrategies } from "./_llm_flags.ts";

/** Registers the agent strategies when `name` is one (`llm_*`); dispose it to close their LLM store. */
export async function agentStrategiesFor(name: string): Promise<Disposable> {
  if (!/^llm_/.test(name) || registry.has(name)) return { [Symbol.dispose]: () => {} };
  const rt = await createAgentRuntime({ cache: "replay" });
  registerAgentStrategies(registry, rt);
  return { [Symbol.dispose]: () => rt.close() };
}
