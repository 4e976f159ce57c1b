import assert from "node:assert/strict";
import { macd } from "../macd.ts";
import { MacdStream } from "./macd_stream.ts";
import { assertSameSeries, col, collect, frames } from "./_test_utils.ts";
import type { EmaSeed } from "../ema.ts";

Deno.test("MacdStream equals macd() bit for bit in all three series", () => {
  for (const { name, frame } of frames(61)) {
    for (const [fast, slow, signal] of [[12, 26, 9], [2, 3, 2], [1, 2, 1], [5, 35, 5]] as const) {
      for (const seed of ["sma", "first"] as EmaSeed[]) {
        const s = new MacdStream({ fast, slow, signal, seed });
        const [line, sig, hist] = collect(frame, (b) => s.push(b), () => s.macd, () => s.signal, () => s.histogram);
        const want = macd(col(frame, "close"), { fast, slow, signal, seed });
        const label = `${name} ${fast}/${slow}/${signal} ${seed}`;
        assertSameSeries(line!, want.macd, `${label} macd`);
        assertSameSeries(sig!, want.signal, `${label} signal`);
        assertSameSeries(hist!, want.histogram, `${label} histogram`);
        assert.ok(Object.is(s.value, s.macd));
      }
    }
  }
});

Deno.test("MacdStream rejects fast >= slow, naming both", () => {
  assert.throws(() => new MacdStream({ fast: 26, slow: 12 }), /fast \(26\) must be less than slow \(12\)/);
});
