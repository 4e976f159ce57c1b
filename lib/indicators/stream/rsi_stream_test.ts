import { rsi } from "../rsi.ts";
import { RsiStream } from "./rsi_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";

Deno.test("RsiStream equals rsi() bit for bit on random, gappy and hard data", () => {
  for (const { name, frame } of frames(41)) {
    for (const period of [1, 2, 3, 14, 50]) {
      const s = new RsiStream(period);
      const [got] = collect(frame, (b) => s.push(b), () => s.value);
      assertSameSeries(got!, rsi(col(frame, "close"), period), `${name} period ${period}`);
    }
  }
});

Deno.test("RsiStream: flat stretches and holes", () => {
  const x = Float64Array.of(5, 5, 5, 5, NaN, 5, 6, Infinity, 7, 7, 6, -Infinity, 5, 5);
  const s = new RsiStream(2);
  assertSameSeries(x.map((v) => s.update(v)), rsi(x, 2), "flat and holes");
});
