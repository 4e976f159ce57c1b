import { checkPeriodsPerYear } from "./_private.ts";
import type { AnnualizationOptions } from "./options.ts";

/** Options of {@link turnover}. */
export interface TurnoverOptions extends AnnualizationOptions {
  /** Total traded notional (|size × price| over every fill, buys and sells) in quote currency. */
  tradedNotional: number;
}

/**
 * Annualized turnover: traded notional over mean equity, per year
 * (`tradedNotional / mean(equity) / years`, `years = (n - 1) / periodsPerYear` for n bars).
 * Both legs count: buying the whole book and selling it again within a year is a turnover of 2.
 * NaN with fewer than two bars or a non-positive mean equity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { turnover } from "./turnover.ts";
 * // 3 bars at 1 000 over 2 of 365 bars a year; 2 000 traded -> 2 / (2 / 365) = 365 per year
 * assert.equal(turnover(new Float64Array([1000, 1000, 1000]), { tradedNotional: 2000, periodsPerYear: 365 }), 365);
 * ```
 */
export function turnover(equity: Float64Array, options: TurnoverOptions): number {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "turnover");
  const notional = options.tradedNotional;
  if (!(notional >= 0) || !Number.isFinite(notional)) {
    throw new RangeError(`turnover: tradedNotional must be a finite number >= 0, got ${notional}`);
  }
  let n = 0;
  let s = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e === e) {
      s += e;
      n++;
    }
  }
  if (equity.length < 2 || !(s > 0)) return NaN;
  const years = (equity.length - 1) / ppy;
  return notional / (s / n) / years;
}
