import assert from "node:assert/strict";
import { randomBars } from "../testing/mod.ts";
import { smaCross } from "./sma_cross.ts";
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

Deno.test("sma_cross: hand-worked crossings, shorts mirrored", () => {
  // close   10    11    12    11      10    9    10      12    14
  // SMA2     -  10.5  11.5  11.5    10.5  9.5   9.5     11    13
  // SMA3     -     -    11  11.333    11   10   9.667  10.333  12
  // fast > slow on bar 2 already, but bar 1 has no SMA3, so that is not a cross (warmup 3).
  // Bar 4: 10.5 < 11 after 11.5 >= 11.333 -> cross below. Bar 7: 11 > 10.333 after 9.5 <= 9.667 -> above.
  const s = run(smaCross, closeFrame([10, 11, 12, 11, 10, 9, 10, 12, 14]), { fast: 2, slow: 3 });
  assert.deepEqual(on(s.entries), [7]);
  assert.deepEqual(on(s.exits), [4]);
  assert.deepEqual(on(s.shortEntries), [4]);
  assert.deepEqual(on(s.shortExits), [7]);
  assert.equal(smaCross.warmup({ fast: 2, slow: 3 }), 3);
});

Deno.test("sma_cross: a signal can fall exactly on the warmup bar", () => {
  // fast 1 (the close) vs SMA3: bar 2 close 3 = SMA 3 (a touch), bar 3 close 6 > SMA 4 -> entry on bar 3 = warmup.
  const s = run(smaCross, closeFrame([3, 3, 3, 6]), { fast: 1, slow: 3 });
  assert.deepEqual(on(s.entries), [3]);
  assert.equal(smaCross.warmup({ fast: 1, slow: 3 }), 3);
});

Deno.test("sma_cross: touching is not crossing; the move after a touch is", () => {
  // close 3, 1, 2, 2, 3 vs SMA2 -, 2, 1.5, 2, 2.5: close - SMA = -1, +0.5, 0 (touch), +0.5.
  // crossedAbove needs > now and <= before: bars 2 and 4. No bar is strictly below after being >=.
  const s = run(smaCross, closeFrame([3, 1, 2, 2, 3]), { fast: 1, slow: 2 });
  assert.deepEqual(on(s.entries), [2, 4]);
  assert.deepEqual(on(s.exits), []);
});

Deno.test("sma_cross: a missing bar hides a cross (both bars must be defined)", () => {
  // close 3, 1, NaN, 3, 4: SMA2 is NaN on bars 2 and 3, so the move from below (bar 1) to above
  // (bar 4, 4 > 3.5) has no defined previous bar and is not signalled.
  const s = run(smaCross, closeFrame([3, 1, NaN, 3, 4]), { fast: 1, slow: 2 });
  assert.deepEqual(on(s.entries), []);
  assert.deepEqual(on(s.exits), []);
});

Deno.test("sma_cross: causal on random bars (with missing bars)", () => {
  for (const [seed, missing] of [[1, 0], [2, 0.02]] as const) {
    const frame = randomBars({ n: 400, seed, missing });
    for (const p of [{ fast: 1, slow: 5 }, { fast: 3, slow: 8 }, { fast: 10, slow: 30 }]) {
      assertSignalsCausal(smaCross, frame, p);
    }
  }
});

Deno.test("sma_cross: no signal before warmup, crossover hint agrees, indicators declared", () => {
  const frame = randomBars({ n: 2_000, seed: 11, volatility: 0.02 });
  for (const fast of [1, 2, 5, 13]) {
    for (const slow of [fast + 1, 20, 50]) {
      if (slow <= fast) continue;
      const p = { fast, slow };
      const first = assertWarmupRespected(smaCross, frame, p);
      assert.ok(first >= 0, `expected some signal for ${JSON.stringify(p)}`);
      assertCrossoverAgrees(smaCross, frame, p);
      assertRequestsDeclared(smaCross, frame, p);
    }
  }
});

Deno.test("sma_cross: param defaults, coercion and errors", () => {
  assert.deepEqual(parseParams(smaCross, {}), { fast: 10, slow: 30 });
  assert.deepEqual(parseParams(smaCross, { fast: "20", slow: " 50 " }), { fast: 20, slow: 50 });
  assert.throws(
    () => parseParams(smaCross, { fast: "50", slow: "20" }),
    { name: "ParamError", message: "sma_cross: fast must be < slow (got fast=50, slow=20)" },
  );
  assert.throws(
    () => parseParams(smaCross, { fast: 0 }),
    { message: "sma_cross: fast must be an integer from 1 to 10000 (got 0)" },
  );
  assert.throws(
    () => parseParams(smaCross, { slow: "20.5" }),
    { message: "sma_cross: slow must be an integer from 2 to 10000 (got 20.5)" },
  );
  assert.throws(
    () => parseParams(smaCross, { fast: "ten" }),
    { message: 'sma_cross: fast must be an integer from 1 to 10000 (got "ten")' },
  );
  assert.throws(
    () => parseParams(smaCross, { fats: 5 }),
    { message: 'unknown param "fats" for sma_cross; params are fast, slow' },
  );
  // The default slow (30) with fast 40 breaks the cross-field rule too.
  assert.throws(() => parseParams(smaCross, { fast: 40 }), /fast must be < slow \(got fast=40, slow=30\)/);
});
