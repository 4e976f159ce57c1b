/// <reference lib="deno.worker" />
// Sweep worker: receives the frame's columns and the precomputed indicator series as
// SharedArrayBuffer-backed arrays (no copy), then evaluates batches on request. On the fused kernel the batches come
// as series keys and this worker loads nothing but the kernel (started early by a SweepWorkerPool, it is ready in a
// few tens of ms); the general path (strategies, frame, engine, metrics) is imported at its first batch.
import type { Frame } from "../frame/mod.ts";
import type { Strategy } from "../strategies/mod.ts";
import type { SweepEvaluator, SweepPlan } from "./_sweep_eval.ts";
import { CrossKernel } from "./_sweep_kernel.ts";

/** First message of a sweep: everything the evaluator needs. A worker serves one sweep after another. */
export interface WorkerInit {
  type: "init";
  strategy: string;
  ts: Float64Array;
  columns: Record<string, Float64Array>;
  series: Record<string, Float64Array>;
  plan: SweepPlan;
}

/** A batch of parsed combinations to evaluate (any strategy). */
export interface WorkerRun {
  type: "run";
  id: number;
  combos: Record<string, unknown>[];
}

/**
 * A batch for the fused kernel: combination c crosses series `keys[2c]` over `keys[2c + 1]`. With `progressMs`, a
 * `progress` message (`bars` done) is posted at most that often while it runs.
 */
export interface WorkerKernel {
  type: "kernel";
  id: number;
  keys: string[];
  progressMs?: number;
}

let init: WorkerInit | undefined;
let kernel: CrossKernel | undefined;
let evaluator: SweepEvaluator | undefined;
// Messages are handled one after another, the general path's first batch waiting for its imports.
let queue: Promise<void> = Promise.resolve();

self.onmessage = (e: MessageEvent<WorkerInit | WorkerRun | WorkerKernel>) => {
  const m = e.data;
  queue = queue.then(() => handle(m)).catch((err) => {
    const x = err as Error;
    self.postMessage({ type: "error", name: x?.name ?? "Error", message: x?.message ?? String(err) });
  });
};

async function handle(m: WorkerInit | WorkerRun | WorkerKernel): Promise<void> {
  if (m.type === "init") {
    init = m;
    kernel = undefined;
    evaluator = undefined;
    self.postMessage({ type: "ready" });
    return;
  }
  if (init === undefined) throw new Error("sweep worker: a batch came before the sweep's init");
  const w = init.plan.statKeys.length;
  if (m.type === "kernel") {
    const close = init.columns.close;
    if (close === undefined) throw new RangeError(`Frame has no column "close"`);
    kernel ??= new CrossKernel(init.plan.options);
    const series = init.series;
    const out = new Float64Array((m.keys.length >> 1) * w);
    const every = m.progressMs;
    let last = performance.now();
    const onBlock = every === undefined ? undefined : (bars: number): void => {
      const now = performance.now();
      if (now - last < every || bars >= close.length) return;
      last = now;
      self.postMessage({ type: "progress", id: m.id, bars });
    };
    kernel.run(close, m.keys, (key) => Object.hasOwn(series, key) ? series[key] : undefined, out, w, onBlock);
    self.postMessage({ type: "done", id: m.id, out }, [out.buffer]);
    return;
  }
  evaluator ??= await loadEvaluator(init);
  const out = new Float64Array(m.combos.length * w);
  evaluator.evaluate(m.combos, out);
  self.postMessage({ type: "done", id: m.id, out }, [out.buffer]);
}

// The specifiers are built, not literal: Deno loads a worker's whole static graph, literal dynamic imports included,
// when it starts (arquero, apache-arrow, zod: about 0.15 CPU-s a worker), and a kernel-only worker needs none of it.
const GENERAL = ["../frame/mod.ts", "../strategies/mod.ts", "./_sweep_eval.ts"].map((p) =>
  new URL(p, import.meta.url).href
);

async function loadEvaluator(m: WorkerInit): Promise<SweepEvaluator> {
  const [{ Frame }, { registry }, { SweepEvaluator }] = await Promise.all(GENERAL.map((u) => import(u))) as [
    typeof import("../frame/mod.ts"),
    typeof import("../strategies/mod.ts"),
    typeof import("./_sweep_eval.ts"),
  ];
  const frame: Frame = new Frame(m.ts, m.columns);
  const strategy = registry.get(m.strategy) as Strategy<any>;
  return new SweepEvaluator(frame, new Map(Object.entries(m.series)), strategy, m.plan);
}
