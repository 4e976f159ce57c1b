// Evaluation of portfolio sweep combinations, shared by the in-thread path of runPortfolioSweep
// and _portfolio_sweep_worker.ts, so a row does not depend on where it was computed.
import type { Frame } from "../frame/mod.ts";
import type { PortfolioStrategy } from "../strategies/mod.ts";
import { alignFrames } from "./align_frames.ts";
import type { BacktestOptions } from "./backtest_options.ts";
import type { PortfolioResult } from "./portfolio_result.ts";
import { simulatePortfolio } from "./simulate_portfolio.ts";
import { equalWeightHold, expand } from "./_portfolio_frames.ts";
import { runStats } from "./_run_stats.ts";

/** What every evaluator of one portfolio sweep shares (plain data: it is posted to workers). */
export interface PortfolioPlan {
  options: BacktestOptions;
  stats: "fast" | "full";
  /** Stat columns, in order. */
  statKeys: string[];
  periodsPerYear: number;
  riskFree: number;
  /** Equal-weight buy and hold for alpha/beta in full stats. */
  benchmark: boolean;
}

/** Evaluates batches of parsed params over one set of frames, one row of stats per combination. */
export class PortfolioEvaluator {
  readonly frames: Record<string, Frame>;
  readonly strategy: PortfolioStrategy<any>;
  readonly plan: PortfolioPlan;
  /** The frames on their union timeline, as the strategy sees them. */
  readonly aligned: Record<string, Frame>;
  /** The benchmark of full stats (undefined without one). */
  readonly benchmark: Float64Array | undefined;
  readonly bars: number;

  constructor(frames: Record<string, Frame>, strategy: PortfolioStrategy<any>, plan: PortfolioPlan) {
    this.frames = frames;
    this.strategy = strategy;
    this.plan = plan;
    const al = alignFrames(frames);
    const names = Object.keys(frames);
    this.aligned = {};
    for (const a of names) this.aligned[a] = expand(frames[a]!, al.ts, al.index[a]!);
    this.bars = al.ts.length;
    this.benchmark = plan.benchmark
      ? equalWeightHold(names.map((a) => this.aligned[a]!.close), plan.options.cash)
      : undefined;
  }

  /** One combination's simulation, exactly as runPortfolioBacktest makes it. */
  simulate(p: Record<string, unknown>): PortfolioResult {
    return simulatePortfolio(this.frames, this.strategy.weights(this.aligned, p), this.plan.options);
  }

  /** Writes `combos.length` rows of `plan.statKeys.length` values into `out`, row after row. */
  evaluate(combos: readonly Record<string, unknown>[], out: Float64Array): void {
    const keys = this.plan.statKeys, w = keys.length, cash = this.plan.options.cash;
    for (let c = 0; c < combos.length; c++) {
      const sim = this.simulate(combos[c]!);
      const at = c * w;
      if (this.plan.stats === "fast") {
        let closed = 0;
        for (const t of sim.trades) if (t.exitIndex >= 0) closed++;
        const eq = sim.finalEquity;
        out[at] = eq;
        out[at + 1] = eq / cash - 1;
        out[at + 2] = closed;
        out[at + 3] = sim.trades.length;
      } else {
        const stats = runStats(sim, this.plan, this.benchmark);
        for (let j = 0; j < w; j++) out[at + j] = stats[keys[j]!]!;
      }
    }
  }
}

/** First message to a portfolio sweep worker: every asset's columns (shared memory) and the plan. */
export interface PortfolioWorkerInit {
  type: "init";
  strategy: string;
  frames: Record<string, { ts: Float64Array; columns: Record<string, Float64Array> }>;
  plan: PortfolioPlan;
}
