import { z } from "zod";
import type { Frame } from "../frame/mod.ts";
import type { WeightSet } from "../types/mod.ts";
import { definePortfolioStrategy } from "./define_portfolio_strategy.ts";
import type { PortfolioStrategy } from "./strategy.ts";

const params = z.object({
  lookback: z.number().int().min(1).max(10_000).default(20).describe("Bars over which the trailing return is measured"),
  k: z.number().int().min(1).max(100).default(1).describe("How many of the best assets to hold (top k)"),
  every: z.number().int().min(1).max(10_000).default(5).describe("Rebalance every this many bars"),
  weight: z.number().min(0).max(1).default(0).meta({
    description: "Target weight of each held asset; 0 means equal weight 1/k",
    step: 0.05,
  }),
}).refine((p) => p.k * p.weight <= 1 + 1e-12, {
  path: ["weight"],
  error: (iss) => {
    const p = iss.input as Record<string, unknown>;
    return `k * weight must be <= 1 (got k=${String(p.k)}, weight=${
      String(p.weight)
    }): that would invest more than the equity`;
  },
});

/** Parameters of {@link momentumRotation}. */
export type MomentumRotationParams = z.output<typeof params>;

/**
 * **Momentum rotation** (`momentum_rotation`), a cross-sectional momentum portfolio: every
 * `every` bars, rank the assets by their trailing return over `lookback` bars
 * (`close[t] / close[t - lookback] - 1`), hold the best `k` at `weight` each (1/k when
 * `weight` is 0) and sell the rest (weight 0). Between rebalances the weights are NaN
 * ("hold"), so the engine trades only on rebalance bars.
 *
 * - Rebalance bars are `t = lookback, lookback + every, lookback + 2 * every, ...`; the first
 *   one is the first bar with a trailing return (`warmup = lookback`).
 * - An asset whose return is undefined on a rebalance bar (a missing or non-positive close
 *   then or `lookback` bars before) cannot be picked and gets weight 0. With fewer than `k`
 *   rankable assets the others' share stays in cash.
 * - Relative momentum: the best `k` are held even when their returns are negative (add an
 *   absolute-momentum filter in your own strategy if cash should win then).
 * - Ties go to the asset listed first in `frames`, so results never depend on chance.
 * - Frames must be aligned on one timeline: the same `ts` in every frame, with NaN rows where
 *   an asset has no bar; a mismatch throws a RangeError naming the asset and the bar.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { momentumRotation } from "./momentum_rotation.ts";
 * const ts = Float64Array.of(0, 1, 2, 3);
 * const frames = {
 *   btc: new Frame(ts, { close: Float64Array.of(100, 110, 120, 110) }),
 *   eth: new Frame(ts, { close: Float64Array.of(10, 10, 13, 15) }),
 * };
 * // lookback 1, every 1: returns on bar 1 are btc +10%, eth 0%; bar 2 btc +9.1%, eth +30%; bar 3 btc -8.3%, eth +15.4%
 * const w = momentumRotation.weights(frames, { lookback: 1, k: 1, every: 1, weight: 0 });
 * assert.deepEqual([...w.btc!.weights], [NaN, 1, 0, 0]);
 * assert.deepEqual([...w.eth!.weights], [NaN, 0, 1, 1]);
 * ```
 */
export const momentumRotation: PortfolioStrategy<MomentumRotationParams> = definePortfolioStrategy({
  name: "momentum_rotation",
  title: "Momentum rotation",
  description: "Every few bars, holds the k assets with the best trailing return at equal weight and sells the rest.",
  params,
  warmup: (p) => p.lookback,
  weights(frames, p) {
    const names = Object.keys(frames);
    if (names.length === 0) {
      throw new RangeError("momentum_rotation needs at least one asset, got an empty frames record");
    }
    const closes = names.map((a) => frames[a]!.close);
    checkAligned(frames, names);
    const n = closes[0]!.length;
    const m = names.length;
    const w = p.weight > 0 ? p.weight : 1 / p.k;
    const out = names.map(() => new Float64Array(n).fill(NaN));
    const ret = new Float64Array(m);
    const picked = new Uint8Array(m);
    for (let t = p.lookback; t < n; t += p.every) {
      for (let j = 0; j < m; j++) {
        const c = closes[j]!;
        const now = c[t]!;
        const then = c[t - p.lookback]!;
        // A non-positive or missing price has no meaningful return; NaN keeps it out of the ranking.
        ret[j] = now > 0 && then > 0 && now - now === 0 && then - then === 0 ? now / then - 1 : NaN;
        picked[j] = 0;
        out[j]![t] = 0;
      }
      for (let r = 0; r < p.k; r++) {
        let best = -1;
        for (let j = 0; j < m; j++) {
          const x = ret[j]!;
          if (picked[j] === 0 && x === x && (best < 0 || x > ret[best]!)) best = j;
        }
        if (best < 0) break;
        picked[best] = 1;
        out[best]![t] = w;
      }
    }
    const result: Record<string, WeightSet> = {};
    for (let j = 0; j < m; j++) result[names[j]!] = { kind: "weights", weights: out[j]! };
    return result;
  },
});

function checkAligned(frames: Readonly<Record<string, Frame>>, names: string[]): void {
  const first = frames[names[0]!]!;
  for (const a of names.slice(1)) {
    const f = frames[a]!;
    if (f.length !== first.length) {
      throw new RangeError(
        `momentum_rotation: frame ${JSON.stringify(a)} has ${f.length} bars but ${
          JSON.stringify(names[0])
        } has ${first.length}; align the frames on one timeline first`,
      );
    }
    for (let i = 0; i < f.length; i++) {
      if (f.ts[i] !== first.ts[i]) {
        throw new RangeError(
          `momentum_rotation: frame ${JSON.stringify(a)} has ts ${f.ts[i]} at bar ${i} but ${
            JSON.stringify(names[0])
          } has ${first.ts[i]}; align the frames on one timeline first`,
        );
      }
    }
  }
}
