import assert from "node:assert/strict";
import { sma } from "../sma.ts";
import { SmaStream } from "./sma_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";
import type { StreamColumn } from "./indicator_stream.ts";

Deno.test("SmaStream equals sma() bit for bit on random, gappy and hard data", () => {
  for (const { name, frame } of frames(11)) {
    for (const period of [1, 2, 3, 14, 50, 200, 1024, 1100]) {
      for (const column of ["close", "volume"] as StreamColumn[]) {
        const s = new SmaStream(period, { column });
        const [got] = collect(frame, (b) => s.push(b), () => s.value);
        assertSameSeries(got!, sma(col(frame, column), period), `${name} period ${period} ${column}`);
        assert.equal(s.count, frame.length);
      }
    }
  }
});

Deno.test("SmaStream crosses many rebuild blocks exactly", () => {
  const x = Float64Array.from({ length: 5_000 }, (_, i) => 1e6 + Math.sin(i) * 1e-3 + (i % 97 === 0 ? NaN : 0));
  for (const period of [3, 1000, 1024, 2048]) {
    const s = new SmaStream(period);
    assertSameSeries(x.map((v) => s.update(v)), sma(x, period), `period ${period}`);
  }
});

Deno.test("SmaStream rejects bad arguments with the value and the fix", () => {
  assert.throws(() => new SmaStream(0), /period must be a positive integer number of bars, got 0/);
  assert.throws(() => new SmaStream(2.5), /got 2.5/);
  assert.throws(() => new SmaStream(3, { column: "ts" as StreamColumn }), /column must be one of .* got "ts"/);
  const s = new SmaStream(2);
  assert.ok(Number.isNaN(s.value));
  assert.equal(s.count, 0);
});
