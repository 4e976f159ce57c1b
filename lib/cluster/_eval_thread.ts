// A thread that evaluates sweep combinations (lib/backtest's sweep worker, the thread runSweep uses locally), so a
// cluster worker's main thread stays free for BullMQ (lock renewal, stall checks) while chunks compute, and
// `--concurrency N` uses N cores.
import type { SweepPlan } from "../backtest/mod.ts";
import type { Frame } from "../frame/mod.ts";

/** What a thread needs once per sweep: the frame as shared arrays, the strategy's name, the plan. */
export interface ThreadSweep {
  id: string;
  strategy: string;
  plan: SweepPlan;
  ts: Float64Array;
  columns: Record<string, Float64Array>;
}

/** The frame's columns copied once into SharedArrayBuffers, so every thread reads them without a copy. */
export function sharedColumns(frame: Frame): { ts: Float64Array; columns: Record<string, Float64Array> } {
  const share = (a: Float64Array): Float64Array => {
    const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
    s.set(a);
    return s;
  };
  const columns: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(frame.columns)) columns[k] = share(v);
  return { ts: share(frame.ts), columns };
}

export class EvalThread {
  #worker: Worker;
  #sweep: string | undefined;
  #pending: { resolve: (out: Float64Array) => void; reject: (e: Error) => void } | undefined;
  #broken: Error | undefined;

  constructor() {
    this.#worker = new Worker(new URL("../backtest/_sweep_worker.ts", import.meta.url), { type: "module" });
    this.#worker.onmessage = (e: MessageEvent) => {
      const m = e.data as { type: string; out: Float64Array; name: string; message: string };
      if (m.type === "ready") return;
      const p = this.#pending;
      this.#pending = undefined;
      if (m.type === "done") p?.resolve(m.out);
      else {
        const err = m.name === "RangeError"
          ? new RangeError(m.message)
          : m.name === "TypeError"
          ? new TypeError(m.message)
          : new Error(`${m.name}: ${m.message}`);
        // The evaluator may be half-initialised: start the sweep afresh next time.
        this.#sweep = undefined;
        p?.reject(err);
      }
    };
    this.#worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#broken = new Error(`evaluation thread failed: ${e.message}`);
      this.#pending?.reject(this.#broken);
      this.#pending = undefined;
    };
  }

  /** A thread that failed (uncaught) is replaced by its owner. */
  get broken(): boolean {
    return this.#broken !== undefined;
  }

  evaluate(sweep: ThreadSweep, combos: readonly Record<string, unknown>[]): Promise<Float64Array> {
    if (this.#broken) return Promise.reject(this.#broken);
    if (this.#pending) return Promise.reject(new Error("evaluation thread is busy"));
    if (this.#sweep !== sweep.id) {
      this.#worker.postMessage({
        type: "init",
        strategy: sweep.strategy,
        ts: sweep.ts,
        columns: sweep.columns,
        series: {},
        plan: sweep.plan,
      });
      this.#sweep = sweep.id;
    }
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#worker.postMessage({ type: "run", id: 0, combos });
    });
  }

  terminate(): void {
    this.#worker.terminate();
    this.#pending?.reject(new Error("evaluation thread terminated"));
    this.#pending = undefined;
  }
}
