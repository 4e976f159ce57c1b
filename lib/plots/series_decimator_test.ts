import assert from "node:assert/strict";
import { SeriesDecimator } from "./series_decimator.ts";
import { drawSeries } from "./_data.ts";
import { innerWidth } from "./_render.ts";

function check(ts: Float64Array, y: Float64Array, width = 900): void {
  const d = new SeriesDecimator(ts, width);
  for (let i = 0; i < y.length; i++) d.push(y[i]!);
  const got = d.finish();
  const want = drawSeries(ts, y, innerWidth(width));
  assert.deepEqual([...got.x], [...want.x]);
  assert.deepEqual([...got.y], [...want.y]);
}

Deno.test("SeriesDecimator keeps exactly the points drawSeries keeps (NaN runs, flat runs, gaps, ties)", () => {
  let s = 7;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  for (const n of [0, 1, 5, 3248, 3249, 10_000, 123_457]) {
    const ts = new Float64Array(n);
    let t = Date.UTC(2024, 0, 1);
    for (let i = 0; i < n; i++) {
      // Missing bars (empty buckets) and repeated times.
      t += rand() < 0.001 ? 60_000 * 5_000 : rand() < 0.01 ? 0 : 60_000;
      ts[i] = t;
    }
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = rand();
      y[i] = r < 0.05 ? NaN : r < 0.3 ? 0 : r < 0.35 ? 1 : Math.round(rand() * 100) / 10;
    }
    // A long NaN stretch and a flat one, each wider than a pixel column.
    y.fill(NaN, Math.floor(n / 3), Math.floor(n / 3) + Math.floor(n / 50));
    y.fill(2, Math.floor(n / 2), Math.floor(n / 2) + Math.floor(n / 50));
    check(ts, y);
    check(ts, y, 300);
  }
});

Deno.test("SeriesDecimator checks ts as decimate does and counts the pushes", () => {
  const ts = Float64Array.from({ length: 5000 }, (_, i) => i);
  ts[4000] = 0;
  assert.throws(() => new SeriesDecimator(ts), /non-decreasing/);
  const d = new SeriesDecimator(Float64Array.of(1, 2, 3));
  d.push(1);
  assert.throws(() => d.finish(), /1 values pushed for 3 bars/);
});
