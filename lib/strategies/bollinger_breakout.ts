import { z } from "zod";
import { defineStrategy } from "./define_strategy.ts";
import { directContext } from "./direct_context.ts";
import type { Strategy } from "./strategy.ts";
import { bollingerRequests } from "./_requests.ts";

const params = z.object({
  period: z.number().int().min(2).max(1_000).default(20).describe("Bars in the moving average and deviation"),
  k: z.number().min(0.1).max(10).default(2).meta({
    description: "Band width in (population) standard deviations",
    step: 0.1,
  }),
});

/** Parameters of {@link bollingerBreakout}. */
export type BollingerBreakoutParams = z.output<typeof params>;

/**
 * **Bollinger breakout** (`bollinger_breakout`), a volatility breakout: a close above the upper
 * Bollinger band (the `period`-bar SMA plus `k` standard deviations) says the market broke out of
 * its recent range, so go long; close the long when the close falls back below the middle band
 * (the SMA). Shorts mirror it: short on a close below the lower band, cover on a close above
 * the middle band.
 *
 * - Entries are states, not crosses: every bar that closes above the upper band carries an
 *   entry, so a trade stopped out while the breakout holds is re-entered on the next such bar.
 *   The engine ignores an entry while the position is already open.
 * - Bands use the population deviation (TA-Lib, StockCharts, TradingView). They exist from bar
 *   `period - 1`, the first bar that can signal (`warmup = period - 1`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { bollingerBreakout } from "./bollinger_breakout.ts";
 * const close = Float64Array.of(10, 10, 10, 10, 13, 10, 9);
 * const frame = new Frame(Float64Array.from(close.keys()), { close });
 * // period 4, k 1: window 10,10,10,13 has mean 10.75, std 1.30 -> upper 12.05 < 13 (entry on bar 4);
 * // window 10,10,13,10 has the same mean, so bar 5's close of 10 is below the middle (exit)
 * const s = bollingerBreakout.signals(frame, { period: 4, k: 1 });
 * assert.deepEqual(s.kind === "signals" && [...s.entries], [0, 0, 0, 0, 1, 0, 0]);
 * assert.deepEqual(s.kind === "signals" && [...s.exits], [0, 0, 0, 0, 0, 1, 1]);
 * ```
 */
export const bollingerBreakout: Strategy<BollingerBreakoutParams> = defineStrategy({
  name: "bollinger_breakout",
  title: "Bollinger breakout",
  description: "Long on a close above the upper Bollinger band, out on a close below the middle band; shorts mirrored.",
  params,
  warmup: (p) => p.period - 1,
  indicators: (p) => Object.values(bollingerRequests(p.period, p.k)),
  signalLookback: () => 0,
  signals(frame, p, ctx = directContext(frame)) {
    const close = frame.close;
    const { upper: up, middle: mid, lower: lo } = bollingerRequests(p.period, p.k);
    const upper = ctx.indicator(up.key, up.compute);
    const middle = ctx.indicator(mid.key, mid.compute);
    const lower = ctx.indicator(lo.key, lo.compute);
    const n = close.length;
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    const shortEntries = new Uint8Array(n);
    const shortExits = new Uint8Array(n);
    // Comparisons with NaN are false, so warm-up and missing bars carry no signal.
    for (let i = 0; i < n; i++) {
      const c = close[i]!;
      const m = middle[i]!;
      entries[i] = c > upper[i]! ? 1 : 0;
      exits[i] = c < m ? 1 : 0;
      shortEntries[i] = c < lower[i]! ? 1 : 0;
      shortExits[i] = c > m ? 1 : 0;
    }
    return { kind: "signals", entries, exits, shortEntries, shortExits };
  },
});
