import { rollingStd } from "../rolling_std.ts";
import { RollingStdStream } from "./rolling_std_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";

Deno.test("RollingStdStream equals rollingStd() bit for bit on random, gappy and hard data", () => {
  for (const { name, frame } of frames(111)) {
    for (const period of [1, 2, 3, 20, 128, 129, 400]) {
      for (const ddof of [0, 1, 2]) {
        const s = new RollingStdStream(period, { ddof, column: "volume" });
        const [got] = collect(frame, (b) => s.push(b), () => s.value);
        assertSameSeries(got!, rollingStd(col(frame, "volume"), period, { ddof }), `${name} p ${period} ddof ${ddof}`);
      }
    }
  }
});

Deno.test("RollingStdStream: outliers leaving the window trigger the same precision rebuilds", () => {
  // A spike every 97 bars on a 1e9 level: each exit collapses the spread and forces a rebuild.
  const x = Float64Array.from({ length: 4_000 }, (_, i) => 1e9 + Math.sin(i * 0.7) * 1e-3 + (i % 97 === 5 ? 1e7 : 0));
  for (const period of [5, 20, 128, 300]) {
    const s = new RollingStdStream(period);
    assertSameSeries(x.map((v) => s.update(v)), rollingStd(x, period), `period ${period}`);
  }
});
