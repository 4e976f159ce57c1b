import { adx } from "../adx.ts";
import { AdxStream } from "./adx_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";

Deno.test("AdxStream equals adx() bit for bit in all three series", () => {
  for (const { name, frame } of frames(91)) {
    for (const period of [1, 2, 14, 50]) {
      const s = new AdxStream(period);
      const [a, p, m] = collect(frame, (b) => s.push(b), () => s.adx, () => s.plusDI, () => s.minusDI);
      const want = adx({ high: col(frame, "high"), low: col(frame, "low"), close: col(frame, "close") }, period);
      assertSameSeries(a!, want.adx, `${name} period ${period} adx`);
      assertSameSeries(p!, want.plusDI, `${name} period ${period} plusDI`);
      assertSameSeries(m!, want.minusDI, `${name} period ${period} minusDI`);
    }
  }
});
