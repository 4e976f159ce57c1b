/// <reference lib="deno.worker" />
// Portfolio sweep worker: receives every asset's columns as SharedArrayBuffer-backed arrays (no
// copy), aligns them once, then evaluates batches of params on request.
import { Frame } from "../frame/mod.ts";
import { type PortfolioStrategy, registry } from "../strategies/mod.ts";
import { PortfolioEvaluator, type PortfolioWorkerInit } from "./_portfolio_eval.ts";

/** A batch to evaluate. */
export interface PortfolioWorkerRun {
  type: "run";
  id: number;
  combos: Record<string, unknown>[];
}

let evaluator: PortfolioEvaluator | undefined;

self.onmessage = (e: MessageEvent<PortfolioWorkerInit | PortfolioWorkerRun>) => {
  const m = e.data;
  try {
    if (m.type === "init") {
      const frames: Record<string, Frame> = {};
      for (const [k, f] of Object.entries(m.frames)) frames[k] = new Frame(f.ts, f.columns);
      const strategy = registry.get(m.strategy) as PortfolioStrategy<any>;
      evaluator = new PortfolioEvaluator(frames, strategy, m.plan);
      self.postMessage({ type: "ready" });
    } else {
      const out = new Float64Array(m.combos.length * evaluator!.plan.statKeys.length);
      evaluator!.evaluate(m.combos, out);
      self.postMessage({ type: "done", id: m.id, out }, [out.buffer]);
    }
  } catch (err) {
    const x = err as Error;
    self.postMessage({ type: "error", name: x?.name ?? "Error", message: x?.message ?? String(err) });
  }
};
