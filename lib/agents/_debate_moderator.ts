import Anthropic from "@anthropic-ai/sdk";
import { transformJSONSchema } from "@anthropic-ai/sdk/lib/transform-json-schema";
import { z } from "zod";
import { LlmBudgetError } from "./llm_errors.ts";
import type { LlmGateway, LlmRequest } from "./llm_gateway.ts";
import type { LlmCallRecord } from "./outcome.ts";

/** The moderator's structured answer. */
export const ModeratorAnswerSchema = z.strictObject({
  action: z.enum(["buy", "sell", "hold", "close"]).describe("The desk's decision."),
  confidence: z.number().min(0).max(1).describe("How sure, from 0 to 1."),
  rationale: z.string().max(2_000).describe("Why, in a few sentences, naming the positions that weighed most."),
});
/** A parsed moderator answer. */
export type ModeratorAnswer = z.infer<typeof ModeratorAnswerSchema>;

/** Part of every moderator request hash: change it when the wording below changes. */
export const MODERATOR_TEMPLATE_VERSION = "moderator-1";
const MODERATOR_SYSTEM = [
  "You moderate a trading desk's debate. Several personas gave structured positions on one market at one decision",
  "time. Weigh them by their vote weights, confidence and factors, and give the desk's decision: buy (be long),",
  "sell (be short, or flat where shorting is not allowed), hold (keep the position) or close (go flat).",
  "You never size or send an order. Answer with the JSON object of the schema only.",
].join(" ");
const moderatorSchema = transformJSONSchema(z.toJSONSchema(ModeratorAnswerSchema)) as Record<string, unknown>;

/** The model and sampling of the moderator call (through the same gateway as the personas: store, budget, cost). */
export interface ModeratorOptions {
  gateway: LlmGateway;
  model: string;
  maxTokens: number;
  temperature?: number;
  signal?: AbortSignal;
}

/** The moderator's answer, or why not; `call` when a call was made. */
export type ModeratorResult =
  & { call?: LlmCallRecord }
  & ({ ok: true; answer: ModeratorAnswer } | { ok: false; detail: string });

/**
 * One schema-bound moderator call given the final positions and weights. A refusal, cut-off, invalid answer,
 * budget stop or API failure is `ok: false` (the caller falls back to the weighted vote); a replay miss and an
 * abort are thrown.
 */
export async function askModerator(
  options: ModeratorOptions,
  positions: string,
  weights: Readonly<Record<string, number>>,
): Promise<ModeratorResult> {
  const weightLines = Object.keys(weights).map((name) => `- ${name}: ${weights[name]}`);
  const request: LlmRequest = {
    model: options.model,
    maxTokens: options.maxTokens,
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    system: MODERATOR_SYSTEM,
    messages: [{ role: "user", content: `${positions}\n\nVote weights:\n${weightLines.join("\n")}` }],
    outputSchema: moderatorSchema,
    templateVersion: MODERATOR_TEMPLATE_VERSION,
  };
  let response;
  try {
    response = await options.gateway.complete(request, options.signal);
  } catch (err) {
    if (err instanceof LlmBudgetError) return { ok: false, detail: `budget: ${err.message}` };
    if (err instanceof Anthropic.APIUserAbortError) throw err;
    if (err instanceof Anthropic.APIError) {
      return { ok: false, detail: `api_error: ${err.constructor.name}, status ${err.status ?? "none"}` };
    }
    throw err;
  }
  const call = response.call;
  if (response.stopReason === "refusal" || response.stopReason === "max_tokens") {
    return { ok: false, detail: `stop_reason ${response.stopReason}`, call };
  }
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch (err) {
    return { ok: false, detail: `invalid: the answer is not JSON (${(err as Error).message})`, call };
  }
  const parsed = ModeratorAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.map(String).join(".") || "(answer)"}: ${i.message}`);
    return { ok: false, detail: `invalid: ${issues.join("; ")}`, call };
  }
  return { ok: true, answer: parsed.data, call };
}
