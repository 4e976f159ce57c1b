import { z } from "zod";
import { transformJSONSchema } from "@anthropic-ai/sdk/lib/transform-json-schema";
import { type AgentDecision, AgentDecisionSchema } from "./agent_decision.ts";
import type { DecisionPrompt } from "./decision_prompt.ts";
import type { Persona } from "./persona.ts";

/** How far the factor weights may sum from 1. */
export const WEIGHT_SUM_TOLERANCE = 0.01;
/** Relative tolerance of a cited number against the number the prompt shows (both parsed from the same digits). */
const CITATION_RELATIVE_TOLERANCE = 1e-9;

/** The result of {@link validateDecision}: the parsed decision, or one line per problem naming the bad value. */
export type DecisionValidation =
  | { ok: true; decision: AgentDecision }
  | { ok: false; issues: string[] };

/**
 * The JSON schema of a persona's structured answer, as sent in the request's `output_config.format`:
 * `z.toJSONSchema(AgentDecisionSchema)` with `factors[].id` narrowed to an `enum` of the persona's factor ids and
 * `citations[].fact` to an `enum` of `factIds` (the prompt's numeric facts), then passed through the SDK's own
 * `transformJSONSchema` (what `zodOutputFormat` does), so the schema sent is the one the structured-output grammar
 * accepts: `minimum`/`maximum`/`maxLength`/`maxItems` and `minItems` above 1 move into the field's `description`
 * (the grammar does not enforce them; {@link validateDecision} does), every object gets
 * `additionalProperties: false`.
 *
 * The result is frozen and shared by calls with the same factor and fact ids (built once, then looked up).
 *
 * An empty `factIds` leaves `citations[].fact` a plain string (an empty `enum` is no valid grammar); any citation
 * then fails the semantic check.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decisionJsonSchema } from "./validate_decision.ts";
 *
 * const persona = { factors: [{ id: "trend", description: "price above its average" }] };
 * // deno-lint-ignore no-explicit-any
 * const schema = decisionJsonSchema(persona as any, ["ret_5", "close"]) as any;
 * assert.deepEqual(schema.properties.factors.items.properties.id.enum, ["trend"]);
 * assert.deepEqual(schema.properties.citations.items.properties.fact.enum, ["ret_5", "close"]);
 * assert.equal(schema.additionalProperties, false);
 * assert.equal(schema.properties.confidence.minimum, undefined);
 * ```
 */
export function decisionJsonSchema(persona: Pick<Persona, "factors">, factIds: string[]): Record<string, unknown> {
  const factorIds = persona.factors.map((f) => f.id);
  // The schema costs ~0.15 ms to build and a persona's facts are the same bar after bar: build each once.
  const key = JSON.stringify([factorIds, factIds]);
  const cached = schemaCache.get(key);
  if (cached !== undefined) return cached;
  baseSchema ??= JSON.stringify(z.toJSONSchema(AgentDecisionSchema));
  // deno-lint-ignore no-explicit-any
  const schema = JSON.parse(baseSchema) as any;
  narrowToEnum(schema.properties.factors.items.properties, "id", factorIds);
  if (factIds.length > 0) narrowToEnum(schema.properties.citations.items.properties, "fact", [...factIds]);
  const result = deepFreeze(transformJSONSchema(schema) as Record<string, unknown>);
  if (schemaCache.size >= SCHEMA_CACHE_SIZE) schemaCache.clear();
  schemaCache.set(key, result);
  return result;
}

const SCHEMA_CACHE_SIZE = 1_024;
const schemaCache = new Map<string, Record<string, unknown>>();
let baseSchema: string | undefined;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function narrowToEnum(properties: Record<string, Record<string, unknown>>, key: string, values: string[]): void {
  const description = properties[key]?.description;
  properties[key] = { type: "string", enum: values, ...(description === undefined ? {} : { description }) };
}

/**
 * Checks a persona's answer text: JSON (a parse failure is an issue), then {@link AgentDecisionSchema} (each zod
 * issue with its path and the value seen), then the semantic rules: every factor id is in the persona's registry and
 * appears once, the weights sum to 1 within {@link WEIGHT_SUM_TOLERANCE}, every citation names a fact of
 * `prompt.shown` and cites its value as shown (relative tolerance 1e-9: both sides are parsed from the same printed
 * digits), and `invalidationLevel` is positive when not null. Never throws for a bad answer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateDecision } from "./validate_decision.ts";
 *
 * const persona = { factors: [{ id: "trend", description: "price above its average" }] };
 * const prompt = { shown: { ret_5: 1.23 } };
 * const answer = {
 *   situation: "up", signals: "trend up", synthesis: "long", action: "buy", confidence: 0.7,
 *   factors: [{ id: "trend", direction: "bullish", weight: 1 }], citations: [{ fact: "ret_5", value: 1.2 }],
 *   reasoning: "r", riskAssessment: "r", invalidationLevel: null,
 * };
 * // deno-lint-ignore no-explicit-any
 * const result = validateDecision(JSON.stringify(answer), persona as any, prompt as any);
 * assert.equal(result.ok, false);
 * if (!result.ok) assert.match(result.issues[0]!, /1\.2 cited for ret_5, but the prompt shows 1\.23/);
 * ```
 */
export function validateDecision(
  text: string,
  persona: Pick<Persona, "factors">,
  prompt: Pick<DecisionPrompt, "shown">,
): DecisionValidation {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const head = text.length > 80 ? `${text.slice(0, 80)}...` : text;
    return {
      ok: false,
      issues: [`the answer is not JSON (${(err as Error).message}): ${JSON.stringify(head)}; answer one JSON object`],
    };
  }
  const parsed = AgentDecisionSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((issue) => formatZodIssue(issue, json)) };
  }
  const decision = parsed.data;
  const issues: string[] = [];
  const registry = new Set(persona.factors.map((f) => f.id));
  const seen = new Set<string>();
  let weightSum = 0;
  for (let i = 0; i < decision.factors.length; i++) {
    const factor = decision.factors[i]!;
    if (!registry.has(factor.id)) {
      issues.push(
        `factors.${i}.id: ${JSON.stringify(factor.id)} is not a factor of this persona; use one of ${
          [...registry].join(", ")
        }`,
      );
    }
    if (seen.has(factor.id)) {
      issues.push(`factors.${i}.id: ${JSON.stringify(factor.id)} appears more than once; list each factor once`);
    }
    seen.add(factor.id);
    weightSum += factor.weight;
  }
  if (Math.abs(weightSum - 1) > WEIGHT_SUM_TOLERANCE) {
    issues.push(
      `factors: the weights sum to ${
        round(weightSum)
      }, not 1 (within ${WEIGHT_SUM_TOLERANCE}); rescale them to sum to 1`,
    );
  }
  for (let i = 0; i < decision.citations.length; i++) {
    const citation = decision.citations[i]!;
    const shown = Object.hasOwn(prompt.shown, citation.fact) ? prompt.shown[citation.fact] : undefined;
    if (shown === undefined) {
      issues.push(
        `citations.${i}.fact: ${
          JSON.stringify(citation.fact)
        } is not a numeric fact of the prompt; cite only facts listed`,
      );
    } else if (!sameNumber(citation.value, shown)) {
      issues.push(
        `citations.${i}.value: ${citation.value} cited for ${citation.fact}, but the prompt shows ${shown}; ` +
          "cite the value as shown",
      );
    }
  }
  if (decision.invalidationLevel !== null && !(decision.invalidationLevel > 0)) {
    issues.push(
      `invalidationLevel: ${decision.invalidationLevel} is not a positive price; give a price above 0 or null`,
    );
  }
  return issues.length === 0 ? { ok: true, decision } : { ok: false, issues };
}

function sameNumber(cited: number, shown: number): boolean {
  if (cited === shown) return true;
  return Math.abs(cited - shown) <= CITATION_RELATIVE_TOLERANCE * Math.max(Math.abs(cited), Math.abs(shown));
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function formatZodIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const path = issue.path.length === 0 ? "(answer)" : issue.path.map(String).join(".");
  let value: unknown = root;
  for (const key of issue.path) {
    value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  let shown = value === undefined ? "missing" : JSON.stringify(value);
  if (shown.length > 80) shown = `${shown.slice(0, 80)}...`;
  return `${path}: ${issue.message} (value: ${shown})`;
}
