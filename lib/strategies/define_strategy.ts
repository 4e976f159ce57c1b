import type { Strategy } from "./strategy.ts";
import { checkDefinition } from "./_check_definition.ts";

/**
 * Declares a single-asset strategy with its parameter type inferred from the zod schema, and
 * checks the definition: a snake_case name, a title and description, a `z.object` of fields
 * that each have a default (numbers, booleans or enums), defaults that validate, and a
 * non-negative integer `warmup` for them. Throws a TypeError naming the problem.
 *
 * `signals` should get its series through `ctx.indicator(key, compute)` so sweeps can share them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { crossedAbove, crossedBelow, sma } from "../indicators/mod.ts";
 * import { Frame } from "../frame/mod.ts";
 * import { defineStrategy } from "./define_strategy.ts";
 * import { directContext } from "./direct_context.ts";
 * const priceCross = defineStrategy({
 *   name: "price_cross",
 *   title: "Price crosses SMA",
 *   description: "Long when the close crosses above its moving average, out when it crosses below.",
 *   params: z.object({ period: z.number().int().min(2).max(500).default(20) }),
 *   warmup: (p) => p.period,
 *   signals(frame, p, ctx = directContext(frame)) {
 *     const avg = ctx.indicator(`sma:close:${p.period}`, (f) => sma(f.close, p.period));
 *     return { kind: "signals", entries: crossedAbove(frame.close, avg), exits: crossedBelow(frame.close, avg) };
 *   },
 * });
 * const frame = new Frame(new Float64Array(4), { close: Float64Array.of(3, 1, 1, 3) });
 * const s = priceCross.signals(frame, { period: 2 });
 * assert.deepEqual(s.kind === "signals" && [...s.entries], [0, 0, 0, 1]);
 * ```
 */
export function defineStrategy<P>(definition: Strategy<P>): Strategy<P> {
  const s: Strategy<P> = { ...definition, kind: "single" };
  checkDefinition(s);
  return Object.freeze(s);
}
