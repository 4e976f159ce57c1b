import { z } from "zod";
import { defineStrategy } from "./define_strategy.ts";
import { directContext } from "./direct_context.ts";
import type { Strategy } from "./strategy.ts";
import { smaRequest } from "./_requests.ts";
import { crossSignals } from "./_signals.ts";
import { lessThan } from "./_rules.ts";

const params = z.object({
  fast: z.number().int().min(1).max(10_000).default(10).describe("Bars in the fast simple moving average"),
  slow: z.number().int().min(2).max(10_000).default(30).describe("Bars in the slow simple moving average"),
}).refine(...lessThan("fast", "slow"));

/** Parameters of {@link smaCross}. */
export type SmaCrossParams = z.output<typeof params>;

/**
 * **SMA crossover** (`sma_cross`), the classic trend follower: go long when the fast simple
 * moving average of the close crosses above the slow one (the "golden cross" on 50/200 daily),
 * close the long when it crosses back below. Shorts mirror it: a cross below opens a short,
 * a cross above closes it; the engine's `direction` decides which side is traded.
 *
 * - A cross on bar t means `fast > slow` on t and `fast <= slow` on t-1, both defined, read
 *   at bar t's close; with `fill: "next_open"` the order fills at bar t+1's open.
 * - `fast: 1` makes the fast average the close itself (price crosses its moving average).
 * - No signal until the slow average has two values: `warmup = slow` bars.
 * - It carries the {@link CrossoverHint}, so sweeps run it through the fused kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { smaCross } from "./sma_cross.ts";
 * const close = Float64Array.of(5, 4, 3, 4, 5, 6, 5, 4, 3);
 * const frame = new Frame(Float64Array.from(close.keys()), { close });
 * const s = smaCross.signals(frame, { fast: 1, slow: 3 });
 * assert.equal(s.kind, "signals");
 * // SMA3 from bar 2: 4, 3.67, 4, 5, 5.33, 5, 4; the close crosses above it on bar 3 and below on bar 6
 * assert.deepEqual(s.kind === "signals" && [...s.entries], [0, 0, 0, 1, 0, 0, 0, 0, 0]);
 * assert.deepEqual(s.kind === "signals" && [...s.exits], [0, 0, 0, 0, 0, 0, 1, 0, 0]);
 * ```
 */
export const smaCross: Strategy<SmaCrossParams> = defineStrategy({
  name: "sma_cross",
  title: "SMA crossover",
  description:
    "Long when the fast simple moving average crosses above the slow one, out (or short) when it crosses below.",
  params,
  warmup: (p) => p.slow,
  indicators: (p) => [smaRequest(p.fast), smaRequest(p.slow)],
  signalLookback: () => 1,
  crossover: (p) => ({ fast: smaRequest(p.fast), slow: smaRequest(p.slow) }),
  signals(frame, p, ctx = directContext(frame)) {
    const fast = smaRequest(p.fast);
    const slow = smaRequest(p.slow);
    return crossSignals(ctx.indicator(fast.key, fast.compute), ctx.indicator(slow.key, slow.compute));
  },
});
