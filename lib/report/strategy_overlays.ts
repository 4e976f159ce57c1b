import type { Frame } from "../frame/mod.ts";
import type { PriceOverlay } from "../plots/mod.ts";
import { registry as defaultRegistry, type Strategy, type StrategyRegistry } from "../strategies/mod.ts";

/** Options of {@link strategyOverlays}. */
export interface StrategyOverlaysOptions {
  /** Where to look the strategy up. Default: lib/strategies' shared registry. */
  registry?: StrategyRegistry;
}

/**
 * The strategy's price-scale indicator lines (moving averages, bands on the close) for the
 * price figure, computed on `frame` with `params`. Overlays are decoration: an unknown or
 * portfolio strategy, or one whose indicators cannot be computed, gives none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { strategyOverlays } from "./strategy_overlays.ts";
 * const close = Float64Array.from({ length: 20 }, (_, i) => 10 + i);
 * const frame = new Frame(Float64Array.from(close, (_, i) => i * 60_000), { open: close, high: close, low: close, close, volume: close });
 * const lines = strategyOverlays("sma_cross", { fast: 2, slow: 5 }, frame);
 * assert.deepEqual(lines.map((l) => l.name), ["sma:close:2", "sma:close:5"]);
 * ```
 */
export function strategyOverlays(
  strategy: string,
  params: Record<string, unknown>,
  frame: Frame,
  options: StrategyOverlaysOptions = {},
): PriceOverlay[] {
  const reg = options.registry ?? defaultRegistry;
  const s = reg.has(strategy) ? reg.get(strategy) : undefined;
  if (s === undefined || s.kind === "portfolio") return [];
  const out: PriceOverlay[] = [];
  try {
    const single = s as Strategy<unknown>;
    const p = single.params.parse(params);
    for (const req of single.indicators?.(p) ?? []) {
      if (/^(sma|ema|wma|bollinger):close:/.test(req.key)) out.push({ name: req.key, values: req.compute(frame) });
    }
  } catch {
    return [];
  }
  return out;
}
