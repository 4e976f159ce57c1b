import type { AnyStrategy, PortfolioStrategy } from "./strategy.ts";

/**
 * Whether `s` is a multi-asset strategy (`kind: "portfolio"`, with `weights`) rather than a
 * single-asset one (with `signals`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPortfolioStrategy } from "./is_portfolio_strategy.ts";
 * import { momentumRotation } from "./momentum_rotation.ts";
 * import { smaCross } from "./sma_cross.ts";
 * assert.equal(isPortfolioStrategy(momentumRotation), true);
 * assert.equal(isPortfolioStrategy(smaCross), false);
 * ```
 */
export function isPortfolioStrategy(s: AnyStrategy): s is PortfolioStrategy<any> {
  return s.kind === "portfolio";
}
