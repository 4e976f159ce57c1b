import assert from "node:assert/strict";
import { randomBars } from "./random_bars.ts";

Deno.test("randomBars: deterministic per seed, different across seeds", () => {
  const a = randomBars({ n: 500, seed: 42 });
  assert.deepEqual(a.toBars(), randomBars({ n: 500, seed: 42 }).toBars());
  assert.notDeepEqual(a.close, randomBars({ n: 500, seed: 43 }).close);
  // A prefix of a longer run is the shorter run: fixtures are stable as tests grow.
  assert.deepEqual(randomBars({ n: 100, seed: 42 }).close, a.close.slice(0, 100));
});

Deno.test("randomBars: consistent OHLCV on a regular clock", () => {
  const f = randomBars({ n: 2000, seed: 3, start: 0, stepMs: 3_600_000, price: 50, volatility: 0.02 });
  assert.equal(f.open[0], 50);
  for (let i = 0; i < f.length; i++) {
    assert.equal(f.ts[i], i * 3_600_000);
    assert.ok(f.low[i]! > 0 && f.low[i]! <= Math.min(f.open[i]!, f.close[i]!));
    assert.ok(f.high[i]! >= Math.max(f.open[i]!, f.close[i]!));
    assert.ok(f.volume[i]! >= 0);
    if (i > 0) assert.equal(f.open[i], f.close[i - 1]);
  }
  const flat = f.close.filter((c, i) => c === f.high[i] && c === f.low[i]).length;
  assert.ok(flat > 10 && flat < 100, `${flat} flat bars`);
});

Deno.test("randomBars: missing bars are NaN in every value column", () => {
  const f = randomBars({ n: 5000, seed: 9, missing: 0.05 });
  const holes = [...f.close.keys()].filter((i) => Number.isNaN(f.close[i]!));
  assert.ok(holes.length > 150 && holes.length < 350);
  for (const i of holes) assert.ok(["open", "high", "low", "volume"].every((c) => Number.isNaN(f.col(c)[i]!)));
  assert.throws(() => randomBars({ n: -1, seed: 1 }), { name: "RangeError", message: /got -1/ });
  assert.throws(() => randomBars({ n: 1, seed: 1, price: 0 }), RangeError);
});
