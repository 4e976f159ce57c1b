import { z } from "zod";
import type { AnyStrategy } from "./strategy.ts";

/**
 * A sha256 (hex) of a strategy's code for the backtest manifest: its name, kind and `version`,
 * the source text of `signals` or `weights`, `warmup`, `indicators`, `crossover` and `prepare`, the JSON
 * Schema of its params (defaults and ranges) and the source of the params' refinements.
 *
 * Two runs with the same hash ran the same strategy code, as far as this object can see:
 * helper functions it calls are not included, so bump `version` when one of them changes.
 * Source text comes from `Function.prototype.toString`, so reformatting changes the hash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strategyCodeHash } from "./strategy_code_hash.ts";
 * import { emaCross } from "./ema_cross.ts";
 * import { smaCross } from "./sma_cross.ts";
 * const a = await strategyCodeHash(smaCross);
 * assert.match(a, /^[0-9a-f]{64}$/);
 * assert.equal(a, await strategyCodeHash(smaCross));
 * assert.notEqual(a, await strategyCodeHash(emaCross));
 * ```
 */
export async function strategyCodeHash(strategy: AnyStrategy): Promise<string> {
  const s = strategy as unknown as Record<string, unknown>;
  const source = (key: string): string => {
    const f = s[key];
    return typeof f === "function" ? f.toString() : "";
  };
  const parts = [
    `name:${strategy.name}`,
    `kind:${strategy.kind ?? "single"}`,
    `version:${strategy.version ?? ""}`,
    `signals:${source("signals")}`,
    `weights:${source("weights")}`,
    `warmup:${source("warmup")}`,
    `indicators:${source("indicators")}`,
    `crossover:${source("crossover")}`,
    // Only when present, so the hashes of strategies without the hook stay what they were.
    ...(typeof s.prepare === "function" ? [`prepare:${source("prepare")}`] : []),
    `params:${JSON.stringify(z.toJSONSchema(strategy.params, { io: "input" }))}`,
    `refine:${refinements(strategy.params).join("\n")}`,
  ];
  const bytes = new TextEncoder().encode(parts.join("\n\u0000"));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}

// Cross-field rules (refine) are invisible to JSON Schema; their function source is the next best thing.
function refinements(schema: z.ZodType): string[] {
  const checks = (schema as unknown as { _zod?: { def?: { checks?: unknown[] } } })._zod?.def?.checks ?? [];
  const out: string[] = [];
  for (const c of checks) {
    const fn = (c as { _zod?: { def?: { fn?: unknown } } })._zod?.def?.fn;
    if (typeof fn === "function") out.push(fn.toString());
  }
  return out;
}
