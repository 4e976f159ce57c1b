import { canonicalJson } from "../types/mod.ts";
import type { LlmRequest } from "./llm_gateway.ts";
import { sha256Hex } from "./_gateway_hash.ts";

/**
 * The version of the hashed form. Bumping it makes every stored answer unreachable on purpose (a change of what the
 * hash covers must not replay answers recorded under the old meaning).
 */
export const REQUEST_HASH_FORMAT = "sentinel-llm-request/1";

/**
 * The content address of a model request: sha256 hex of the RFC 8785 canonical JSON of
 * `{ format: REQUEST_HASH_FORMAT, request }`, so it covers the model, every parameter, the system prompt, the
 * messages, the output schema and the template version, and not the key order an object was built in. An absent
 * optional field (`temperature`) hashes as absent, not as its API default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestHash } from "./request_hash.ts";
 * const req = {
 *   model: "claude-haiku-4-5", maxTokens: 512, system: "You are a trend follower.",
 *   messages: [{ role: "user" as const, content: "- ret_5 = 1.23 % | return over 5 bars | known 0 bars ago" }],
 *   outputSchema: { type: "object" }, templateVersion: "1",
 * };
 * assert.match(requestHash(req), /^[0-9a-f]{64}$/);
 * assert.equal(requestHash(req), requestHash({ ...req }));
 * assert.notEqual(requestHash(req), requestHash({ ...req, templateVersion: "2" }));
 * ```
 */
export function requestHash(request: LlmRequest): string {
  return sha256Hex(canonicalRequestJson(request));
}

/**
 * The exact text {@link requestHash} hashes (and the store keeps): `canonicalJson({ format, request })`, built field
 * by field so the output schema's canonical text is computed once per schema object (it is most of the request, and
 * the pipeline reuses one schema object per persona). So a schema object must not be mutated after it was sent: build
 * a new one instead.
 */
export function canonicalRequestJson(request: LlmRequest): string {
  const fields = request as unknown as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(fields).sort()) {
    const v = fields[key];
    if (v === undefined || typeof v === "symbol") continue;
    const text = key === "outputSchema" && typeof v === "object" && v !== null
      ? schemaJson(v)
      : key === "messages"
      ? messagesJson(v)
      : scalarJson(v);
    parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{"format":${JSON.stringify(REQUEST_HASH_FORMAT)},"request":{${parts.join(",")}}}`;
}

const schemaTexts = new WeakMap<object, string>();

function schemaJson(schema: object): string {
  let text = schemaTexts.get(schema);
  if (text === undefined) {
    text = canonicalJson(schema);
    schemaTexts.set(schema, text);
  }
  return text;
}

/**
 * RFC 8785 text of a string, finite number or boolean: exactly `JSON.stringify`'s (JCS defines string and number
 * serialisation as ECMAScript's), without the generic serialiser's walk, which copied the 6 KB system prompt several
 * times per request (12% of a replayed debate, profiled). Anything else goes through `canonicalJson`.
 */
function scalarJson(v: unknown): string {
  if (typeof v === "string") return v.length < 1_024 ? JSON.stringify(v) : longStringJson(v);
  if (typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) return JSON.stringify(v);
  return canonicalJson(v);
}

// The JSON text of long strings seen lately (a persona's 6 KB system prompt comes back with every request).
const longStrings = new Map<string, string>();

function longStringJson(v: string): string {
  let text = longStrings.get(v);
  if (text === undefined) {
    text = JSON.stringify(v);
    if (longStrings.size >= 64) longStrings.delete(longStrings.keys().next().value!);
    longStrings.set(v, text);
  }
  return text;
}

/** The canonical text of `messages` when every message is `{ role, content: string }`, else `canonicalJson`. */
function messagesJson(v: unknown): string {
  if (!Array.isArray(v)) return canonicalJson(v);
  const parts: string[] = [];
  for (const m of v) {
    if (
      m === null || typeof m !== "object" || Object.keys(m).length !== 2 || typeof m.content !== "string" ||
      typeof m.role !== "string"
    ) return canonicalJson(v);
    parts.push(`{"content":${JSON.stringify(m.content)},"role":${JSON.stringify(m.role)}}`);
  }
  return `[${parts.join(",")}]`;
}
