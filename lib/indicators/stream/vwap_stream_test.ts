import assert from "node:assert/strict";
import { vwap } from "../vwap.ts";
import { type TimedStreamBar, VwapStream } from "./vwap_stream.ts";
import { assertSameSeries, col, frames } from "./_test_utils.ts";
import type { Frame } from "../../frame/mod.ts";

function streamed(frame: Frame, s: VwapStream): Float64Array {
  const out = new Float64Array(frame.length);
  const bar: TimedStreamBar = { open: 0, high: 0, low: 0, close: 0, volume: 0, ts: 0 };
  for (let i = 0; i < frame.length; i++) {
    bar.high = col(frame, "high")[i]!;
    bar.low = col(frame, "low")[i]!;
    bar.close = col(frame, "close")[i]!;
    bar.volume = col(frame, "volume")[i]!;
    bar.ts = frame.ts[i]!;
    out[i] = s.push(bar);
  }
  return out;
}

Deno.test("VwapStream equals vwap() bit for bit: cumulative, per session and rolling", () => {
  for (const { name, frame } of frames(141)) {
    const input = {
      high: col(frame, "high"),
      low: col(frame, "low"),
      close: col(frame, "close"),
      volume: col(frame, "volume"),
      ts: frame.ts,
    };
    const cases = [
      {},
      { sessionMs: 3_600_000 },
      { sessionMs: 86_400_000, sessionOffsetMs: -5 * 3_600_000 },
      { window: 1 },
      { window: 20 },
      { window: 1024 },
      { window: 1500 },
    ];
    for (const options of cases) {
      assertSameSeries(
        streamed(frame, new VwapStream(options)),
        vwap(input, options),
        `${name} ${JSON.stringify(options)}`,
      );
    }
  }
});

Deno.test("VwapStream rolling: a huge volume leaving the window, across many rebuilds", () => {
  const n = 5_000;
  const high = Float64Array.from({ length: n }, (_, i) => 100 + Math.sin(i));
  const low = high.map((h) => h - 1);
  const close = high.map((h) => h - 0.5);
  const volume = Float64Array.from({ length: n }, (_, i) => (i % 300 === 0 ? 1e15 : i % 7 === 0 ? 0 : 0.1));
  volume[1234] = NaN;
  for (const window of [3, 50, 2_000]) {
    const s = new VwapStream({ window });
    const got = high.map((h, i) => s.update(h, low[i]!, close[i]!, volume[i]!));
    assertSameSeries(got, vwap({ high, low, close, volume }, { window }), `window ${window}`);
  }
});

Deno.test("VwapStream rejects conflicting options and a missing ts", () => {
  assert.throws(() => new VwapStream({ window: 5, sessionMs: 1_000 }), /either window \(5\) or sessionMs \(1000\)/);
  assert.throws(() => new VwapStream({ sessionMs: -1 }), /sessionMs must be a positive number of ms/);
  assert.throws(() => new VwapStream({ window: 0 }), /window must be a positive integer/);
  const s = new VwapStream({ sessionMs: 86_400_000 });
  assert.throws(() => s.update(1, 1, 1, 1), /sessionMs needs bar times; pass ts/);
});
