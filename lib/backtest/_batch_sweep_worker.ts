/// <reference lib="deno.worker" />
// Batch sweep worker: one worker serves every series of a batch. It holds an evaluator per series slot it was sent
// (the frame's columns and indicator series as SharedArrayBuffer-backed arrays, no copy) and drops one when told, so a
// batch over many long series keeps only the series in flight alive.
import { Frame } from "../frame/mod.ts";
import { registry, type Strategy } from "../strategies/mod.ts";
import { SweepEvaluator, type SweepPlan } from "./_sweep_eval.ts";

/** A series slot: everything its evaluator needs. */
export interface BatchWorkerInit {
  type: "init";
  slot: number;
  strategy: string;
  ts: Float64Array;
  columns: Record<string, Float64Array>;
  series: Record<string, Float64Array>;
  plan: SweepPlan;
}

/** A batch of one slot's combinations. */
export interface BatchWorkerRun {
  type: "run";
  slot: number;
  id: number;
  combos: Record<string, unknown>[];
}

/** The slot's series has no batch left: free it. */
export interface BatchWorkerDrop {
  type: "drop";
  slot: number;
}

const evaluators = new Map<number, SweepEvaluator>();

self.onmessage = (e: MessageEvent<BatchWorkerInit | BatchWorkerRun | BatchWorkerDrop>) => {
  const m = e.data;
  try {
    if (m.type === "init") {
      const frame = new Frame(m.ts, m.columns);
      const strategy = registry.get(m.strategy) as Strategy<any>;
      evaluators.set(m.slot, new SweepEvaluator(frame, new Map(Object.entries(m.series)), strategy, m.plan));
    } else if (m.type === "drop") {
      evaluators.delete(m.slot);
    } else {
      const ev = evaluators.get(m.slot);
      if (ev === undefined) throw new Error(`batch worker: series slot ${m.slot} was not sent before its batch`);
      const out = new Float64Array(m.combos.length * ev.plan.statKeys.length);
      ev.evaluate(m.combos, out);
      self.postMessage({ type: "done", slot: m.slot, id: m.id, out }, [out.buffer]);
    }
  } catch (err) {
    const x = err as Error;
    self.postMessage({ type: "error", name: x?.name ?? "Error", message: x?.message ?? String(err) });
  }
};
