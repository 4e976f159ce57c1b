/** What {@link checkWarmup} needs of a strategy. */
export interface WarmupStrategy<P> {
  name: string;
  warmup(p: P): number;
}

/** Options of {@link checkWarmup}. */
export interface CheckWarmupOptions {
  /** The data's name for the message (`samples:SPX:1d`); default "the data". */
  series?: string;
}

/**
 * Refuses a run whose strategy cannot signal on the data: `strategy.warmup(params)` is the index
 * of the first bar that can carry a signal, so `bars` must be greater than it. A longer warm-up
 * would give a run with no trade that only looks like a result, so it is an error (a RangeError
 * naming the warm-up, the bar count and the fix) in every surface: runBacktest, the lab, the CLI.
 * Sweeps count such combinations as invalid instead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registry } from "../strategies/mod.ts";
 * import { checkWarmup } from "./check_warmup.ts";
 * const sma = registry.get("sma_cross");
 * checkWarmup(sma, { fast: 10, slow: 50 }, 5105);
 * assert.throws(
 *   () => checkWarmup(sma, { fast: 9999, slow: 10000 }, 5105, { series: "samples:SPX:1d" }),
 *   /needs 10000 bars of warm-up; samples:SPX:1d has 5105 bars: use a shorter period or more data/,
 * );
 * ```
 */
export function checkWarmup<P>(
  strategy: WarmupStrategy<P>,
  params: P,
  bars: number,
  options: CheckWarmupOptions = {},
): void {
  const message = warmupProblem(strategy, params, bars, options);
  if (message !== undefined) throw new RangeError(message);
}

/** The message {@link checkWarmup} would throw, or undefined when the data is long enough. */
export function warmupProblem<P>(
  strategy: WarmupStrategy<P>,
  params: P,
  bars: number,
  options: CheckWarmupOptions = {},
): string | undefined {
  const warmup = strategy.warmup(params);
  if (warmup < bars) return undefined;
  const described = Object.entries((params ?? {}) as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`)
    .join(", ");
  return `${strategy.name}${described ? ` with ${described}` : ""} needs ${warmup} bars of warm-up; ${
    options.series ?? "the data"
  } has ${bars} bars: use a shorter period or more data`;
}
