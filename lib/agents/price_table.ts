import { LlmConfigError } from "./llm_errors.ts";
import type { LlmUsage } from "./outcome.ts";

/** A model's prices in USD per million tokens. */
export interface ModelPrice {
  /** Base (uncached) input tokens. */
  input: number;
  /** Output tokens. */
  output: number;
  /** Prompt-cache writes with the default 5-minute lifetime (1.25 x input). */
  cacheWrite: number;
  /** Prompt-cache hits and refreshes (0.1 x input). */
  cacheRead: number;
}

/** Prices by model id; a config file can override or add entries (`LlmGatewayOptions.prices`). */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Anthropic's public list prices (platform.claude.com/docs/en/about-claude/pricing, read for this table), USD per
 * million tokens. Dated ids (`claude-sonnet-4-5-20250929`) and `-latest` aliases resolve to their family entry.
 * Message Batches cost half of every line ({@link BATCH_DISCOUNT}).
 */
export const priceTable: PriceTable = Object.freeze({
  "claude-opus-4": { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  "claude-opus-4-1": { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
  "claude-opus-4-5": { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  "claude-sonnet-4": { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  "claude-sonnet-4-5": { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  "claude-haiku-4-5": { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  "claude-3-5-haiku": { input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 },
});

/** The Message Batches price factor: every token class costs half. */
export const BATCH_DISCOUNT = 0.5;

/**
 * The price of `model`: from `prices` (overrides) first, then {@link priceTable}; a dated id or a `-latest` alias
 * falls back to its family. An unknown model is an {@link LlmConfigError} naming it and the fix, so a run never
 * reports a cost of zero for a model nobody priced.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { priceOf } from "./price_table.ts";
 * assert.equal(priceOf("claude-sonnet-4-5-20250929").output, 15);
 * assert.equal(priceOf("my-model", { "my-model": { input: 1, output: 2, cacheWrite: 1.25, cacheRead: 0.1 } }).output, 2);
 * assert.throws(() => priceOf("gpt-9"), /gpt-9/);
 * ```
 */
export function priceOf(model: string, prices?: PriceTable): ModelPrice {
  const family = model.replace(/-(\d{8}|latest)$/, "");
  const p = (prices && (own(prices, model) ?? own(prices, family))) ?? own(priceTable, model) ??
    own(priceTable, family);
  if (p === undefined) {
    const known = [...new Set([...Object.keys(prices ?? {}), ...Object.keys(priceTable)])].sort().join(", ");
    throw new LlmConfigError(
      "unknown_model",
      `no price for model ${JSON.stringify(model)}: add it to the agents config's prices (USD per million tokens: ` +
        `input, output, cacheWrite, cacheRead) or use one of ${known}`,
    );
  }
  return p;
}

/** Options of {@link costUsd}. */
export interface CostOptions {
  /** Price overrides (as {@link priceOf}). */
  prices?: PriceTable;
  /** A Message Batches call: {@link BATCH_DISCOUNT} applies. */
  batch?: boolean;
}

/**
 * The USD price of one call's usage: each token class at its rate, halved for a batch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { costUsd } from "./price_table.ts";
 * const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
 * assert.equal(costUsd("claude-haiku-4-5", usage), 1.5);
 * assert.equal(costUsd("claude-haiku-4-5", usage, { batch: true }), 0.75);
 * ```
 */
export function costUsd(model: string, usage: LlmUsage, options: CostOptions = {}): number {
  const p = priceOf(model, options.prices);
  const dollars = (usage.inputTokens * p.input + usage.outputTokens * p.output +
    usage.cacheWriteTokens * p.cacheWrite + usage.cacheReadTokens * p.cacheRead) / 1e6;
  return options.batch ? dollars * BATCH_DISCOUNT : dollars;
}

function own(table: PriceTable, key: string): ModelPrice | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
