import assert from "node:assert/strict";
import { randomBars } from "../testing/mod.ts";
import { emaCross } from "./ema_cross.ts";
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

Deno.test("ema_cross: hand-worked crossings with SMA-seeded EMAs", () => {
  // close     10   10   10     10       8       8       12
  // EMA2 (alpha 2/3, seed SMA of bars 0-1 = 10): 10, 10, 10, 8.6667, 8.2222, 10.7407 from bar 1
  // EMA4 (alpha 0.4, seed SMA of bars 0-3 = 10): 10 on bar 3, then 9.2, 8.72, 10.032
  // Bar 3 is a touch (10 = 10); bar 4: 8.667 < 9.2 after 10 >= 10 -> cross below (on the warmup bar 4);
  // bar 6: 10.741 > 10.032 after 8.222 <= 8.72 -> cross above.
  const s = run(emaCross, closeFrame([10, 10, 10, 10, 8, 8, 12]), { fast: 2, slow: 4 });
  assert.deepEqual(on(s.exits), [4]);
  assert.deepEqual(on(s.entries), [6]);
  assert.deepEqual(on(s.shortEntries), [4]);
  assert.deepEqual(on(s.shortExits), [6]);
  assert.equal(emaCross.warmup({ fast: 2, slow: 4 }), 4);
});

Deno.test("ema_cross: causal on random bars (with missing bars)", () => {
  for (const [seed, missing] of [[3, 0], [4, 0.02]] as const) {
    const frame = randomBars({ n: 400, seed, missing });
    for (const p of [{ fast: 1, slow: 4 }, { fast: 5, slow: 13 }, { fast: 12, slow: 26 }]) {
      assertSignalsCausal(emaCross, frame, p);
    }
  }
});

Deno.test("ema_cross: no signal before warmup, crossover hint agrees, indicators declared", () => {
  const frame = randomBars({ n: 2_000, seed: 12, volatility: 0.02 });
  for (const [fast, slow] of [[1, 2], [2, 7], [5, 20], [12, 26], [20, 100]] as const) {
    const p = { fast, slow };
    assert.ok(assertWarmupRespected(emaCross, frame, p) >= 0);
    assertCrossoverAgrees(emaCross, frame, p);
    assertRequestsDeclared(emaCross, frame, p);
  }
});

Deno.test("ema_cross: param errors name the values", () => {
  assert.deepEqual(parseParams(emaCross, {}), { fast: 12, slow: 26 });
  assert.throws(() => parseParams(emaCross, { fast: 26, slow: 26 }), {
    message: "ema_cross: fast must be < slow (got fast=26, slow=26)",
  });
  assert.throws(
    () => parseParams(emaCross, { slow: 1 }),
    /ema_cross: slow must be an integer from 2 to 10000 \(got 1\)/,
  );
});
