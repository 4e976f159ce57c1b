import { randomBars } from "../testing/random_bars.ts";
import { FakeAnthropic, type FakeAnthropicOptions } from "../testing/fake_anthropic.ts";
import { buildPrompt } from "./build_prompt.ts";
import { builtinPersonas } from "./builtin_personas.ts";
import { computeFacts } from "./compute_facts.ts";
import { createLlmGateway, type MeteredLlmGateway } from "./create_llm_gateway.ts";
import type { DecisionPrompt } from "./decision_prompt.ts";
import type { LlmCacheMode } from "./llm_gateway.ts";
import { LlmStore } from "./llm_store.ts";
import type { Persona } from "./persona.ts";

/** The model the LLM tests ask (priced in the price table). */
export const TEST_MODEL = "claude-haiku-4-5";
const HOUR = 3_600_000;
const bars = randomBars({ n: 300, seed: 11, stepMs: HOUR, volatility: 0.01 });

/** A built-in persona by name. */
export function persona(name: string): Persona {
  const found = builtinPersonas().find((p) => p.name === name);
  if (found === undefined) throw new Error(`no built-in persona ${name}`);
  return found;
}

/** The persona's real prompt (computeFacts + buildPrompt) at bar `t` of a seeded 1h random walk. */
export function promptAt(p: Persona, t = 299): DecisionPrompt {
  const facts = computeFacts({ frame: bars, t, timeframe: "1h", sees: p.sees, position: 0 });
  return buildPrompt({
    persona: p,
    facts,
    decisionTime: bars.ts[t]! + HOUR,
    symbol: "BTC/USDT",
    timeframe: "1h",
    masking: { pseudonym: "ASSET_A" },
  });
}

/** A fake Anthropic API and a gateway on it (in-memory store), closed together. */
export interface LlmHarness extends AsyncDisposable {
  fake: FakeAnthropic;
  gateway: MeteredLlmGateway;
  store: LlmStore;
}

/** Starts the fake with `reply` and a gateway in `mode` over a fresh in-memory store. */
export async function llmHarness(
  reply?: FakeAnthropicOptions["reply"],
  mode: LlmCacheMode = "record",
): Promise<LlmHarness> {
  const fake = await FakeAnthropic.start(reply === undefined ? {} : { reply });
  const store = LlmStore.open({ path: ":memory:" });
  const gateway = createLlmGateway({ mode, store, apiKey: "sk-ant-test-key-h4", baseURL: fake.url, maxRetries: 2 });
  return {
    fake,
    gateway,
    store,
    async [Symbol.asyncDispose]() {
      store.close();
      await fake.close();
    },
  };
}
