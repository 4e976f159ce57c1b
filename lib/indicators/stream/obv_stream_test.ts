import { obv } from "../obv.ts";
import { ObvStream } from "./obv_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";

Deno.test("ObvStream equals obv() bit for bit on random, gappy and hard data", () => {
  for (const { name, frame } of frames(71)) {
    const s = new ObvStream();
    const [got] = collect(frame, (b) => s.push(b), () => s.value);
    assertSameSeries(got!, obv({ close: col(frame, "close"), volume: col(frame, "volume") }), name);
  }
});

Deno.test("ObvStream: a missing first bar and holes", () => {
  const close = Float64Array.of(NaN, 1, 2, 2, Infinity, 3, 1);
  const volume = Float64Array.of(1, 2, 3, 4, 5, -Infinity, 7);
  const s = new ObvStream();
  assertSameSeries(close.map((c, i) => s.update(c, volume[i]!)), obv({ close, volume }), "holes");
});
