import { atr } from "../atr.ts";
import { AtrStream } from "./atr_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";

Deno.test("AtrStream equals atr() bit for bit on random, gappy and hard data", () => {
  for (const { name, frame } of frames(81)) {
    for (const period of [1, 2, 14, 100]) {
      const s = new AtrStream(period);
      const [got] = collect(frame, (b) => s.push(b), () => s.value);
      const hlc = { high: col(frame, "high"), low: col(frame, "low"), close: col(frame, "close") };
      assertSameSeries(got!, atr(hlc, period), `${name} period ${period}`);
    }
  }
});
