import assert from "node:assert/strict";
import { randomBars } from "../testing/mod.ts";
import { IndicatorCache } from "./indicator_cache.ts";
import { smaCross } from "./sma_cross.ts";
import { run } from "./_testing.ts";

Deno.test("IndicatorCache: a sweep computes each distinct SMA once and gets the same signals", () => {
  const frame = randomBars({ n: 1_000, seed: 31 });
  const cache = new IndicatorCache(frame);
  const grid: { fast: number; slow: number }[] = [];
  for (const fast of [2, 5, 10]) for (const slow of [20, 30, 50]) grid.push({ fast, slow });
  cache.prefetch(grid.flatMap((p) => smaCross.indicators!(p)));
  assert.equal(cache.size, 6);
  assert.deepEqual(cache.keys(), [
    "sma:close:2",
    "sma:close:20",
    "sma:close:30",
    "sma:close:50",
    "sma:close:5",
    "sma:close:10",
  ]);
  let computed = 0;
  const counting = new Proxy(cache, {
    get(target, prop) {
      if (prop === "indicator") {
        return (key: string, compute: Parameters<IndicatorCache["indicator"]>[1]) =>
          target.indicator(key, (f) => (computed++, compute(f)));
      }
      return Reflect.get(target, prop, target);
    },
  });
  for (const p of grid) assert.deepEqual(run(smaCross, frame, p, counting), run(smaCross, frame, p));
  assert.equal(computed, 0, "everything was prefetched");
  assert.ok(cache.has("sma:close:50"));
});

Deno.test("IndicatorCache: a compute that returns the wrong length is refused", () => {
  const frame = randomBars({ n: 10, seed: 1 });
  const cache = new IndicatorCache(frame);
  assert.throws(() => cache.indicator("bad", () => new Float64Array(3)), {
    name: "TypeError",
    message:
      `indicator "bad" returned a Float64Array of length 3; it must return a Float64Array of the frame's length 10`,
  });
  assert.equal(cache.size, 0);
});
