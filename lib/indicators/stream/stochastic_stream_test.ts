import { stochastic } from "../stochastic.ts";
import { StochasticStream } from "./stochastic_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";

Deno.test("StochasticStream equals stochastic() bit for bit in %K and %D", () => {
  for (const { name, frame } of frames(131)) {
    for (const [kPeriod, smoothK, dPeriod] of [[14, 1, 3], [14, 3, 3], [1, 1, 1], [2, 2, 2], [50, 5, 10]]) {
      const s = new StochasticStream({ kPeriod, smoothK, dPeriod });
      const [k, d] = collect(frame, (b) => s.push(b), () => s.k, () => s.d);
      const hlc = { high: col(frame, "high"), low: col(frame, "low"), close: col(frame, "close") };
      const want = stochastic(hlc, { kPeriod, smoothK, dPeriod });
      const label = `${name} ${kPeriod}/${smoothK}/${dPeriod}`;
      assertSameSeries(k!, want.k, `${label} k`);
      assertSameSeries(d!, want.d, `${label} d`);
    }
  }
});

Deno.test("StochasticStream: signed zeros and infinities in the extremes", () => {
  const high = Float64Array.of(0, -0, 0, Infinity, 1, 1, -0, 0);
  const low = Float64Array.of(-0, -0, 0, -1, -Infinity, 0, -0, -0);
  const close = Float64Array.of(0, -0, 0, 0, 0, 1, -0, 0);
  const s = new StochasticStream({ kPeriod: 2, dPeriod: 2 });
  const k = high.map((h, i) => s.update(h, low[i]!, close[i]!));
  assertSameSeries(k, stochastic({ high, low, close }, { kPeriod: 2, dPeriod: 2 }).k, "zeros");
});
