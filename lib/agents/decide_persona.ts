import Anthropic from "@anthropic-ai/sdk";
import type { DecisionPrompt } from "./decision_prompt.ts";
import type { LlmGateway, LlmRequest, LlmResponse } from "./llm_gateway.ts";
import { LlmBudgetError } from "./llm_errors.ts";
import type { LlmCallRecord, PersonaOutcome } from "./outcome.ts";
import type { Persona } from "./persona.ts";
import { ruleDecision } from "./rule_decision.ts";
import { decisionJsonSchema, validateDecision } from "./validate_decision.ts";

/** What {@link decidePersona} needs: one persona, its prompt at one decision time, and the gateway. */
export interface DecidePersonaOptions {
  persona: Persona;
  prompt: DecisionPrompt;
  /** Every model call goes through it (store, budget, cost). Not used by a rule persona. */
  gateway: LlmGateway;
  model: string;
  maxTokens: number;
  temperature?: number;
  signal?: AbortSignal;
  /** One repair attempt after an invalid answer. Default true. */
  repair?: boolean;
}

/**
 * Asks one persona for its decision at one bar and answers a {@link PersonaOutcome}, never a silent `hold`:
 *
 * - a `rule` persona: H3's `ruleDecision(persona, prompt.facts)`, no model call;
 * - an `llm` persona: one request (`system` = `prompt.system`, one user message = `prompt.user`, the output schema
 *   {@link decisionJsonSchema} over the persona's factors and the prompt's numeric facts, the template version),
 *   then: stop reason `refusal` → abstain `refusal`; `max_tokens` → abstain `max_tokens`; an answer that fails
 *   {@link validateDecision} → one repair request (the original user message, the invalid answer as the
 *   assistant's turn, then a user message listing the issues and asking for the corrected JSON only): valid →
 *   the decision with `validation.repaired = true` and the first issues, invalid again → abstain `invalid`.
 *   `LlmBudgetError` → abstain `budget`; the SDK's `APIError` after its retries (429, 529, 5xx, timeout,
 *   connection) → abstain `api_error` with the status and error type (never a key or header).
 *
 * Thrown, not turned into an abstention: `LlmReplayMissError` (a replay miss must stop a test or notebook), an
 * abort through `signal` (`APIUserAbortError`), and anything else (a bug is not a market view). Every call made is
 * in `calls`, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decidePersona } from "./decide_persona.ts";
 * import type { LlmGateway, LlmRequest } from "./llm_gateway.ts";
 * import type { Persona } from "./persona.ts";
 *
 * const persona: Persona = {
 *   name: "trend", kind: "llm", title: "Trend", role: "trend follower", style: "terse", riskAppetite: "medium",
 *   factors: [{ id: "trend", description: "price above its average" }],
 *   sees: { indicators: [], returns: [5], regime: false, position: false, recentCloses: 0 },
 *   template: { version: "1", system: "You follow trends.", instructions: "" },
 * };
 * const prompt = {
 *   persona: "trend", templateVersion: "1", decisionTime: 0, system: "You follow trends.",
 *   user: "- ret_5 = 1.23 % | return over 5 bars | known 0 bars ago", facts: [], shown: { ret_5: 1.23 },
 *   masking: { relativeTimes: true, pseudonym: null, rebased: true },
 * };
 * const answer = {
 *   situation: "up", signals: "up", synthesis: "up", action: "buy", confidence: 0.7,
 *   factors: [{ id: "trend", direction: "bullish", weight: 1 }], citations: [{ fact: "ret_5", value: 1.23 }],
 *   reasoning: "up", riskAssessment: "a reversal", invalidationLevel: null,
 * };
 * const call = {
 *   requestHash: "r", responseHash: "s", model: "m", costUsd: 0, fromStore: true, attempts: 0,
 *   usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
 * };
 * const gateway: LlmGateway = {
 *   mode: "replay",
 *   complete: (_request: LlmRequest) =>
 *     Promise.resolve({ stopReason: "end_turn", text: JSON.stringify(answer), call }),
 * };
 * const outcome = await decidePersona({ persona, prompt, gateway, model: "m", maxTokens: 1024 });
 * assert.equal(outcome.kind, "decision");
 * if (outcome.kind === "decision") assert.equal(outcome.decision.action, "buy");
 * ```
 */
export async function decidePersona(options: DecidePersonaOptions): Promise<PersonaOutcome> {
  const { persona, prompt, gateway, signal } = options;
  if (persona.kind === "rule") return ruleDecision(persona, prompt.facts);
  if (prompt.persona !== persona.name) {
    throw new TypeError(
      `decidePersona: the prompt was built for persona ${JSON.stringify(prompt.persona)}, not ${
        JSON.stringify(persona.name)
      }; build the prompt with this persona`,
    );
  }
  const request = personaRequest(persona, prompt, options);
  const calls: LlmCallRecord[] = [];
  const abstain = (reason: Exclude<PersonaOutcome, { kind: "decision" }>["reason"], detail: string) =>
    ({ kind: "abstain", persona: persona.name, reason, detail, calls }) as const;

  const first = await attempt(gateway, request, signal, calls);
  if ("abstain" in first) return abstain(first.abstain, first.detail);
  const stop = stopAbstention(first.response);
  if (stop !== undefined) return abstain(stop, `stop_reason ${first.response.stopReason}`);
  const checked = validateDecision(first.response.text, persona, prompt);
  if (checked.ok) {
    return {
      kind: "decision",
      persona: persona.name,
      decision: checked.decision,
      validation: { ok: true, repaired: false, firstIssues: [] },
      calls,
    };
  }
  if (options.repair === false) return abstain("invalid", checked.issues.join("; "));

  const repairRequest: LlmRequest = {
    ...request,
    messages: [
      { role: "user", content: prompt.user },
      { role: "assistant", content: first.response.text },
      { role: "user", content: repairMessage(checked.issues) },
    ],
  };
  const second = await attempt(gateway, repairRequest, signal, calls);
  if ("abstain" in second) return abstain(second.abstain, second.detail);
  const stop2 = stopAbstention(second.response);
  if (stop2 !== undefined) return abstain(stop2, `stop_reason ${second.response.stopReason} (repair)`);
  const rechecked = validateDecision(second.response.text, persona, prompt);
  if (!rechecked.ok) {
    return abstain(
      "invalid",
      `after one repair: ${rechecked.issues.join("; ")} (first answer: ${checked.issues.join("; ")})`,
    );
  }
  return {
    kind: "decision",
    persona: persona.name,
    decision: rechecked.decision,
    validation: { ok: true, repaired: true, firstIssues: checked.issues },
    calls,
  };
}

/**
 * The first request {@link decidePersona} sends for a persona's prompt (system prefix, one user message, the output
 * schema over the persona's factors and the prompt's numeric facts, the template version): the store key of its
 * answer. Message Batches prefetch builds the same request, so the decision finds the batch's answer in the store.
 */
export function personaRequest(
  persona: Persona,
  prompt: DecisionPrompt,
  options: Pick<DecidePersonaOptions, "model" | "maxTokens" | "temperature">,
): LlmRequest {
  return {
    model: options.model,
    maxTokens: options.maxTokens,
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    system: prompt.system,
    messages: [{ role: "user", content: prompt.user }],
    outputSchema: decisionJsonSchema(persona, Object.keys(prompt.shown)),
    templateVersion: prompt.templateVersion,
  };
}

/** The user turn of the repair attempt: the issues, one per line, and what to answer. */
export function repairMessage(issues: readonly string[]): string {
  return [
    "Your answer failed validation:",
    ...issues.map((issue) => `- ${issue}`),
    "Answer again with the corrected JSON object only, following the schema, with nothing before or after it.",
  ].join("\n");
}

function stopAbstention(response: LlmResponse): "refusal" | "max_tokens" | undefined {
  if (response.stopReason === "refusal") return "refusal";
  if (response.stopReason === "max_tokens") return "max_tokens";
  return undefined;
}

type Attempt = { response: LlmResponse } | { abstain: "budget" | "api_error"; detail: string };

async function attempt(
  gateway: LlmGateway,
  request: LlmRequest,
  signal: AbortSignal | undefined,
  calls: LlmCallRecord[],
): Promise<Attempt> {
  try {
    const response = await gateway.complete(request, signal);
    calls.push(response.call);
    return { response };
  } catch (err) {
    if (err instanceof LlmBudgetError) return { abstain: "budget", detail: err.message };
    if (err instanceof Anthropic.APIUserAbortError) throw err;
    if (err instanceof Anthropic.APIError) return { abstain: "api_error", detail: apiErrorDetail(err) };
    throw err;
  }
}

/** Status, error type and request id only: the SDK's message may quote headers or bodies, so it is not copied. */
function apiErrorDetail(err: InstanceType<typeof Anthropic.APIError>): string {
  const parts = [err.constructor.name];
  if (err.status !== undefined) parts.push(`status ${err.status}`);
  if (err.type) parts.push(`type ${err.type}`);
  if (err.errorCode) parts.push(`code ${err.errorCode}`);
  if (err.requestID) parts.push(`request ${err.requestID}`);
  return parts.join(", ");
}
