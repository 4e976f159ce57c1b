/**
 * What the fake Anthropic API answers, as data: a test scripts a reply per request with these builders, so a
 * scenario ("429 twice, then a valid answer") reads as a list rather than a handler.
 */

/** A decision action the persona schema allows. */
export type FakeAction = "buy" | "sell" | "hold" | "close";

/** Overrides of the default persona answer. */
export interface AgentAnswerOptions {
  /** Answer this action whatever the facts say (factor directions follow it). */
  action?: FakeAction;
  /** Answer this confidence instead of the one derived from the facts. */
  confidence?: number;
}

/** Options of {@link text}. */
export interface TextReplyOptions {
  /** The `stop_reason`. Default `end_turn`. */
  stopReason?: string;
}

/** Options of {@link error}. */
export interface ErrorReplyOptions {
  /** `retry-after` header, in seconds. */
  retryAfter?: number;
  /** `retry-after-ms` header (the SDK prefers it over `retry-after`). */
  retryAfterMs?: number;
  /** `x-should-retry` header, which overrides the SDK's own retry rule. */
  shouldRetry?: boolean;
  /** The error's message. Default: one naming the fake and the type. */
  message?: string;
}

/** Options of {@link sequence}. */
export interface SequenceOptions {
  /**
   * Pick the reply by the request's `attempt` (`x-stainless-retry-count`: every request fails then recovers) or by
   * `n` (the request's index among requests to its path). Default `n`. Past the end, the last reply repeats.
   */
  by?: "attempt" | "n";
}

/**
 * One scripted reply. `agent` answers the persona prompt validly (see {@link agentAnswer}); `truncate` cuts that
 * answer in half with stop reason `max_tokens`. `text` answers a text block as is. `error` answers the API's error
 * body with the status. `hang` waits, then answers `then`. `sequence` picks one of `replies` per request.
 */
export type FakeReply =
  | { kind: "agent"; action?: FakeAction; confidence?: number; truncate?: boolean }
  | { kind: "text"; text: string; stopReason: string }
  | {
    kind: "error";
    status: number;
    type: string;
    message: string;
    retryAfter?: number;
    retryAfterMs?: number;
    shouldRetry?: boolean;
  }
  | { kind: "hang"; ms: number; then: FakeReply }
  | { kind: "sequence"; replies: FakeReply[]; by: "attempt" | "n" };

/**
 * The default reply: a valid, deterministic answer to a persona prompt, derived from the request's structured output
 * schema (its factor and fact enums) and the fact lines of its user message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { agentAnswer } from "./fake_anthropic.ts";
 * assert.deepEqual(agentAnswer({ action: "sell" }), { kind: "agent", action: "sell" });
 * ```
 */
export function agentAnswer(options: AgentAnswerOptions = {}): FakeReply {
  return { kind: "agent", ...options };
}

/** A text block answered as is, with stop reason `end_turn` unless told. */
export function text(t: string, options: TextReplyOptions = {}): FakeReply {
  return { kind: "text", text: t, stopReason: options.stopReason ?? "end_turn" };
}

/** A text block holding `JSON.stringify(obj)`. */
export function json(obj: unknown): FakeReply {
  return text(JSON.stringify(obj));
}

/** A refusal: stop reason `refusal` and a short refusal text (not JSON). */
export function refusal(): FakeReply {
  return text("I can't help with that request.", { stopReason: "refusal" });
}

/** The default answer cut off half-way, with stop reason `max_tokens`. */
export function cutOff(): FakeReply {
  return { kind: "agent", truncate: true };
}

/** Text that is not JSON (`{not json`), stop reason `end_turn`. */
export function malformed(): FakeReply {
  return text("{not json");
}

/** Valid JSON that violates the decision schema: required fields missing and `confidence` 1.7. */
export function schemaViolation(): FakeReply {
  return json({ action: "buy", confidence: 1.7, reasoning: "the fake violates the schema on purpose" });
}

/**
 * The API's error answer `{type: "error", error: {type, message}}` with `status`: 429 `rate_limit_error`,
 * 529 `overloaded_error`, 500 `api_error`, 400 `invalid_request_error`, 401 `authentication_error`.
 */
export function error(status: number, type: string, options: ErrorReplyOptions = {}): FakeReply {
  return {
    kind: "error",
    status,
    type,
    message: options.message ?? `fake Anthropic: ${type} (HTTP ${status}) as the test scripted`,
    ...(options.retryAfter === undefined ? {} : { retryAfter: options.retryAfter }),
    ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
    ...(options.shouldRetry === undefined ? {} : { shouldRetry: options.shouldRetry }),
  };
}

/**
 * Wait `ms` before answering `then` (default {@link agentAnswer}); give the client a smaller `timeout` to get
 * `APIConnectionTimeoutError`. The wait ends early when the client hangs up or the fake closes.
 */
export function hang(ms: number, then: FakeReply = agentAnswer()): FakeReply {
  return { kind: "hang", ms, then };
}

/** Reply `replies[i]` to the i-th attempt (or request, `by: "n"`); the last one repeats. */
export function sequence(replies: FakeReply[], options: SequenceOptions = {}): FakeReply {
  if (replies.length === 0) throw new RangeError("sequence([]) has no reply to give: pass at least one FakeReply");
  return { kind: "sequence", replies, by: options.by ?? "n" };
}
