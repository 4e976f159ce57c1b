/**
 * The fake's model: a deterministic persona answer computed from the request, and the token counts of a request.
 */
import type { FakeAction } from "./_fake_anthropic_replies.ts";

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Tokens of a text the way the fake counts them: one per 4 characters, rounded up. */
export function tokensOf(chars: number): number {
  return Math.ceil(chars / 4);
}

/** The text of a message `content` (a string, or blocks whose `text` counts). */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let out = "";
  for (const block of content) if (isObject(block) && typeof block.text === "string") out += block.text;
  return out;
}

/** Characters counted as input, and the cached prefix when a block carries `cache_control`. */
export interface InputCount {
  /** Tokens of system plus messages. */
  tokens: number;
  /**
   * The prefix up to and including the last `cache_control` block of `system` (in API order: system, then
   * messages), as a key; null when nothing asks to be cached.
   */
  cacheKey: string | null;
  /** Tokens of that prefix. */
  cacheTokens: number;
}

/** Counts a Messages API body's input tokens and finds its cacheable prefix. */
export function countInput(body: Json): InputCount {
  // Segments in the order the API builds its cache prefix: system blocks, then message blocks.
  const segments: { text: string; cached: boolean }[] = [];
  if (typeof body.system === "string") segments.push({ text: body.system, cached: false });
  else if (Array.isArray(body.system)) {
    for (const b of body.system) {
      if (isObject(b)) segments.push({ text: contentText([b]), cached: isObject(b.cache_control) });
    }
  }
  if (Array.isArray(body.messages)) {
    for (const m of body.messages) {
      if (!isObject(m)) continue;
      if (typeof m.content === "string") segments.push({ text: m.content, cached: false });
      else if (Array.isArray(m.content)) {
        for (const b of m.content) {
          if (isObject(b)) segments.push({ text: contentText([b]), cached: isObject(b.cache_control) });
        }
      }
    }
  }
  let total = 0;
  for (const s of segments) total += s.text.length;
  const last = segments.findLastIndex((s) => s.cached);
  if (last < 0) return { tokens: tokensOf(total), cacheKey: null, cacheTokens: 0 };
  const prefix = segments.slice(0, last + 1).map((s) => s.text);
  const prefixChars = prefix.reduce((a, t) => a + t.length, 0);
  return {
    tokens: tokensOf(total),
    cacheKey: JSON.stringify([body.model ?? null, body.tools ?? null, prefix]),
    cacheTokens: tokensOf(prefixChars),
  };
}

/** Follows a local `#/$defs/...` (or `#/definitions/...`) reference of `root`. */
function deref(root: Json, node: unknown): unknown {
  if (!isObject(node) || typeof node.$ref !== "string" || !node.$ref.startsWith("#/")) return node;
  let at: unknown = root;
  for (const part of node.$ref.slice(2).split("/")) at = isObject(at) ? at[part] : undefined;
  return at;
}

/** The string enum at `schema.properties[array].items.properties[field]`, or []. */
function itemEnum(root: Json, array: string, field: string): string[] {
  const props = deref(root, root.properties);
  const arr = isObject(props) ? deref(root, props[array]) : undefined;
  const items = isObject(arr) ? deref(root, arr.items) : undefined;
  const itemProps = isObject(items) ? deref(root, items.properties) : undefined;
  const f = isObject(itemProps) ? deref(root, itemProps[field]) : undefined;
  const e = isObject(f) ? f.enum : undefined;
  return Array.isArray(e) ? e.filter((x): x is string => typeof x === "string") : [];
}

// `- <id> = <value>[ <unit>] | <label> | known <relative time>`
const FACT_LINE = /^- ([a-z][a-z0-9_]*) = (.*?) \| /;

/** The numeric facts of the user messages' fact lines, id -> the number as printed. */
export function parseFactLines(body: Json): Map<string, number> {
  const facts = new Map<string, number>();
  if (!Array.isArray(body.messages)) return facts;
  for (const m of body.messages) {
    if (!isObject(m) || m.role !== "user") continue;
    for (const line of contentText(m.content).split("\n")) {
      const hit = FACT_LINE.exec(line.trim());
      if (hit === null) continue;
      const value = Number((hit[2] ?? "").split(" ")[0]);
      if (Number.isFinite(value)) facts.set(hit[1]!, value);
    }
  }
  return facts;
}

/** The output schema a request asks for (`output_config.format.schema`, or the beta `output_format.schema`). */
export function outputSchema(body: Json): Json | null {
  const config = body.output_config;
  const format = isObject(config) ? config.format : body.output_format;
  return isObject(format) && isObject(format.schema) ? format.schema : null;
}

/**
 * The default persona answer: score = sum of the `ret_*` facts as printed; buy above 0.001, sell below -0.001,
 * else hold; confidence min(0.95, 0.5 + |score| * 10) to 2 decimals; the first two factor ids of the schema's enum
 * (weights summing to 1) and the first two enum fact ids found in the fact lines, cited with their printed value.
 */
export function agentDecision(
  body: Json,
  override: { action?: FakeAction; confidence?: number } = {},
): Json {
  const schema = outputSchema(body);
  const facts = parseFactLines(body);
  let score = 0;
  for (const [id, v] of facts) if (id.startsWith("ret_")) score += v;
  const derived: FakeAction = score > 0.001 ? "buy" : score < -0.001 ? "sell" : "hold";
  const action = override.action ?? derived;
  const confidence = override.confidence ?? Math.round(Math.min(0.95, 0.5 + Math.abs(score) * 10) * 100) / 100;
  const direction = action === "buy" ? "bullish" : action === "sell" ? "bearish" : "neutral";
  const factorEnum = schema === null ? [] : itemEnum(schema, "factors", "id");
  const factorIds = factorEnum.length > 0 ? factorEnum.slice(0, 2) : ["signal"];
  const factEnum = schema === null ? [] : itemEnum(schema, "citations", "fact");
  // Without an enum any printed fact is a citation the prompt can back.
  const candidates = factEnum.length > 0 ? factEnum : [...facts.keys()];
  const cited = candidates.filter((id) => facts.has(id)).slice(0, 2);
  return {
    situation: `Returns sum to ${score} over the facts shown.`,
    signals: `Factors ${factorIds.join(", ")} read ${direction}.`,
    synthesis: `The fake weighs its factors equally: ${action}.`,
    action,
    confidence,
    factors: factorIds.map((id) => ({ id, direction, weight: 1 / factorIds.length })),
    citations: cited.map((fact) => ({ fact, value: facts.get(fact)! })),
    reasoning: "Deterministic answer of the fake Anthropic API: the sign of the summed returns.",
    riskAssessment: "The fake does not assess risk.",
    invalidationLevel: null,
  };
}
