import type { Trade } from "../types/mod.ts";
import { checkPeriodsPerYear, riskFreePerPeriod } from "./_private.ts";
import { type CoreStats, coreStats } from "./core_stats.ts";
import { returnsFromEquity } from "./returns_from_equity.ts";
import type { StatsContext, StatsInput } from "./stats.ts";

/** Lazily derived inputs shared by the registry's stat functions: each is computed at most once. */
export class LazyStatsContext implements StatsContext {
  readonly input: StatsInput;
  readonly periodsPerYear: number;
  readonly riskFree: number;
  #returns?: Float64Array;
  #benchmark?: Float64Array | null;
  #core?: CoreStats;
  #memo = new Map<string, unknown>();

  constructor(input: StatsInput) {
    const { ts, equity } = input;
    if (!(ts instanceof Float64Array) || !(equity instanceof Float64Array)) {
      throw new TypeError("computeStats: ts and equity must be Float64Arrays (epoch ms and equity per bar)");
    }
    if (ts.length !== equity.length) {
      throw new RangeError(`computeStats: ts (${ts.length}) and equity (${equity.length}) must have the same length`);
    }
    if (input.benchmark !== undefined && input.benchmark.length !== equity.length) {
      throw new RangeError(
        `computeStats: benchmark (${input.benchmark.length}) must be aligned to ts (${ts.length}); resample or reindex it first`,
      );
    }
    if (input.returns !== undefined && input.returns.length !== Math.max(0, equity.length - 1)) {
      throw new RangeError(
        `computeStats: returns must be returnsFromEquity(equity) (length ${
          Math.max(0, equity.length - 1)
        }), got length ${input.returns.length}`,
      );
    }
    checkPeriodsPerYear(input.periodsPerYear, "computeStats");
    this.input = input;
    this.periodsPerYear = input.periodsPerYear;
    this.riskFree = input.riskFree ?? 0;
    riskFreePerPeriod(this.riskFree, this.periodsPerYear, "computeStats");
  }

  get returns(): Float64Array {
    return this.#returns ??= this.input.returns ?? returnsFromEquity(this.input.equity);
  }

  get benchmarkReturns(): Float64Array | undefined {
    if (this.#benchmark === undefined) {
      this.#benchmark = this.input.benchmark === undefined ? null : returnsFromEquity(this.input.benchmark);
    }
    return this.#benchmark ?? undefined;
  }

  get trades(): readonly Trade[] | undefined {
    return this.input.trades;
  }

  memo<T>(key: string, compute: () => T): T {
    if (this.#memo.has(key)) return this.#memo.get(key) as T;
    const v = compute();
    this.#memo.set(key, v);
    return v;
  }

  get core(): CoreStats {
    return this.#core ??= coreStats(this.returns, { periodsPerYear: this.periodsPerYear, riskFree: this.riskFree });
  }
}
