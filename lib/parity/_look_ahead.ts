import type { Frame } from "../frame/mod.ts";
import type { Strategy } from "../strategies/mod.ts";
import { assertCausal } from "../testing/causality.ts";

/** A strategy whose signal on a bar changes when later bars are added. */
export interface LookAhead {
  strategy: string;
  /** The first bar whose signal changed. */
  bar: number;
  /** The sentence for people, then the causality check's own evidence. */
  detail: string;
}

/**
 * Runs the strategy's signals on prefixes of `frame` (`assertCausal`): a signal that differs on a prefix from the
 * full run depends on bars after it. Returns null for a causal strategy, and for one that cannot be evaluated on
 * short prefixes (its own errors are not look-ahead).
 */
export function findLookAhead<P>(strategy: Strategy<P>, params: P, frame: Frame): LookAhead | null {
  const n = frame.length;
  const compute = (k: number): Record<string, Uint8Array> => {
    const s = strategy.signals(frame.slice(0, k), params);
    if (s.kind !== "signals") return {};
    const out: Record<string, Uint8Array> = { entries: s.entries, exits: s.exits };
    if (s.shortEntries) out.shortEntries = s.shortEntries;
    if (s.shortExits) out.shortExits = s.shortExits;
    return out;
  };
  // Every short prefix (warm-up edges), then about 60 spread to the end; 0 rows is skipped: strategies may refuse it.
  const prefixes = new Set<number>();
  for (let k = 1; k <= Math.min(60, n); k++) prefixes.add(k);
  for (let s = 1; s <= 60; s++) prefixes.add(Math.max(1, Math.min(n, Math.round(n * s / 60))));
  if (n > 1) prefixes.add(n - 1);
  try {
    assertCausal(compute, n, { prefixes: [...prefixes].sort((a, b) => a - b), name: strategy.name });
    return null;
  } catch (e) {
    if ((e as Error)?.name !== "AssertionError") return null;
    const message = String((e as Error).message);
    const m = /\[(\d+)\]/.exec(message);
    const bar = m ? Number(m[1]) : -1;
    return {
      strategy: strategy.name,
      bar,
      detail: `strategy ${strategy.name} peeks at the future: its signal on bar ${bar} changes when later bars are ` +
        `added (${message})`,
    };
  }
}
