import assert from "node:assert/strict";
import { bollingerBands } from "../bollinger_bands.ts";
import { BollingerStream } from "./bollinger_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";

Deno.test("BollingerStream equals bollingerBands() bit for bit in all five series", () => {
  for (const { name, frame } of frames(101)) {
    for (const period of [1, 2, 3, 20, 130, 300]) {
      for (const [mult, ddof] of [[2, 0], [1.5, 1], [0, 0]]) {
        const s = new BollingerStream(period, { mult, ddof });
        const got = collect(
          frame,
          (b) => s.push(b),
          () => s.middle,
          () => s.upper,
          () => s.lower,
          () => s.bandwidth,
          () => s.percentB,
        );
        const want = bollingerBands(col(frame, "close"), period, { mult, ddof });
        const label = `${name} period ${period} mult ${mult} ddof ${ddof}`;
        assertSameSeries(got[0]!, want.middle, `${label} middle`);
        assertSameSeries(got[1]!, want.upper, `${label} upper`);
        assertSameSeries(got[2]!, want.lower, `${label} lower`);
        assertSameSeries(got[3]!, want.bandwidth, `${label} bandwidth`);
        assertSameSeries(got[4]!, want.percentB, `${label} percentB`);
      }
    }
  }
});

Deno.test("BollingerStream rejects a non-finite mult and a bad ddof", () => {
  assert.throws(() => new BollingerStream(20, { mult: NaN }), /mult must be a finite number, got NaN/);
  assert.throws(() => new BollingerStream(20, { ddof: -1 }), /ddof must be 0 \(population\) or 1 \(sample\), got -1/);
});
