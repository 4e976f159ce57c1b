// What every route shares: the store, the runs registry, the job queue, and small caches.
import { type QualityReport, qualityReport } from "../data/mod.ts";
import type { Frame } from "../frame/mod.ts";
import type { RunRecord, RunRegistry } from "../runs/mod.ts";
import type { SeriesInfo, Store } from "../store/mod.ts";
import { registry as defaultRegistry, type StrategyRegistry } from "../strategies/mod.ts";
import type { Trade } from "../types/mod.ts";
import { HttpError } from "./_errors.ts";
import type { SecurityOptions } from "./_auth.ts";
import type { JobQueue } from "./job_queue.ts";
import { seriesText } from "./_series.ts";

/** A run loaded for display: its record, equity curve (when recorded) and trades. */
export interface RunView {
  record: RunRecord;
  equity: Frame | undefined;
  trades: Trade[];
  /** Rendered fragments of the run's page (figures), kept because a run never changes. */
  memo?: Map<string, Promise<unknown>>;
}

/** Dependencies of {@link createApp}. */
export interface LabDeps {
  /** The bar store (lib/store). */
  store: Store;
  /** The runs registry (lib/runs); web runs are recorded with source `web`. */
  runs: RunRegistry;
  /** Where backtests and sweeps run, off the request path. */
  jobs: JobQueue;
  /**
   * Required on every mutating request when set (Bearer header, or the session cookie from
   * `/login`). Mandatory when `host` is not a loopback address.
   */
  token?: string;
  /** The address the server listens on; default `127.0.0.1`. */
  host?: string;
  /** Sessions, login backoff and the body limit (clock, expiry, sizes); defaults in SecurityOptions. */
  security?: SecurityOptions;
  /** Strategies offered; default lib/strategies' shared registry. */
  strategies?: StrategyRegistry;
  /** Workers a sweep may use; default `navigator.hardwareConcurrency`. */
  sweepWorkers?: number;
  /** Runs kept loaded (with their rendered figures); 0 reloads and re-renders on every view. Default 32. */
  runCacheSize?: number;
  /** Redis of the cluster (`redis://HOST:PORT`), read by the /cluster pages; unset, they say how to set it. */
  redisUrl?: string;
}

/** Small bounded map, least recently used out first. */
class Lru<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();
  constructor(max: number) {
    this.#max = max;
  }
  get(k: K): V | undefined {
    const v = this.#map.get(k);
    if (v !== undefined) {
      this.#map.delete(k);
      this.#map.set(k, v);
    }
    return v;
  }
  delete(k: K): void {
    this.#map.delete(k);
  }
  set(k: K, v: V): void {
    this.#map.delete(k);
    this.#map.set(k, v);
    while (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as K);
  }
}

/** The shared state of one app. */
export class Lab {
  readonly store: Store;
  readonly runs: RunRegistry;
  readonly jobs: JobQueue;
  readonly strategies: StrategyRegistry;
  readonly token: string | undefined;
  readonly sweepWorkers: number | undefined;
  // Quality reports are keyed by the series' last write, so an append invalidates them.
  readonly #quality = new Lru<string, Promise<QualityReport>>(64);
  // Runs are immutable once recorded, so a loaded run never goes stale.
  readonly #runViews: Lru<string, Promise<RunView>>;

  constructor(deps: LabDeps) {
    this.store = deps.store;
    this.runs = deps.runs;
    this.jobs = deps.jobs;
    this.strategies = deps.strategies ?? defaultRegistry;
    this.token = deps.token || undefined;
    this.sweepWorkers = deps.sweepWorkers;
    const size = deps.runCacheSize ?? 32;
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`runCacheSize must be a whole number >= 0, got ${size}`);
    }
    this.#runViews = new Lru(size);
  }

  /** The quality report of a stored series (computed once per version of the series). */
  quality(info: SeriesInfo): Promise<QualityReport> {
    const text = seriesText(info);
    const key = `${text}|${info.updated}|${info.bars}`;
    let p = this.#quality.get(key);
    if (p === undefined) {
      p = this.store.read(info).then((frame) =>
        qualityReport(frame, { timeframe: info.timeframe, calendar: info.calendar, label: text })
      );
      p.catch(() => {}); // a failure is reported to the request that awaits it
      this.#quality.set(key, p);
    }
    return p;
  }

  /** A recorded run with its curves; 404 for an unknown id, 400 for a malformed one. */
  runView(id: string): Promise<RunView> {
    let p = this.#runViews.get(id);
    if (p === undefined) {
      p = this.#loadRun(id);
      this.#runViews.set(id, p);
      // Failures (unknown id) are not cached: the run may be recorded by another process later.
      p.catch(() => this.#runViews.delete(id));
    }
    return p;
  }

  /** Puts a run just recorded in memory, so the page the browser is redirected to needs no reload. */
  rememberRun(view: RunView): void {
    this.#runViews.set(view.record.id, Promise.resolve(view));
  }

  async #loadRun(id: string): Promise<RunView> {
    let record: RunRecord;
    try {
      record = await this.runs.get(id);
    } catch (e) {
      const msg = (e as Error).message;
      if ((e as Error).name === "RangeError") {
        throw /Invalid run id/i.test(msg)
          ? new HttpError(400, `invalid run id ${JSON.stringify(id)}`, [{ path: ["id"], message: msg }])
          : new HttpError(404, `no run ${id}; see /runs`);
      }
      throw e;
    }
    const equity = record.files.includes("equity.parquet") ? await this.runs.equity(id) : undefined;
    const trades = record.files.includes("trades.parquet") ? await this.runs.trades(id) : [];
    return { record, equity, trades };
  }
}
