import { z } from "zod";
import type { Strategy } from "../strategies/mod.ts";
import { type AgentParams, type BatchSender, defineAgentStrategy, type DeskSource } from "./_agent_strategy.ts";

const params = z.object({
  persona: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/).default("rule_trend").describe(
    "The persona that decides (deno task agents list); rule_trend needs no model.",
  ),
  every: z.number().int().min(1).max(100_000).default(1).describe("A decision every N bars."),
  min_confidence: z.number().min(0).max(1).default(0).describe(
    "Decisions below this confidence keep the position.",
  ),
});

/** Parameters of the `llm_persona` strategy. */
export type LlmPersonaParams = z.output<typeof params> & AgentParams;

/**
 * **One persona decides** (`llm_persona`): every `every` bars after the warm-up, the persona gets the facts of bars
 * `0..t` (masked, no fact from after the bar's close) and answers buy, sell, hold or close with a confidence, or
 * abstains. The deterministic rule: buy → long, sell → short (flat when the backtest's direction is long only), close
 * → flat, hold / abstain / confidence below `min_confidence` → keep. Sizing is the backtest's (or the sleeve's);
 * the risk engine is the only gate to orders.
 *
 * The position a persona sees is the target its own decisions set (in a backtest, which decides before it
 * simulates) or the sleeve's actual position (in the runners).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { prepareStrategy } from "../strategies/mod.ts";
 * import { AgentDesk, builtinPersonas, createLlmPersonaStrategy } from "./mod.ts";
 * const desk = new AgentDesk({ personas: builtinPersonas() });
 * const strategy = createLlmPersonaStrategy(desk);
 * const close = Float64Array.from({ length: 120 }, (_, i) => 100 + i);
 * const frame = new Frame(Float64Array.from(close, (_, i) => i * 3_600_000), { close, open: close, high: close, low: close });
 * const p = strategy.params.parse({ persona: "rule_trend" });
 * await prepareStrategy(strategy, frame, p, { symbol: "BTC/USDT", timeframe: "1h" });
 * const s = strategy.signals(frame, p);
 * assert.ok(s.kind === "signals" && s.entries.some((v) => v === 1)); // a steady uptrend: the rule buys
 * ```
 */
export function createLlmPersonaStrategy(desk: DeskSource, batch?: BatchSender): Strategy<LlmPersonaParams> {
  return defineAgentStrategy<LlmPersonaParams>(
    {
      name: "llm_persona",
      title: "One persona (LLM or rule)",
      description: "A persona decides every N bars from masked facts; its action becomes a target position.",
      params: params as z.ZodType<LlmPersonaParams>,
      version: "1",
      personasOf: (d, p) => [d.persona(p.persona)],
      decide: (d, p, bar) => d.decide(p.persona, bar),
    },
    desk,
    batch,
  );
}
