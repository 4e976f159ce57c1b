import assert from "node:assert/strict";
import { randomBars } from "../testing/mod.ts";
import { macdCross } from "./macd_cross.ts";
import { parseParams } from "./parse_params.ts";
import {
  assertCrossoverAgrees,
  assertRequestsDeclared,
  assertSignalsCausal,
  assertWarmupRespected,
  closeFrame,
  on,
  run,
} from "./_testing.ts";

Deno.test("macd: hand-worked signal-line crosses", () => {
  // fast 1, slow 2, signal 2. EMA1 is the close; EMA2 (alpha 2/3, SMA seed) from bar 1: 10, 10, 10, 34/3, 82/9.
  // MACD line (close - EMA2) from bar 1: 0, 0, 0, 2/3, -10/9.
  // Signal (EMA2 of the line, seeded by the SMA of bars 1-2) from bar 2: 0, 0, 4/9, -16/27.
  // Bar 3 is a touch (0 = 0); bar 4: 2/3 > 4/9 -> cross above; bar 5: -10/9 < -16/27 -> cross below.
  const s = run(macdCross, closeFrame([10, 10, 10, 10, 12, 8]), { fast: 1, slow: 2, signal: 2 });
  assert.deepEqual(on(s.entries), [4]);
  assert.deepEqual(on(s.exits), [5]);
  assert.deepEqual(on(s.shortEntries), [5]);
  assert.deepEqual(on(s.shortExits), [4]);
  // signal line first defined at slow + signal - 2 = 2, first possible cross at 3
  assert.equal(macdCross.warmup({ fast: 1, slow: 2, signal: 2 }), 3);
  assert.equal(macdCross.warmup({ fast: 12, slow: 26, signal: 9 }), 34);
});

Deno.test("macd: causal on random bars (with missing bars)", () => {
  for (const [seed, missing] of [[13, 0], [14, 0.02]] as const) {
    const frame = randomBars({ n: 400, seed, missing });
    for (
      const p of [{ fast: 1, slow: 2, signal: 1 }, { fast: 3, slow: 7, signal: 4 }, { fast: 12, slow: 26, signal: 9 }]
    ) {
      assertSignalsCausal(macdCross, frame, p);
    }
  }
});

Deno.test("macd: no signal before warmup, crossover hint agrees, indicators declared", () => {
  const frame = randomBars({ n: 2_000, seed: 15, volatility: 0.02 });
  for (
    const p of [{ fast: 2, slow: 5, signal: 3 }, { fast: 12, slow: 26, signal: 9 }, { fast: 5, slow: 35, signal: 5 }]
  ) {
    assert.ok(assertWarmupRespected(macdCross, frame, p) >= macdCross.warmup(p));
    assertCrossoverAgrees(macdCross, frame, p);
    assertRequestsDeclared(macdCross, frame, p);
  }
});

Deno.test("macd: param errors", () => {
  assert.deepEqual(parseParams(macdCross, {}), { fast: 12, slow: 26, signal: 9 });
  assert.throws(() => parseParams(macdCross, { fast: 30 }), {
    message: "macd: fast must be < slow (got fast=30, slow=26)",
  });
  assert.throws(() => parseParams(macdCross, { signal: 0, sigal: 3 }), {
    message: 'unknown param "sigal" for macd; params are fast, slow, signal',
  });
});
