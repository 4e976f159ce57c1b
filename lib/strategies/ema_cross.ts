import { z } from "zod";
import { defineStrategy } from "./define_strategy.ts";
import { directContext } from "./direct_context.ts";
import type { Strategy } from "./strategy.ts";
import { emaRequest } from "./_requests.ts";
import { crossSignals } from "./_signals.ts";
import { lessThan } from "./_rules.ts";

const params = z.object({
  fast: z.number().int().min(1).max(10_000).default(12).describe("Bars in the fast exponential moving average"),
  slow: z.number().int().min(2).max(10_000).default(26).describe("Bars in the slow exponential moving average"),
}).refine(...lessThan("fast", "slow"));

/** Parameters of {@link emaCross}. */
export type EmaCrossParams = z.output<typeof params>;

/**
 * **EMA crossover** (`ema_cross`): the SMA crossover with exponential averages, which react
 * faster to recent prices. Long when the fast EMA of the close crosses above the slow EMA, out
 * when it crosses below; shorts mirrored (the engine's `direction` decides what is traded).
 *
 * - EMAs use `alpha = 2 / (period + 1)` and are seeded with the SMA of their first `period`
 *   closes (TA-Lib, StockCharts), so the slow EMA starts at bar `slow - 1` and the first
 *   possible cross is bar `slow` (`warmup = slow`).
 * - It carries the {@link CrossoverHint}, so sweeps run it through the fused kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { emaCross } from "./ema_cross.ts";
 * const close = Float64Array.of(3, 3, 3, 6, 2);
 * const frame = new Frame(Float64Array.from(close.keys()), { close });
 * // EMA2 (alpha 2/3): 3, 3, 5, 3; EMA3 (alpha 1/2) from bar 2: 3, 4.5, 3.25
 * const s = emaCross.signals(frame, { fast: 2, slow: 3 });
 * assert.deepEqual(s.kind === "signals" && [...s.entries], [0, 0, 0, 1, 0]);
 * assert.deepEqual(s.kind === "signals" && [...s.exits], [0, 0, 0, 0, 1]);
 * ```
 */
export const emaCross: Strategy<EmaCrossParams> = defineStrategy({
  name: "ema_cross",
  title: "EMA crossover",
  description:
    "Long when the fast exponential moving average crosses above the slow one, out (or short) when it crosses below.",
  params,
  warmup: (p) => p.slow,
  indicators: (p) => [emaRequest(p.fast), emaRequest(p.slow)],
  signalLookback: () => 1,
  crossover: (p) => ({ fast: emaRequest(p.fast), slow: emaRequest(p.slow) }),
  signals(frame, p, ctx = directContext(frame)) {
    const fast = emaRequest(p.fast);
    const slow = emaRequest(p.slow);
    return crossSignals(ctx.indicator(fast.key, fast.compute), ctx.indicator(slow.key, slow.compute));
  },
});
