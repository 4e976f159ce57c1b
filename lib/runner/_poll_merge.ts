// The batching rule of the polling feed, kept free of I/O so it can be tested bar by bar.
import type { FeedBar } from "./feed.ts";

/** What the feed knows of one symbol. */
export interface SymbolState {
  symbol: string;
  /** Open time of the last bar yielded (or the resume point); only later bars are yielded. */
  last: number;
  /** Open time of the newest closed bar accepted (yielded or pending); the next poll asks from just after it. */
  seen: number;
  /** Closed, valid bars after `last`, in increasing time, waiting to be yielded. */
  pending: FeedBar[];
}

/** What to do next with the pending bars. */
export type MergeStep =
  /** Yield `bars` (all with open time `ts`); `late` symbols had no bar at `ts` by the end of the grace period. */
  | { kind: "batch"; ts: number; bars: FeedBar[]; late: string[] }
  /** The bars at `ts` wait for `missing` until `until` (clock time). */
  | { kind: "hold"; ts: number; until: number; missing: string[] }
  /** Nothing pending. */
  | { kind: "idle" };

/**
 * Decides the next batch: the earliest pending open time `ts`, with every symbol that has a bar there. A symbol
 * with nothing pending and nothing yielded at or after `ts` may still be served that bar, so the batch waits for it
 * until `ts + tf + graceMs` (its close plus the grace); a symbol whose next pending bar is later skipped `ts` (a gap
 * the exchange shows), and nobody waits for it. The caller removes nothing: the step removes the bars it returns and
 * moves `last`.
 */
export function nextStep(states: readonly SymbolState[], now: number, tf: number, graceMs: number): MergeStep {
  let ts = Infinity;
  for (const s of states) {
    const head = s.pending[0];
    if (head !== undefined && head.ts < ts) ts = head.ts;
  }
  if (ts === Infinity) return { kind: "idle" };
  const missing: string[] = [];
  for (const s of states) if (s.pending.length === 0 && s.last < ts) missing.push(s.symbol);
  const until = ts + tf + graceMs;
  if (missing.length > 0 && now < until) return { kind: "hold", ts, until, missing };
  const bars: FeedBar[] = [];
  for (const s of states) {
    if (s.pending[0]?.ts === ts) {
      bars.push(s.pending.shift()!);
      s.last = ts;
    }
  }
  return { kind: "batch", ts, bars, late: missing };
}
