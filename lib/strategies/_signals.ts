import { crossedAbove, crossedBelow } from "../indicators/mod.ts";
import type { SignalSet } from "../types/mod.ts";

/**
 * Long entries where `fast` crosses above `slow`, long exits where it crosses below, shorts
 * mirrored. Each array is its own copy so a caller editing one cannot change another.
 */
export function crossSignals(fast: Float64Array, slow: Float64Array): SignalSet {
  const entries = crossedAbove(fast, slow);
  const exits = crossedBelow(fast, slow);
  return { kind: "signals", entries, exits, shortEntries: exits.slice(), shortExits: entries.slice() };
}
