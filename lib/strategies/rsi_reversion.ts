import { z } from "zod";
import { crossedAbove, crossedBelow } from "../indicators/mod.ts";
import { defineStrategy } from "./define_strategy.ts";
import { directContext } from "./direct_context.ts";
import type { Strategy } from "./strategy.ts";
import { rsiRequest } from "./_requests.ts";
import { lessThan } from "./_rules.ts";

const params = z.object({
  period: z.number().int().min(2).max(1_000).default(14).describe("Bars in Wilder's RSI"),
  lower: z.number().min(0).max(100).default(30).meta({ description: "Oversold level", step: 1 }),
  upper: z.number().min(0).max(100).default(70).meta({ description: "Overbought level", step: 1 }),
  exit: z.enum(["opposite", "midline"]).default("opposite").describe(
    "Where a long exits: RSI crossing above the upper level (opposite) or above 50 (midline); shorts mirrored",
  ),
}).refine(...lessThan("lower", "upper")).refine((p) => p.exit !== "midline" || (p.lower < 50 && p.upper > 50), {
  path: ["exit"],
  error: (iss) => {
    const p = iss.input as Record<string, unknown>;
    return `exit "midline" needs lower < 50 < upper (got lower=${String(p.lower)}, upper=${String(p.upper)})`;
  },
});

/** Parameters of {@link rsiReversion}. */
export type RsiReversionParams = z.output<typeof params>;

/**
 * **RSI mean reversion** (`rsi_reversion`): buy the dip once it starts to recover. Go long when
 * Wilder's RSI of the close crosses back above the oversold level (`lower`, 30) after being at
 * or below it; close the long when RSI crosses above the overbought level (`upper`, 70) with
 * `exit: "opposite"`, or above 50 with `exit: "midline"` (take the reversion to the mean and
 * stop there). Shorts mirror it: short when RSI crosses back below `upper`, cover when it
 * crosses below `lower` (or below 50).
 *
 * - Entering on the cross back (not on the first bar below 30) avoids buying while the price
 *   is still falling; there is no stop in the rule itself, so use the engine's `stopLoss`.
 * - When RSI jumps through both the entry and the exit level in one bar (from 25 to 75, or to
 *   55 with `midline`), the move already happened: that bar carries the exit but no entry.
 * - RSI uses Wilder's smoothing seeded by the average of the first `period` changes, so its
 *   first value is at bar `period` and the first possible cross at `period + 1` (`warmup`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { rsiReversion } from "./rsi_reversion.ts";
 * const close = Float64Array.of(10, 9, 8, 9, 10, 11, 12);
 * const frame = new Frame(Float64Array.from(close.keys()), { close });
 * // RSI(2) from bar 2: 0, 50, 75, 87.5, 93.75 -> above 30 on bar 3, above 70 on bar 4
 * const s = rsiReversion.signals(frame, { period: 2, lower: 30, upper: 70, exit: "opposite" });
 * assert.deepEqual(s.kind === "signals" && [...s.entries], [0, 0, 0, 1, 0, 0, 0]);
 * assert.deepEqual(s.kind === "signals" && [...s.exits], [0, 0, 0, 0, 1, 0, 0]);
 * ```
 */
export const rsiReversion: Strategy<RsiReversionParams> = defineStrategy({
  name: "rsi_reversion",
  title: "RSI mean reversion",
  description:
    "Long when RSI crosses back above the oversold level, out when it crosses above the overbought level (or 50); shorts mirrored.",
  params,
  warmup: (p) => p.period + 1,
  indicators: (p) => [rsiRequest(p.period)],
  signalLookback: () => 1,
  signals(frame, p, ctx = directContext(frame)) {
    const req = rsiRequest(p.period);
    const r = ctx.indicator(req.key, req.compute);
    const entries = crossedAbove(r, p.lower);
    const exits = crossedAbove(r, p.exit === "midline" ? 50 : p.upper);
    const shortEntries = crossedBelow(r, p.upper);
    const shortExits = crossedBelow(r, p.exit === "midline" ? 50 : p.lower);
    // A jump through both levels in one bar means the reversion already happened: no entry.
    for (let i = 0; i < entries.length; i++) {
      if (exits[i] === 1) entries[i] = 0;
      if (shortExits[i] === 1) shortEntries[i] = 0;
    }
    return { kind: "signals", entries, exits, shortEntries, shortExits };
  },
});
