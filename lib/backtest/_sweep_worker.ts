/// <reference lib="deno.worker" />
// Sweep worker: receives the frame's columns and the precomputed indicator series as
// SharedArrayBuffer-backed arrays (no copy), then evaluates batches of params on request.
import { Frame } from "../frame/mod.ts";
import { registry, type Strategy } from "../strategies/mod.ts";
import { SweepEvaluator, type SweepPlan } from "./_sweep_eval.ts";

/** First message: everything the evaluator needs. */
export interface WorkerInit {
  type: "init";
  strategy: string;
  ts: Float64Array;
  columns: Record<string, Float64Array>;
  series: Record<string, Float64Array>;
  plan: SweepPlan;
}

/** A batch to evaluate. */
export interface WorkerRun {
  type: "run";
  id: number;
  combos: Record<string, unknown>[];
}

let evaluator: SweepEvaluator | undefined;

self.onmessage = (e: MessageEvent<WorkerInit | WorkerRun>) => {
  const m = e.data;
  try {
    if (m.type === "init") {
      const frame = new Frame(m.ts, m.columns);
      const strategy = registry.get(m.strategy) as Strategy<any>;
      evaluator = new SweepEvaluator(frame, new Map(Object.entries(m.series)), strategy, m.plan);
      self.postMessage({ type: "ready" });
    } else {
      const w = evaluator!.plan.statKeys.length;
      const out = new Float64Array(m.combos.length * w);
      evaluator!.evaluate(m.combos, out);
      self.postMessage({ type: "done", id: m.id, out }, [out.buffer]);
    }
  } catch (err) {
    const x = err as Error;
    self.postMessage({ type: "error", name: x?.name ?? "Error", message: x?.message ?? String(err) });
  }
};
