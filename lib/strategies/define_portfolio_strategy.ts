import type { PortfolioStrategy } from "./strategy.ts";
import { checkDefinition } from "./_check_definition.ts";

/**
 * Declares a multi-asset strategy (target weights per asset) with the same checks as
 * {@link defineStrategy}; `kind` is set to `"portfolio"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { definePortfolioStrategy } from "./define_portfolio_strategy.ts";
 * const equal = definePortfolioStrategy({
 *   name: "equal_weight",
 *   title: "Equal weight",
 *   description: "Holds every asset at the same weight from the first bar on.",
 *   params: z.object({}),
 *   warmup: () => 0,
 *   weights(frames) {
 *     const names = Object.keys(frames);
 *     return Object.fromEntries(names.map((a) => {
 *       const w = new Float64Array(frames[a]!.length).fill(NaN);
 *       if (w.length > 0) w[0] = 1 / names.length;
 *       return [a, { kind: "weights" as const, weights: w }];
 *     }));
 *   },
 * });
 * assert.equal(equal.kind, "portfolio");
 * ```
 */
export function definePortfolioStrategy<P>(
  definition: Omit<PortfolioStrategy<P>, "kind"> & { kind?: "portfolio" },
): PortfolioStrategy<P> {
  const s: PortfolioStrategy<P> = { ...definition, kind: "portfolio" };
  checkDefinition(s);
  return Object.freeze(s);
}
