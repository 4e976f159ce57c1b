/** One model's training data cutoff, with where it was read. */
export interface ModelCutoff {
  /** The model id without a date suffix (`claude-sonnet-4-5`); dated ids and `-latest`/`-0` aliases map to it. */
  model: string;
  /** Last month of the training data, `YYYY-MM` (the model may know anything up to the end of that month). */
  trainingCutoff: string;
  /** The "reliable knowledge cutoff" Anthropic states, when it states one (`YYYY-MM`). */
  reliableCutoff?: string;
  /** Where the date was read. */
  source: string;
}

const OVERVIEW = "https://docs.claude.com/en/docs/about-claude/models/overview";

/**
 * Training data cutoffs of Anthropic models, from Anthropic's models overview (its comparison table's "Training data
 * cutoff" and "Reliable knowledge cutoff" rows). The training cutoff is what matters for look-ahead: a backtest window
 * before it may be in the model's memory, whatever its "reliable" knowledge is. Add a model here when it is used;
 * {@link memoryOverlap} reports an unknown model as unknown, never as clean.
 */
export const MODEL_CUTOFFS: readonly ModelCutoff[] = Object.freeze([
  { model: "claude-opus-4-5", trainingCutoff: "2025-08", reliableCutoff: "2025-05", source: OVERVIEW },
  { model: "claude-sonnet-4-5", trainingCutoff: "2025-07", reliableCutoff: "2025-01", source: OVERVIEW },
  { model: "claude-haiku-4-5", trainingCutoff: "2025-07", reliableCutoff: "2025-02", source: OVERVIEW },
  { model: "claude-opus-4-1", trainingCutoff: "2025-03", reliableCutoff: "2025-01", source: OVERVIEW },
  {
    model: "claude-opus-4",
    trainingCutoff: "2025-03",
    reliableCutoff: "2025-01",
    source: `${OVERVIEW}; https://simonwillison.net/2025/May/22/updated-anthropic-models/`,
  },
  {
    model: "claude-sonnet-4",
    trainingCutoff: "2025-03",
    reliableCutoff: "2025-01",
    source: `${OVERVIEW}; https://simonwillison.net/2025/May/22/updated-anthropic-models/`,
  },
  { model: "claude-3-7-sonnet", trainingCutoff: "2024-11", reliableCutoff: "2024-10", source: OVERVIEW },
  { model: "claude-3-5-haiku", trainingCutoff: "2024-07", source: OVERVIEW },
  { model: "claude-3-haiku", trainingCutoff: "2023-08", source: OVERVIEW },
].map((c) => Object.freeze(c)));

/** Options of {@link memoryOverlap}. */
export interface MemoryOverlapOptions {
  /** The model id as sent to the API (`claude-sonnet-4-5-20250929`, `claude-sonnet-4-5`). */
  model: string;
  /** First decision time of the window, epoch ms. */
  from: number;
  /** Last decision time of the window, epoch ms (>= from). */
  to: number;
}

/** How much of a backtest window the model may remember. */
export interface MemoryOverlap {
  model: string;
  /** The training cutoff (`YYYY-MM`), or null for a model the registry does not know. */
  cutoff: string | null;
  /** The part of the window inside the training data, epoch ms; null when none or unknown. */
  overlapFrom: number | null;
  overlapTo: number | null;
  /** Share of the window's duration inside the training data, 0..1; null when the model is unknown. */
  overlapShare: number | null;
  /** True when any of the window is inside the training data; null when unknown (never a silent false). */
  insideMemory: boolean | null;
  /** One line for results and figures. */
  label: string;
}

/**
 * Whether a backtest window falls inside a model's training data: the overlap of `[from, to]` with everything up
 * to the end of the cutoff month. A window inside the model's memory can show skill that is recall; the results carry
 * this label so nobody reads such a backtest as evidence. An unknown model gives `insideMemory: null` and says so.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryOverlap } from "./model_cutoffs.ts";
 * const o = memoryOverlap({ model: "claude-sonnet-4-5-20250929", from: Date.UTC(2021, 0, 1), to: Date.UTC(2023, 2, 31) });
 * assert.equal(o.insideMemory, true);
 * assert.equal(o.overlapShare, 1);
 * assert.match(o.label, /window 2021-01\.\.2023-03 is inside claude-sonnet-4-5 training data \(cutoff 2025-07\)/);
 * assert.equal(memoryOverlap({ model: "my-model", from: 0, to: 1 }).insideMemory, null);
 * ```
 */
export function memoryOverlap(options: MemoryOverlapOptions): MemoryOverlap {
  const { model, from, to } = options;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) {
    throw new RangeError(
      `memoryOverlap: need finite epoch-ms times with from <= to, got from ${from} and to ${to}; pass the window's first and last decision times`,
    );
  }
  const window = `${month(from)}..${month(to)}`;
  const entry = modelCutoff(model);
  if (entry === undefined) {
    return {
      model,
      cutoff: null,
      overlapFrom: null,
      overlapTo: null,
      overlapShare: null,
      insideMemory: null,
      label: `window ${window}: overlap with ${model} training data unknown (no cutoff registered for this model; ` +
        `add it to MODEL_CUTOFFS)`,
    };
  }
  const end = cutoffEnd(entry.trainingCutoff);
  const cut = `(cutoff ${entry.trainingCutoff})`;
  if (from >= end) {
    return {
      model: entry.model,
      cutoff: entry.trainingCutoff,
      overlapFrom: null,
      overlapTo: null,
      overlapShare: 0,
      insideMemory: false,
      label: `window ${window} is after ${entry.model} training data ${cut}`,
    };
  }
  const overlapTo = Math.min(to, end);
  const share = to === from ? 1 : (overlapTo - from) / (to - from);
  const whole = to < end;
  return {
    model: entry.model,
    cutoff: entry.trainingCutoff,
    overlapFrom: from,
    overlapTo,
    overlapShare: whole ? 1 : share,
    insideMemory: true,
    label: whole
      ? `window ${window} is inside ${entry.model} training data ${cut}`
      : `window ${window} is ${Math.round(share * 100)}% inside ${entry.model} training data ${cut}: ` +
        `${month(from)}..${entry.trainingCutoff} may be remembered`,
  };
}

/** The registry entry of a model id: exact, or after dropping a date suffix, `-latest` or a `-0` version. */
function modelCutoff(model: string): ModelCutoff | undefined {
  const base = model.replace(/-(\d{8}|latest)$/, "").replace(/-0$/, "");
  return MODEL_CUTOFFS.find((c) => c.model === model || c.model === base);
}

// The first instant after the cutoff month (the model may know all of that month).
function cutoffEnd(yyyyMm: string): number {
  const [y, m] = yyyyMm.split("-").map(Number) as [number, number];
  return Date.UTC(y, m, 1);
}

function month(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}
