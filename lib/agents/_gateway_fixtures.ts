import { z } from "zod";
import { AgentDecisionSchema } from "./agent_decision.ts";
import type { LlmRequest } from "./llm_gateway.ts";

/** A decision request like the pipeline's, for gateway tests: `n` varies the user message. */
export function fixtureRequest(n = 0, patch: Partial<LlmRequest> = {}): LlmRequest {
  const schema = z.toJSONSchema(AgentDecisionSchema) as Record<string, any>;
  schema.properties.factors.items.properties.id.enum = ["trend", "momentum"];
  schema.properties.citations.items.properties.fact.enum = ["ret_5", "close"];
  return {
    model: "claude-haiku-4-5",
    maxTokens: 1024,
    temperature: 0,
    // 240 x 71 chars = 4,260 tokens at 4 chars each: above the 4,096-token minimum the API caches on Haiku 4.5.
    system: "You are a trend follower on a crypto desk. Weigh only the facts given. ".repeat(240),
    messages: [{
      role: "user",
      content: `Facts:\n- ret_5 = ${(1.23 + n).toFixed(2)} % | return over 5 bars | known 0 bars ago\n` +
        `- close = ${100 + n} price | last close | known 0 bars ago\nDecide.`,
    }],
    outputSchema: schema,
    templateVersion: "1",
    ...patch,
  };
}
