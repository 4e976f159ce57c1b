import { canonicalJson } from "../types/mod.ts";
import type { LlmRequest } from "./llm_gateway.ts";
import { priceOf, type PriceTable } from "./price_table.ts";
import { lazyClient, type LlmClientOptions, scrubKey } from "./_gateway_client.ts";
import { messageParams } from "./_gateway_wire.ts";

/** Options of {@link countTokensEstimate}. */
export interface CountTokensEstimateOptions extends LlmClientOptions {
  /** Price overrides (as the gateway's). */
  prices?: PriceTable;
  /** Requests counted exactly per request shape (model, system, schema, parameters), evenly spread. Default 3. */
  sample?: number;
  /** Output tokens expected per request. Default each request's `maxTokens` (the worst case). */
  outputTokens?: number;
}

/** A backtest's cost before it starts. */
export interface CountTokensEstimate {
  requests: number;
  /** Distinct request shapes (model, system prompt, output schema, parameters). */
  shapes: number;
  /** `countTokens` calls made. */
  counted: number;
  /** Input tokens: counted for the sampled requests, scaled by characters for the others. */
  inputTokens: number;
  outputTokens: number;
  /** USD with every input token at the base input price (no prompt caching). */
  costUsd: number;
  /** USD if each shape's system prompt is written to the cache once and read by the shape's other requests. */
  cachedCostUsd: number;
}

/**
 * The `countTokens` preflight: asks `messages.countTokens` (free, not billed as a call) for a sample of each
 * request shape, scales the tokens per character of the sample to the shape's other requests, and prices the whole
 * set, so a run's cost is known (and checked against `--llm-budget`) before the first call.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countTokensEstimate } from "./count_tokens_estimate.ts";
 * const none = await countTokensEstimate({ apiKey: "unused" }, []);
 * assert.deepEqual(none, { requests: 0, shapes: 0, counted: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, cachedCostUsd: 0 });
 * ```
 */
export async function countTokensEstimate(
  options: CountTokensEstimateOptions,
  requests: readonly LlmRequest[],
): Promise<CountTokensEstimate> {
  const sample = options.sample ?? 3;
  if (!Number.isInteger(sample) || sample < 1) {
    throw new RangeError(`countTokensEstimate: sample ${sample} must be an integer of 1 or more`);
  }
  const shapes = new Map<string, LlmRequest[]>();
  for (const r of requests) {
    const key = canonicalJson({ m: r.model, s: r.system, o: r.outputSchema, t: r.temperature, x: r.maxTokens });
    const list = shapes.get(key);
    if (list) list.push(r);
    else shapes.set(key, [r]);
  }
  const client = lazyClient(options);
  let counted = 0, inputTokens = 0, outputTokens = 0, costUsd = 0, cachedCostUsd = 0;
  for (const list of shapes.values()) {
    const first = list[0]!;
    const p = priceOf(first.model, options.prices);
    const picks = new Set<number>();
    const n = Math.min(sample, list.length);
    for (let k = 0; k < n; k++) picks.add(Math.floor((k * list.length) / n));
    let sampleTokens = 0, sampleChars = 0, shapeTokens = 0;
    const exact = new Map<number, number>();
    for (const i of picks) {
      const req = list[i]!;
      const { model, system, messages, output_config } = messageParams(req);
      let tokens: number;
      try {
        const { client: c } = await client.get();
        tokens = (await c.messages.countTokens({ model, system, messages, output_config })).input_tokens;
      } catch (e) {
        throw scrubKey(e, client.key());
      }
      counted++;
      exact.set(i, tokens);
      sampleTokens += tokens;
      sampleChars += charsOf(req);
    }
    const perChar = sampleChars === 0 ? 0 : sampleTokens / sampleChars;
    for (let i = 0; i < list.length; i++) shapeTokens += exact.get(i) ?? Math.ceil(charsOf(list[i]!) * perChar);
    const out = list.reduce((s, r) => s + (options.outputTokens ?? r.maxTokens), 0);
    inputTokens += shapeTokens;
    outputTokens += out;
    costUsd += (shapeTokens * p.input + out * p.output) / 1e6;
    // The system prompt's share of each request, written once and read by the shape's other requests.
    const systemTokens = Math.min(Math.ceil(first.system.length * perChar), Math.floor(shapeTokens / list.length));
    const rest = shapeTokens - systemTokens * list.length;
    cachedCostUsd += (rest * p.input + systemTokens * p.cacheWrite + systemTokens * (list.length - 1) * p.cacheRead +
      out * p.output) / 1e6;
  }
  return { requests: requests.length, shapes: shapes.size, counted, inputTokens, outputTokens, costUsd, cachedCostUsd };
}

function charsOf(r: LlmRequest): number {
  let chars = r.system.length + JSON.stringify(r.outputSchema).length;
  for (const m of r.messages) chars += m.content.length;
  return chars;
}
