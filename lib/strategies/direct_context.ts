import type { Frame } from "../frame/mod.ts";
import type { StrategyContext } from "./strategy.ts";

/**
 * The context `signals` uses when none is passed: each request is computed on the spot,
 * nothing is kept. Write `signals(frame, p, ctx = directContext(frame))`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { directContext } from "./direct_context.ts";
 * const frame = new Frame(new Float64Array(2), { close: Float64Array.of(1, 2) });
 * const ctx = directContext(frame);
 * assert.deepEqual([...ctx.indicator("neg:close", (f) => f.close.map((x) => -x))], [-1, -2]);
 * ```
 */
export function directContext(frame: Frame): StrategyContext {
  return { indicator: (_key, compute) => compute(frame) };
}
