import { z } from "zod";
import { macdWarmup } from "../indicators/mod.ts";
import { defineStrategy } from "./define_strategy.ts";
import { directContext } from "./direct_context.ts";
import type { Strategy } from "./strategy.ts";
import { macdRequests } from "./_requests.ts";
import { crossSignals } from "./_signals.ts";
import { lessThan } from "./_rules.ts";

const params = z.object({
  fast: z.number().int().min(1).max(1_000).default(12).describe("Bars in the fast EMA of the MACD line"),
  slow: z.number().int().min(2).max(1_000).default(26).describe("Bars in the slow EMA of the MACD line"),
  signal: z.number().int().min(1).max(1_000).default(9).describe("Bars in the EMA of the MACD line (signal line)"),
}).refine(...lessThan("fast", "slow"));

/** Parameters of {@link macdCross}. */
export type MacdCrossParams = z.output<typeof params>;

/**
 * **MACD signal-line cross** (registry name `macd`): momentum turning up. The MACD line is
 * EMA(fast) minus EMA(slow) of the close (12/26 by default); its signal line is an EMA of the
 * MACD line (9). Go long when the MACD line crosses above its signal line (the histogram turns
 * positive), close the long when it crosses back below; shorts mirrored.
 *
 * - EMAs are seeded by the SMA of their first values (StockCharts), so the signal line starts
 *   at bar `slow + signal - 2` and the first possible cross is `slow + signal - 1` (`warmup`).
 * - It carries the {@link CrossoverHint} (fast = MACD line, slow = signal line), so sweeps run
 *   it through the fused kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { macdCross } from "./macd_cross.ts";
 * const close = Float64Array.of(10, 10, 10, 10, 12, 8);
 * const frame = new Frame(Float64Array.from(close.keys()), { close });
 * // fast 1 / slow 2 / signal 2: the MACD line (close - EMA2) from bar 1 is 0, 0, 0, 2/3, -10/9;
 * // the signal line (EMA2 of it, SMA seed) from bar 2 is 0, 0, 4/9, -16/27
 * const s = macdCross.signals(frame, { fast: 1, slow: 2, signal: 2 });
 * assert.deepEqual(s.kind === "signals" && [...s.entries], [0, 0, 0, 0, 1, 0]);
 * assert.deepEqual(s.kind === "signals" && [...s.exits], [0, 0, 0, 0, 0, 1]);
 * ```
 */
export const macdCross: Strategy<MacdCrossParams> = defineStrategy({
  name: "macd",
  title: "MACD signal-line cross",
  description: "Long when the MACD line crosses above its signal line, out (or short) when it crosses below.",
  params,
  warmup: (p) => macdWarmup({ slow: p.slow, signal: p.signal }).signal + 1,
  indicators: (p) => Object.values(macdRequests(p.fast, p.slow, p.signal)),
  signalLookback: () => 1,
  crossover: (p) => {
    const r = macdRequests(p.fast, p.slow, p.signal);
    return { fast: r.macd, slow: r.signal };
  },
  signals(frame, p, ctx = directContext(frame)) {
    const { macd: line, signal } = macdRequests(p.fast, p.slow, p.signal);
    return crossSignals(ctx.indicator(line.key, line.compute), ctx.indicator(signal.key, signal.compute));
  },
});
