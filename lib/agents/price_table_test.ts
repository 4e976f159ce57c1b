import assert from "node:assert/strict";
import { costUsd, priceOf, priceTable } from "./price_table.ts";
import { LlmConfigError } from "./llm_errors.ts";

Deno.test("priceTable: every model named in the brief, cache lines at 1.25x and 0.1x of input", () => {
  for (
    const m of [
      "claude-opus-4",
      "claude-opus-4-1",
      "claude-opus-4-5",
      "claude-sonnet-4",
      "claude-sonnet-4-5",
      "claude-haiku-4-5",
      "claude-3-5-haiku",
    ]
  ) {
    const p = priceTable[m]!;
    assert.ok(p, m);
    assert.ok(Math.abs(p.cacheWrite - 1.25 * p.input) < 1e-9, m);
    assert.ok(Math.abs(p.cacheRead - 0.1 * p.input) < 1e-9, m);
  }
});

Deno.test("costUsd: every token class, dated ids, overrides, unknown model", () => {
  const usage = { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 10_000, cacheWriteTokens: 2000 };
  // sonnet 4.5: 1000*3 + 500*15 + 10000*0.3 + 2000*3.75 = 3000 + 7500 + 3000 + 7500 = 21000 per 1e6
  assert.ok(Math.abs(costUsd("claude-sonnet-4-5", usage) - 0.021) < 1e-12);
  assert.ok(Math.abs(costUsd("claude-sonnet-4-5-20250929", usage, { batch: true }) - 0.0105) < 1e-12);
  const prices = { "claude-sonnet-4-5": { input: 1, output: 1, cacheWrite: 1, cacheRead: 1 } };
  assert.ok(Math.abs(costUsd("claude-sonnet-4-5", usage, { prices }) - 0.0135) < 1e-12);
  assert.throws(() => priceOf("claude-unknown-9"), (e: LlmConfigError) => {
    assert.equal(e.code, "unknown_model");
    assert.match(e.message, /claude-unknown-9.*prices/);
    return true;
  });
  assert.throws(() => priceOf("toString"), LlmConfigError); // no prototype lookups
});
