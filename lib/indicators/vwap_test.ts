import assert from "node:assert/strict";
import { vwap, vwapWarmup } from "./vwap.ts";
import { assertSeriesClose, fixtures } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";
import type { Frame } from "../frame/mod.ts";

function naiveVwap(f: Frame, group: (i: number) => number, window = Infinity): Float64Array {
  return f.close.map((_, i) => {
    if (Number.isFinite(window) && i < window - 1) return NaN;
    let pv = 0, v = 0;
    for (let j = i; j >= 0 && i - j < window && group(j) === group(i); j--) {
      pv += (f.high[j]! + f.low[j]! + f.close[j]!) / 3 * f.volume[j]!;
      v += f.volume[j]!;
    }
    return v > 0 ? pv / v : NaN;
  });
}

Deno.test("vwap: hand-worked cumulative, rolling and session forms", () => {
  const bars = {
    high: Float64Array.of(12, 21, 30, 40),
    low: Float64Array.of(6, 19, 30, 40),
    close: Float64Array.of(9, 20, 30, 40),
    volume: Float64Array.of(2, 2, 0, 4),
    ts: Float64Array.of(0, 3_600_000, 86_400_000, 86_400_000 + 60_000),
  };
  // typical prices 9, 20, 30, 40
  assertSeriesClose(vwap(bars), [9, 14.5, 14.5, (18 + 40 + 160) / 8], 1e-12, "cumulative");
  assertSeriesClose(vwap(bars, { window: 2 }), [NaN, 14.5, 20, 40], 1e-12, "rolling");
  // Day 2 starts at bar 2 with zero volume: undefined until volume trades.
  assertSeriesClose(vwap(bars, { sessionMs: 86_400_000 }), [9, 14.5, NaN, 40], 1e-12, "session");
  // Days starting at 00:30: bar 0 (00:00) closes the previous day, bars 1-3 share the next one.
  assertSeriesClose(
    vwap(bars, { sessionMs: 86_400_000, sessionOffsetMs: 1_800_000 }),
    [9, 20, 20, (40 + 160) / 6],
    1e-12,
    "offset",
  );
  assert.equal(vwapWarmup(), 0);
  assert.equal(vwapWarmup({ window: 20 }), 19);
});

Deno.test("vwap: matches the direct definition on random data", () => {
  const f = randomBars({ n: 3000, seed: 16, stepMs: 3_600_000 });
  assertSeriesClose(vwap(f), naiveVwap(f, () => 0), 1e-8, "cumulative");
  assertSeriesClose(vwap(f, { window: 30 }), naiveVwap(f, () => 0, 30), 1e-8, "rolling");
  assertSeriesClose(vwap(f, { window: 1100 }), naiveVwap(f, () => 0, 1100), 1e-8, "rolling 1100");
  const day = (i: number): number => Math.floor(f.ts[i]! / 86_400_000);
  assertSeriesClose(vwap(f, { sessionMs: 86_400_000 }), naiveVwap(f, day), 1e-8, "daily");
});

Deno.test("vwap: missing bars and bad options", () => {
  const bars = {
    high: Float64Array.of(10, 20, 30),
    low: Float64Array.of(10, 20, 30),
    close: Float64Array.of(10, NaN, 30),
    volume: Float64Array.of(1, 1, 1),
  };
  assertSeriesClose(vwap(bars), [10, NaN, 20], 0, "cumulative");
  assertSeriesClose(vwap(bars, { window: 2 }), [NaN, NaN, NaN], 0, "rolling");
  assert.throws(() => vwap(bars, { sessionMs: 86_400_000 }), { name: "TypeError", message: /ts column/ });
  assert.throws(() => vwap(bars, { window: 2, sessionMs: 1 }), { name: "RangeError", message: /not both/ });
  assert.throws(() => vwap(bars, { window: 0 }), { name: "RangeError", message: /window.*got 0/ });
});

Deno.test("vwap: is causal in every form", () => {
  const { clean, gappy } = fixtures(2500, 141);
  for (const f of [clean, gappy]) {
    assertCausal((k) => vwap(f.slice(0, k)), f.length, { name: "vwap" });
    assertCausal((k) => vwap(f.slice(0, k), { window: 50 }), f.length, { name: "vwap window" });
    assertCausal((k) => vwap(f.slice(0, k), { sessionMs: 3_600_000 }), f.length, { name: "vwap session" });
  }
});
