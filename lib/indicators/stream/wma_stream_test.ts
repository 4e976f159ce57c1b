import { wma } from "../wma.ts";
import { WmaStream } from "./wma_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";

Deno.test("WmaStream equals wma() bit for bit on random, gappy and hard data", () => {
  for (const { name, frame } of frames(31)) {
    for (const period of [1, 2, 3, 14, 100, 1024, 1300]) {
      const s = new WmaStream(period, { column: "low" });
      const [got] = collect(frame, (b) => s.push(b), () => s.value);
      assertSameSeries(got!, wma(col(frame, "low"), period), `${name} period ${period}`);
    }
  }
});

Deno.test("WmaStream crosses many rebuild blocks exactly", () => {
  const x = Float64Array.from({ length: 6_000 }, (_, i) => 1e8 + Math.cos(i) + (i % 501 === 7 ? Infinity : 0));
  for (const period of [2, 50, 1024, 2000]) {
    const s = new WmaStream(period);
    assertSameSeries(x.map((v) => s.update(v)), wma(x, period), `period ${period}`);
  }
});
