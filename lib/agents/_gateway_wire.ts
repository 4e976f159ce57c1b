import type Anthropic from "@anthropic-ai/sdk";
import type { LlmRequest } from "./llm_gateway.ts";
import type { LlmRawMessage } from "./llm_store.ts";
import type { LlmUsage } from "./outcome.ts";
import { BATCH_DISCOUNT, priceOf, type PriceTable } from "./price_table.ts";

/** The Messages API body of a request: the system prompt is the cached prefix, the schema the output format. */
export function messageParams(req: LlmRequest): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: req.model,
    max_tokens: req.maxTokens,
    ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
    system: [{ type: "text", text: req.system, cache_control: { type: "ephemeral" } }],
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
    output_config: { format: { type: "json_schema", schema: req.outputSchema } },
  };
}

/** The message as plain JSON (drops the SDK's non-enumerable extras such as `_request_id`). */
export function rawOf(message: Anthropic.Message): LlmRawMessage {
  return JSON.parse(JSON.stringify(message)) as LlmRawMessage;
}

/** Usage of a message body; absent cache counts are 0. */
export function usageOf(raw: LlmRawMessage): LlmUsage {
  const u = raw.usage;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  return {
    inputTokens: n(u.input_tokens),
    outputTokens: n(u.output_tokens),
    cacheReadTokens: n(u.cache_read_input_tokens),
    cacheWriteTokens: n(u.cache_creation_input_tokens),
  };
}

/** The concatenated text blocks. */
export function textOf(raw: LlmRawMessage): string {
  let text = "";
  for (const b of raw.content) {
    if (b !== null && typeof b === "object" && (b as { type?: unknown }).type === "text") {
      const t = (b as { text?: unknown }).text;
      if (typeof t === "string") text += t;
    }
  }
  return text;
}

/** Input tokens guessed from characters (about 4 per token), for the budget's worst case before a call. */
export function estimateInputTokens(req: LlmRequest): number {
  let chars = req.system.length + JSON.stringify(req.outputSchema).length;
  for (const m of req.messages) chars += m.content.length;
  return Math.ceil(chars / 4);
}

/**
 * The most a call can cost: the estimated input priced as a cache write (the dearest input class) and `maxTokens`
 * of output. Throws for an unknown model before anything is sent.
 */
export function worstCaseUsd(req: LlmRequest, prices: PriceTable | undefined, batch = false): number {
  const p = priceOf(req.model, prices);
  const usd = (estimateInputTokens(req) * Math.max(p.input, p.cacheWrite) + req.maxTokens * p.output) / 1e6;
  return batch ? usd * BATCH_DISCOUNT : usd;
}
