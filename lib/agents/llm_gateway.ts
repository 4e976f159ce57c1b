import type { LlmCallRecord } from "./outcome.ts";

/** How model calls meet the content-addressed store. */
export type LlmCacheMode = "live" | "record" | "replay";

/**
 * A model request in the form the store hashes: everything that can change the answer. The hash is sha256 of the
 * canonical JSON (RFC 8785) of this object, so two requests differing in any parameter, message, schema or template
 * version are different entries.
 */
export interface LlmRequest {
  model: string;
  maxTokens: number;
  temperature?: number;
  /** Stable prefix (persona and instructions); sent with `cache_control` so the API caches it. */
  system: string;
  messages: { role: "user" | "assistant"; content: string }[];
  /** The JSON schema of the structured output (`output_config.format`). */
  outputSchema: Record<string, unknown>;
  /** The persona template's version (part of the hash even though the API does not see it). */
  templateVersion: string;
}

/** A model's answer, reduced to what the decision pipeline reads. */
export interface LlmResponse {
  /** `end_turn`, `max_tokens`, `refusal`, `stop_sequence`, `tool_use`, `pause_turn`. */
  stopReason: string;
  /** The concatenated text blocks (the JSON answer under structured output). */
  text: string;
  call: LlmCallRecord;
}

/**
 * What the decision pipeline calls: one request in, one answer out, through the store in the configured mode. A
 * replay miss throws `LlmReplayMissError`; an API failure after the SDK's retries throws the SDK's `APIError`; a
 * budget that this call would exceed throws `LlmBudgetError`. Implementations keep usage and cost totals.
 */
export interface LlmGateway {
  readonly mode: LlmCacheMode;
  complete(request: LlmRequest, signal?: AbortSignal): Promise<LlmResponse>;
}
