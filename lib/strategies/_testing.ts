// Shared assertions for the strategy tests (not exported from mod.ts).
import assert from "node:assert/strict";
import { crossedAbove, crossedBelow } from "../indicators/mod.ts";
import { Frame } from "../frame/mod.ts";
import { assertCausal } from "../testing/mod.ts";
import type { SignalSet } from "../types/mod.ts";
import { IndicatorCache } from "./indicator_cache.ts";
import type { Strategy } from "./strategy.ts";

/** A frame with only a close column (and ts = 0, 1, 2, ...). */
export function closeFrame(close: readonly number[]): Frame {
  return new Frame(Float64Array.from(close.keys()), { close: Float64Array.from(close) });
}

/** Bar indices where `u8` is 1. */
export function on(u8: Uint8Array | undefined): number[] {
  assert.ok(u8 instanceof Uint8Array, "expected a Uint8Array");
  const out: number[] = [];
  for (let i = 0; i < u8.length; i++) if (u8[i] === 1) out.push(i);
  return out;
}

/** The signals of a single-asset strategy, asserting they are event signals of the frame's length. */
export function run<P>(s: Strategy<P>, frame: Frame, p: P, ctx?: IndicatorCache): SignalSet {
  const out = s.signals(frame, p, ctx);
  assert.equal(out.kind, "signals");
  const sig = out as SignalSet;
  for (const key of ["entries", "exits", "shortEntries", "shortExits"] as const) {
    assert.ok(sig[key] instanceof Uint8Array, `${s.name}: ${key} must be a Uint8Array`);
    assert.equal(sig[key]!.length, frame.length, `${s.name}: ${key} must align with the frame`);
  }
  return sig;
}

/** The causality property: signals on every tested prefix equal the prefix of the signals on all of it. */
export function assertSignalsCausal<P>(s: Strategy<P>, frame: Frame, p: P): void {
  assertCausal(
    (k) => {
      const sig = run(s, frame.slice(0, k), p);
      return { entries: sig.entries, exits: sig.exits, shortEntries: sig.shortEntries!, shortExits: sig.shortExits! };
    },
    frame.length,
    { name: `${s.name} ${JSON.stringify(p)}` },
  );
}

/** No signal of any kind before `warmup(p)`; returns the first bar with one (or -1). */
export function assertWarmupRespected<P>(s: Strategy<P>, frame: Frame, p: P): number {
  const sig = run(s, frame, p);
  const w = s.warmup(p);
  let first = -1;
  for (const key of ["entries", "exits", "shortEntries", "shortExits"] as const) {
    const a = sig[key]!;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== 1) continue;
      assert.ok(i >= w, `${s.name} ${JSON.stringify(p)}: ${key}[${i}] fires before warmup ${w}`);
      if (first < 0 || i < first) first = i;
      break;
    }
  }
  return first;
}

/** `indicators(p)` lists exactly the keys `signals` asks its context for, and the cache gives the same signals. */
export function assertRequestsDeclared<P>(s: Strategy<P>, frame: Frame, p: P): void {
  const cache = new IndicatorCache(frame);
  const cached = run(s, frame, p, cache);
  const declared = (s.indicators?.(p) ?? []).map((r) => r.key).sort();
  assert.deepEqual(cache.keys().sort(), declared, `${s.name}: indicators(p) must list what signals() uses`);
  const direct = run(s, frame, p);
  assert.deepEqual(cached, direct);
}

/**
 * The crossover hint agrees with `signals`: entries are crossedAbove(fast, slow), exits
 * crossedBelow(fast, slow), shorts mirrored, and the hint's keys are among `indicators(p)`.
 */
export function assertCrossoverAgrees<P>(s: Strategy<P>, frame: Frame, p: P): void {
  assert.ok(s.crossover, `${s.name} has no crossover hint`);
  const { fast, slow } = s.crossover(p);
  const f = fast.compute(frame);
  const sl = slow.compute(frame);
  const sig = run(s, frame, p);
  const up = crossedAbove(f, sl);
  const down = crossedBelow(f, sl);
  assert.deepEqual(sig.entries, up, `${s.name} ${JSON.stringify(p)}: entries`);
  assert.deepEqual(sig.exits, down, `${s.name} ${JSON.stringify(p)}: exits`);
  assert.deepEqual(sig.shortEntries, down, `${s.name} ${JSON.stringify(p)}: shortEntries`);
  assert.deepEqual(sig.shortExits, up, `${s.name} ${JSON.stringify(p)}: shortExits`);
  const keys = (s.indicators?.(p) ?? []).map((r) => r.key);
  assert.ok(keys.includes(fast.key) && keys.includes(slow.key), `${s.name}: hint keys must be among indicators(p)`);
}
