import assert from "node:assert/strict";
import { randomBars } from "../testing/mod.ts";
import { buyAndHold } from "./buy_and_hold.ts";
import { parseParams } from "./parse_params.ts";
import { assertSignalsCausal, closeFrame, on, run } from "./_testing.ts";

Deno.test("buy_and_hold: one entry on the first bar with a price, nothing else", () => {
  const s = run(buyAndHold, closeFrame([100, 90, 120]), {});
  assert.deepEqual(on(s.entries), [0]);
  assert.deepEqual(on(s.exits), []);
  assert.deepEqual(on(s.shortEntries), []);
  assert.deepEqual(on(s.shortExits), []);
  assert.deepEqual(on(run(buyAndHold, closeFrame([NaN, NaN, 5, 6]), {}).entries), [2]);
  assert.deepEqual(on(run(buyAndHold, closeFrame([]), {}).entries), []);
  assert.equal(buyAndHold.warmup({}), 0);
});

Deno.test("buy_and_hold: causal (also when the data starts with missing bars)", () => {
  assertSignalsCausal(buyAndHold, randomBars({ n: 200, seed: 16 }), {});
  assertSignalsCausal(buyAndHold, closeFrame([NaN, NaN, NaN, 4, 5, NaN, 7]), {});
});

Deno.test("buy_and_hold: takes no params", () => {
  assert.deepEqual(parseParams(buyAndHold, {}), {});
  assert.throws(() => parseParams(buyAndHold, { fast: 3 }), {
    message: 'unknown param "fast" for buy_and_hold; params are (none)',
  });
});
