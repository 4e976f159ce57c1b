import type { AnyStrategy } from "./strategy.ts";
import { checkDefinition } from "./_check_definition.ts";

/**
 * Strategies by name, for the CLI, the web lab, sweeps and manifests. The shared instance
 * with the built-in strategies is `registry`; `new StrategyRegistry()` makes a separate one
 * (for tests or a notebook that wants its own set).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { StrategyRegistry } from "./strategy_registry.ts";
 * import { smaCross } from "./sma_cross.ts";
 * const reg = new StrategyRegistry([smaCross]);
 * assert.equal(reg.get("sma_cross"), smaCross);
 * assert.throws(() => reg.get("sma_crossover"), /unknown strategy "sma_crossover"; known strategies are sma_cross/);
 * assert.throws(() => reg.register(smaCross), /already registered/);
 * ```
 */
export class StrategyRegistry {
  #byName = new Map<string, AnyStrategy>();

  constructor(strategies: Iterable<AnyStrategy> = []) {
    for (const s of strategies) this.register(s);
  }

  /** Adds `strategy`; a second strategy with the same name throws a RangeError. */
  register(strategy: AnyStrategy): void {
    checkDefinition(strategy);
    const existing = this.#byName.get(strategy.name);
    if (existing !== undefined) {
      throw new RangeError(
        `strategy ${JSON.stringify(strategy.name)} is already registered${
          existing === strategy ? "" : " by a different object"
        }; give the new one another name`,
      );
    }
    this.#byName.set(strategy.name, strategy);
  }

  /** The strategy called `name`; an unknown name throws a RangeError listing the known ones. */
  get(name: string): AnyStrategy {
    const s = this.#byName.get(name);
    if (s === undefined) {
      const known = [...this.#byName.keys()].sort();
      throw new RangeError(
        `unknown strategy ${JSON.stringify(name)}; known strategies are ${known.length ? known.join(", ") : "(none)"}`,
      );
    }
    return s;
  }

  /** Whether a strategy called `name` is registered. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Every registered strategy, sorted by name. */
  list(): AnyStrategy[] {
    return [...this.#byName.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }
}
