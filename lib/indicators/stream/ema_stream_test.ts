import assert from "node:assert/strict";
import { ema } from "../ema.ts";
import { EmaStream } from "./ema_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";
import type { EmaSeed } from "../ema.ts";

Deno.test("EmaStream equals ema() bit for bit for both seeds, on random, gappy and hard data", () => {
  for (const { name, frame } of frames(21)) {
    for (const period of [1, 2, 5, 12, 26, 200]) {
      for (const seed of ["sma", "first"] as EmaSeed[]) {
        const s = new EmaStream(period, { seed, column: "high" });
        const [got] = collect(frame, (b) => s.push(b), () => s.value);
        assertSameSeries(got!, ema(col(frame, "high"), period, { seed }), `${name} period ${period} seed ${seed}`);
      }
    }
  }
});

Deno.test("EmaStream: leading and planted holes delay the seed and are skipped", () => {
  const x = Float64Array.of(NaN, Infinity, 1, 2, -Infinity, 3, NaN, 4, 5);
  const s = new EmaStream(3);
  assertSameSeries(x.map((v) => s.update(v)), ema(x, 3), "holes");
  assert.equal(s.count, x.length);
});

Deno.test("EmaStream rejects a bad seed, naming it", () => {
  assert.throws(() => new EmaStream(3, { seed: "mean" as EmaSeed }), /seed must be "sma" or "first", got "mean"/);
});
