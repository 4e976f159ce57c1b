// The batching rule of the streaming feed, kept free of I/O so it can be tested bar by bar.
import type { FeedBar } from "./feed.ts";

/** A closed bar accepted for a symbol, waiting to be yielded. */
export interface PendingBar {
  bar: FeedBar;
  /** Wall-clock receipt, epoch ms. */
  at: number;
  /** Exchange event time of the closing message; NaN for a bar that came through REST. */
  eventTime: number;
}

/** What the streaming feed knows of one symbol for batching. */
export interface StreamSymbolState {
  symbol: string;
  /** Open time of the last bar yielded (or the resume point). */
  last: number;
  /** Open time of the newest bar accepted (yielded or pending). */
  seen: number;
  /** Accepted bars after `last`, in increasing time. */
  pending: PendingBar[];
}

/** What to do next with the pending bars. */
export type StreamStep =
  /** Yield `bars` (open time `ts`, first received at `first`); `late` symbols had no bar at `ts` within the grace. */
  | { kind: "batch"; ts: number; bars: PendingBar[]; late: string[]; first: number }
  /** The bars at `ts` wait for `missing` until `until` (wall clock). */
  | { kind: "hold"; ts: number; until: number; missing: string[] }
  | { kind: "idle" };

/**
 * The polling feed's rule, with the grace counted from the first receipt of a bar at `ts` rather than from the
 * bar's close: a stream's bars arrive at their close, and a replayed or delayed stream must not be judged late by
 * its old timestamps. A symbol with nothing pending and nothing yielded at or after `ts` is waited for until
 * `firstReceipt + graceMs`; one whose next pending bar is later skipped `ts` (a gap that REST confirmed).
 */
export function nextStreamStep(states: readonly StreamSymbolState[], now: number, graceMs: number): StreamStep {
  let ts = Infinity;
  let first = Infinity;
  for (const s of states) {
    const head = s.pending[0];
    if (head === undefined) continue;
    if (head.bar.ts < ts) {
      ts = head.bar.ts;
      first = head.at;
    } else if (head.bar.ts === ts && head.at < first) first = head.at;
  }
  if (ts === Infinity) return { kind: "idle" };
  const missing: string[] = [];
  for (const s of states) if (s.pending.length === 0 && s.last < ts) missing.push(s.symbol);
  const until = first + graceMs;
  if (missing.length > 0 && now < until) return { kind: "hold", ts, until, missing };
  const bars: PendingBar[] = [];
  for (const s of states) {
    if (s.pending[0]?.bar.ts === ts) {
      bars.push(s.pending.shift()!);
      s.last = ts;
    }
  }
  return { kind: "batch", ts, bars, late: missing, first };
}
