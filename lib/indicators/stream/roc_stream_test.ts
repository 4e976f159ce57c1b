import { roc } from "../roc.ts";
import { RocStream } from "./roc_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";

Deno.test("RocStream equals roc() bit for bit on random, gappy and hard data", () => {
  for (const { name, frame } of frames(51)) {
    for (const period of [1, 2, 10, 250]) {
      const s = new RocStream(period, { column: "open" });
      const [got] = collect(frame, (b) => s.push(b), () => s.value);
      assertSameSeries(got!, roc(col(frame, "open"), period), `${name} period ${period}`);
    }
  }
});

Deno.test("RocStream: a zero base gives ±Infinity or NaN as roc() does", () => {
  const x = Float64Array.of(0, 1, -1, 0, 0, 5);
  const s = new RocStream(1);
  assertSameSeries(x.map((v) => s.update(v)), roc(x, 1), "zero base");
});
