import assert from "node:assert/strict";
import { crossedAbove } from "./crossed_above.ts";
import { fixtures } from "./_test_utils.ts";
import { ema } from "./ema.ts";
import { sma } from "./sma.ts";
import { assertCausal } from "../testing/mod.ts";

Deno.test("crossedAbove: needs all four values defined", () => {
  const a = Float64Array.of(1, 3, NaN, 3, 1, 1, 2);
  const b = Float64Array.of(2, 2, 2, 2, NaN, 0, 2);
  // i=1 crosses; i=3 follows a NaN; i=5 follows a NaN b; i=6 is equal, not above.
  assert.deepEqual([...crossedAbove(a, b)], [0, 1, 0, 0, 0, 0, 0]);
  assert.deepEqual([...crossedAbove(Float64Array.of(1, 2, 3), 2)], [0, 0, 1]); // touching is not crossing
  assert.deepEqual([...crossedAbove(Float64Array.of(2, 3), 2)], [0, 1]); // from equal counts
  assert.deepEqual([...crossedAbove(Float64Array.of(1, 3), NaN)], [0, 0]);
  assert.equal(crossedAbove(new Float64Array(0), 1).length, 0);
});

Deno.test("crossedAbove: writes into out and validates", () => {
  const out = new Uint8Array(3);
  assert.equal(crossedAbove(Float64Array.of(1, 2, 3), 1.5, { out }), out);
  assert.throws(() => crossedAbove(Float64Array.of(1, 2), Float64Array.of(1)), {
    name: "RangeError",
    message: /b has 1/,
  });
  assert.throws(() => crossedAbove(Float64Array.of(1), 1, { out: new Uint8Array(2) }), { name: "RangeError" });
});

Deno.test("crossedAbove: is causal", () => {
  const { clean, gappy } = fixtures(600, 151);
  for (const f of [clean, gappy]) {
    assertCausal(
      (k) => {
        const c = f.close.subarray(0, k);
        return crossedAbove(ema(c, 5), sma(c, 20));
      },
      f.length,
      { name: "crossedAbove" },
    );
  }
});
