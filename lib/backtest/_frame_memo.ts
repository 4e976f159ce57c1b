import type { Frame } from "../frame/mod.ts";
import { type QualityReport, qualityReport, type QualityReportOptions } from "../data/mod.ts";

/**
 * Per-frame memo of what a run derives from its data alone (the data hash, quality reports), so
 * the hundreds of backtests a quant runs on one loaded frame pay for them once. Keyed by the Frame
 * object (its column set is frozen and its arrays cannot be swapped); a WeakMap, so it never keeps
 * a frame alive.
 *
 * Frames are immutable by convention: writing into a frame's arrays after a run is unsupported.
 * A cheap guard catches the common case, a changed length or an edited first or last row (a live
 * feed updating its last bar in place); anything else needs a new Frame (`frame.slice()` will do).
 */
interface FrameMemo {
  /** Lengths and the first and last row of every array when the memo was made. */
  guard: number[];
  hash?: Promise<string>;
  quality: Map<string, QualityReport>;
}

const memos = new WeakMap<Frame, FrameMemo>();

function guardOf(frame: Frame): number[] {
  const arrays = [frame.ts, ...Object.values(frame.columns)];
  const out: number[] = [];
  for (const a of arrays) out.push(a.length, a.length ? a[0]! : 0, a.length ? a[a.length - 1]! : 0);
  return out;
}

function sameGuard(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The memo of `frame`, fresh if there was none or the guard shows the data changed. */
export function frameMemo(frame: Frame): { hash?: Promise<string>; quality: Map<string, QualityReport> } {
  const guard = guardOf(frame);
  let m = memos.get(frame);
  if (m === undefined || !sameGuard(m.guard, guard)) {
    m = { guard, quality: new Map() };
    memos.set(frame, m);
  }
  return m;
}

/** `qualityReport(frame, options)`, computed once per frame and options; each call gets its own copy. */
export function memoQualityReport(frame: Frame, options: QualityReportOptions): QualityReport {
  const { quality } = frameMemo(frame);
  const key = JSON.stringify([options.timeframe, options.calendar ?? null, options.label ?? null, options.maxListed]);
  let r = quality.get(key);
  if (r === undefined) {
    r = qualityReport(frame, options);
    quality.set(key, r);
  }
  // A copy, so a caller editing its report cannot change the next run's manifest.
  return structuredClone(r);
}
