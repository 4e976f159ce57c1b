// The cluster's contract: what a coordinator puts in Redis and BullMQ, what a worker reads and writes, what the lab
// shows. Everything here is plain JSON (BullMQ stores job data and return values as JSON).
import type { SweepPlan } from "../backtest/mod.ts";

/** Name of the BullMQ queue every sweep chunk goes to (keys `bull:sentinel-sweep:*`). */
export const SWEEP_QUEUE = "sentinel-sweep";

/** BullMQ job name of a chunk. */
export const CHUNK_JOB = "chunk";

/** Version of {@link ClusterSweepSpec}; a worker refuses a spec of another version. */
export const SPEC_VERSION = 1;

/**
 * One sweep as the cluster sees it: a single-series `runSweep` (a walk-forward fold is one such sweep over its
 * training bars; a batch of series is one per series). Stored once per sweep as JSON in the sweep's hash (field
 * `spec`), so the jobs carry only positions.
 */
export interface ClusterSweepSpec {
  version: number;
  /** Registry name of the strategy: workers load it by name. */
  strategy: string;
  /** `strategyCodeHash` of the strategy on the coordinator; a worker with other code refuses the chunk. */
  strategyHash: string;
  /** Engine version on the coordinator; a worker on another version refuses the chunk. */
  engineVersion: string;
  /** The evaluation plan runSweep built (options, stats, stat keys, annualization). */
  plan: SweepPlan;
  /** The valid combinations, parsed (defaults filled in), in combination order. */
  combos: Record<string, unknown>[];
  /** `hashFrame` of the data: how workers find and check it. */
  frameHash: string;
  /** Bars in the frame. */
  bars: number;
  /** Where a worker without the data fetches it (`GET <dataUrl>/<frameHash>.arrow`), or null (shared store only). */
  dataUrl: string | null;
  /** Combinations per chunk (the last chunk may hold fewer). */
  chunkSize: number;
  /** Chunks in the sweep: ceil(combos / chunkSize). */
  chunks: number;
  /** What the sweep is part of, for people: series label, fold, run label. */
  label: ClusterSweepLabel;
}

/** Where a sweep comes from, for the lab and progress lines. */
export interface ClusterSweepLabel {
  /** Series label (`samples:BTC/USDT:5m`, a CSV path). */
  series: string;
  /** Walk-forward fold (0-based), or null for a plain sweep. */
  fold: number | null;
  /** Free text (the run's `--label`, a job name). */
  text: string;
}

/** Data of one BullMQ job: chunk `chunk` of sweep `sweepId`, combinations [start, end). */
export interface ChunkData {
  sweepId: string;
  chunk: number;
  start: number;
  end: number;
}

/** Return value of a chunk's job (the rows themselves are in the sweep's results hash). */
export interface ChunkReturn {
  chunk: number;
  rows: number;
  /** Name of the worker that stored the rows first (a re-run after a stall stores nothing new). */
  storedBy: string;
  /** False when the rows were already stored (a re-run): they were not written again. */
  stored: boolean;
}

/** State of a sweep in Redis. */
export type ClusterSweepState = "running" | "done" | "cancelled" | "failed";

/** What {@link readSweepStatus} returns: progress, workers and failures of one sweep. */
export interface ClusterSweepStatus {
  id: string;
  state: ClusterSweepState;
  strategy: string;
  label: ClusterSweepLabel;
  /** Epoch ms the sweep was first submitted. */
  createdAt: number;
  /** Epoch ms of the last state change. */
  updatedAt: number;
  chunks: number;
  chunksDone: number;
  combos: number;
  combosDone: number;
  bars: number;
  /** Chunk evaluations started, re-runs included (chunks + retries once done). */
  attempts: number;
  /** Chunks that were started more than once (a worker died or stalled, or a transient error was retried). */
  retried: number;
  /** Who stored how many chunks: worker name -> chunks. */
  workers: Record<string, number>;
  /** Failed chunks with their reason (a cancelled sweep's aborted chunks included). */
  failures: { chunk: number; reason: string }[];
  /** Error of a failed sweep, else null. */
  error: string | null;
}
