/**
 * Sweep worker threads that outlive one sweep: a caller can start them before the frame exists (while a CSV is being
 * parsed, the workers load their modules), hand them to every {@link runSweep} of the session through its `pool`
 * option, and close them when done.
 * @module
 */

/** The worker threads one sweep borrows from a pool. */
export interface SweepWorkerLease {
  readonly workers: readonly Worker[];
  /**
   * Gives the workers back. `ok` false (an abort or an error left a batch running): they are terminated and the pool
   * starts fresh ones in their place.
   */
  release(ok: boolean): void;
}

let lease: (pool: SweepWorkerPool, n: number, onClose: () => void) => SweepWorkerLease;

/**
 * A pool of sweep worker threads, started at construction. Pass it to `runSweep({ pool })`: the sweep uses up to
 * `size` of its workers (fewer when `workers` asks for fewer) instead of starting its own, and leaves them running for
 * the next sweep. One sweep at a time per pool. `close()` (or `using`) terminates them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runSweep, SweepWorkerPool } from "./mod.ts";
 * using pool = new SweepWorkerPool(2); // started now: module loading overlaps whatever comes next
 * const close = Float64Array.from({ length: 3000 }, (_, i) => 100 + 10 * Math.sin(i / 9) + i / 100);
 * const frame = new Frame(Float64Array.from(close, (_, i) => i * 60_000), { close });
 * const spec = { frame, strategy: "sma_cross", grid: { fast: [2, 5, 10], slow: [20, 40] }, options: { fill: "close" as const } };
 * const pooled = await runSweep({ ...spec, pool, workers: 2 });
 * const again = await runSweep({ ...spec, pool, workers: 2 }); // the same threads
 * const local = await runSweep({ ...spec, workers: 0 });
 * assert.equal(pooled.workers, 2);
 * assert.deepEqual(pooled.table.toArray().map((r) => r.toJSON()), local.table.toArray().map((r) => r.toJSON()));
 * assert.deepEqual(again.best, local.best);
 * ```
 */
export class SweepWorkerPool {
  /** Worker threads in the pool. */
  readonly size: number;
  #workers: Worker[];
  #busy = false;
  #closed = false;
  /** Fails the sweep running on the pool when it is closed under it. */
  #onClose: (() => void) | undefined;

  /** Starts `size` workers (default `navigator.hardwareConcurrency`). */
  constructor(size: number = navigator.hardwareConcurrency ?? 1) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be an integer >= 1, got ${size}`);
    this.size = size;
    this.#workers = Array.from({ length: size }, spawn);
  }

  /** Whether {@link SweepWorkerPool.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Terminates the workers; a sweep running on them fails. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#workers) w.terminate();
    this.#workers = [];
    if (this.#busy) this.#onClose?.();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  static {
    lease = (pool, n, onClose) => pool.#lease(n, onClose);
  }

  #lease(n: number, onClose: () => void): SweepWorkerLease {
    if (this.#closed) throw new Error("SweepWorkerPool: the pool is closed");
    if (this.#busy) throw new Error("SweepWorkerPool: another sweep is running on this pool");
    if (!Number.isInteger(n) || n < 1 || n > this.size) {
      throw new RangeError(`SweepWorkerPool: lease of ${n} workers from a pool of ${this.size}`);
    }
    this.#busy = true;
    this.#onClose = onClose;
    const workers = this.#workers.slice(0, n);
    let released = false;
    return {
      workers,
      release: (ok) => {
        if (released) return;
        released = true;
        this.#busy = false;
        this.#onClose = undefined;
        for (const w of workers) {
          w.onmessage = null;
          w.onerror = null;
        }
        if (ok || this.#closed) return;
        for (let i = 0; i < n; i++) {
          this.#workers[i]!.terminate();
          this.#workers[i] = spawn();
        }
      },
    };
  }
}

/**
 * `n` of the pool's workers for one sweep (internal to lib/backtest: runSweep's `pool` option); `onClose` is called
 * if the pool is closed before the lease is released.
 */
export function leaseSweepWorkers(pool: SweepWorkerPool, n: number, onClose: () => void): SweepWorkerLease {
  return lease(pool, n, onClose);
}

function spawn(): Worker {
  return new Worker(new URL("./_sweep_worker.ts", import.meta.url), { type: "module" });
}
