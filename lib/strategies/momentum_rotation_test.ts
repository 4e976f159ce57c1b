import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";
import { momentumRotation } from "./momentum_rotation.ts";
import { parseParams } from "./parse_params.ts";

function frames(closes: Record<string, number[]>): Record<string, Frame> {
  const out: Record<string, Frame> = {};
  for (const [a, c] of Object.entries(closes)) {
    out[a] = new Frame(Float64Array.from(c.keys()), { close: Float64Array.from(c) });
  }
  return out;
}

function weightsOf(f: Record<string, Frame>, p: Parameters<typeof momentumRotation.weights>[1]) {
  const w = momentumRotation.weights(f, p);
  return Object.fromEntries(Object.entries(w).map(([a, s]) => [a, [...s.weights]]));
}

const market = {
  a: [100, 100, 110, 120, 100, 100, 90],
  b: [50, 55, 50, 60, 66, 66, 80],
  c: [10, 10, 10, 10, 10, 12, 12],
};

Deno.test("momentum_rotation: hand-worked top-2 rotation every 2 bars", () => {
  // lookback 2, rebalance on bars 2, 4, 6.
  // bar 2: a 110/100-1 = +10%, b 50/50-1 = 0, c 0 -> a, then b (tie with c goes to the first listed).
  // bar 4: a 100/110-1 = -9.1%, b 66/50-1 = +32%, c 0 -> b, c.
  // bar 6: a 90/100-1 = -10%, b 80/66-1 = +21.2%, c 12/10-1 = +20% -> b, c.
  const N = NaN;
  assert.deepEqual(weightsOf(frames(market), { lookback: 2, k: 2, every: 2, weight: 0 }), {
    a: [N, N, 0.5, N, 0, N, 0],
    b: [N, N, 0.5, N, 0.5, N, 0.5],
    c: [N, N, 0, N, 0.5, N, 0.5],
  });
  assert.equal(momentumRotation.warmup({ lookback: 2, k: 2, every: 2, weight: 0 }), 2);
});

Deno.test("momentum_rotation: weight param, fewer rankable assets than k, missing prices", () => {
  const N = NaN;
  // weight 0.3 each instead of 1/2
  assert.deepEqual(weightsOf(frames(market), { lookback: 2, k: 2, every: 4, weight: 0.3 }).b, [
    N,
    N,
    0.3,
    N,
    N,
    N,
    0.3,
  ]);
  // k = 5 with 3 assets: each held asset gets 1/5 and 40% stays in cash
  assert.deepEqual(weightsOf(frames(market), { lookback: 6, k: 5, every: 1, weight: 0 }), {
    a: [N, N, N, N, N, N, 0.2],
    b: [N, N, N, N, N, N, 0.2],
    c: [N, N, N, N, N, N, 0.2],
  });
  // Bar 4: b's price is 0 and c's is missing; bar 6: their prices 2 bars back (bar 4) are. Neither
  // can be ranked on bars 4 and 6, so they get 0 and a is held although its return is negative
  // (-9.1% on bar 4, -10% on bar 6). Bar 2 is as before: a +10%, b 0, c 0 -> a.
  const gappy = frames({ a: market.a, b: [50, 55, 50, 60, 0, 66, 80], c: [10, 10, 10, 10, NaN, 12, 12] });
  assert.deepEqual(weightsOf(gappy, { lookback: 2, k: 1, every: 2, weight: 0 }), {
    a: [N, N, 1, N, 1, N, 1],
    b: [N, N, 0, N, 0, N, 0],
    c: [N, N, 0, N, 0, N, 0],
  });
});

Deno.test("momentum_rotation: misaligned or empty frames are refused", () => {
  const a = new Frame(Float64Array.of(0, 1, 2), { close: Float64Array.of(1, 2, 3) });
  const b = new Frame(Float64Array.of(0, 1, 3), { close: Float64Array.of(1, 2, 3) });
  const p = parseParams(momentumRotation, {});
  assert.throws(() => momentumRotation.weights({ a, b }, p), {
    name: "RangeError",
    message: 'momentum_rotation: frame "b" has ts 3 at bar 2 but "a" has 2; align the frames on one timeline first',
  });
  assert.throws(() => momentumRotation.weights({ a, b: b.slice(0, 2) }, p), /has 2 bars but "a" has 3/);
  assert.throws(() => momentumRotation.weights({}, p), /at least one asset/);
});

Deno.test("momentum_rotation: causal, and no weight before warmup", () => {
  const n = 300;
  const all: Record<string, Frame> = {};
  for (const [i, a] of ["btc", "eth", "sol", "ada"].entries()) {
    all[a] = randomBars({ n, seed: 100 + i, volatility: 0.02, missing: i === 3 ? 0.05 : 0 });
  }
  for (const p of [{ lookback: 1, k: 1, every: 1, weight: 0 }, { lookback: 20, k: 2, every: 7, weight: 0.4 }]) {
    assertCausal(
      (k) => {
        const prefix = Object.fromEntries(Object.entries(all).map(([a, f]) => [a, f.slice(0, k)]));
        const w = momentumRotation.weights(prefix, p);
        return Object.fromEntries(Object.entries(w).map(([a, s]) => [a, s.weights]));
      },
      n,
      { name: `momentum_rotation ${JSON.stringify(p)}` },
    );
    const w = momentumRotation.weights(all, p);
    for (const s of Object.values(w)) {
      const first = s.weights.findIndex((x) => Number.isFinite(x));
      assert.equal(first, momentumRotation.warmup(p));
    }
  }
});

Deno.test("momentum_rotation: param errors", () => {
  assert.deepEqual(parseParams(momentumRotation, {}), { lookback: 20, k: 1, every: 5, weight: 0 });
  assert.throws(() => parseParams(momentumRotation, { k: "3", weight: "0.5" }), {
    message: "momentum_rotation: k * weight must be <= 1 (got k=3, weight=0.5): that would invest more than the equity",
  });
  assert.throws(() => parseParams(momentumRotation, { every: 0 }), {
    message: "momentum_rotation: every must be an integer from 1 to 10000 (got 0)",
  });
});
