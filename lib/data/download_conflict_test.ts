// downloadOhlcv hands onConflict to the sink and sums what the sink counted.
import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { startFakeExchange } from "../testing/fake_exchange.ts";
import { type Bar, DataError, type SeriesId } from "../types/mod.ts";
import type { AppendOptions, BarSink, SinkAppendResult } from "./bar_sink.ts";
import { downloadOhlcv } from "./download_ohlcv.ts";
import { MemorySink } from "./memory_sink.ts";

const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const FAST = { exchangeOptions: { rateLimit: 5, timeout: 2_000 }, backoff: { baseMs: 1, maxMs: 5 } };
const bar = (i: number, close = 100 + i): Bar => ({
  ts: T0 + i * M,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});

/** A sink that already holds bars another writer stored, but reports no last bar (a download racing it). */
class RacedSink implements BarSink {
  readonly inner = new MemorySink();
  lastTs(): Promise<number | undefined> {
    return Promise.resolve(undefined);
  }
  append(id: SeriesId, bars: Frame, options?: AppendOptions): Promise<SinkAppendResult> {
    return this.inner.append(id, bars, options);
  }
}

Deno.test("downloadOhlcv: onConflict reaches the sink; fail by default, counts summed with keep", async () => {
  const served = Array.from({ length: 10 }, (_, i) => bar(i));
  const fake = await startFakeExchange({ series: [{ symbol: "BTC/USDT", timeframe: "1m", bars: served }] });
  const id = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" };
  const options = {
    ...FAST,
    symbol: "BTC/USDT",
    timeframe: "1m",
    since: T0,
    limit: 4,
    apiUrl: fake.url,
    now: () => T0 + 60 * M,
  };
  try {
    const sink = new RacedSink();
    await sink.inner.append(id, Frame.fromBars([bar(1), bar(2, 999)])); // bar 2 was revised by the other writer
    await assert.rejects(
      () => downloadOhlcv({ ...options, sink }),
      (e: unknown) => e instanceof DataError && /1 of 4 incoming bars differ .*2024-01-01T00:02:00Z/.test(e.message),
    );
    const r = await downloadOhlcv({ ...options, sink, onConflict: "keep" });
    assert.deepEqual([r.fetched, r.inserted, r.identical, r.differing], [10, 8, 1, 1]);
    assert.equal(sink.inner.get(id)!.close[2], 999);
    const again = await downloadOhlcv({ ...options, sink, onConflict: "replace" });
    assert.deepEqual([again.inserted, again.identical, again.differing], [0, 9, 1]);
    assert.equal(sink.inner.get(id)!.close[2], 102);
  } finally {
    await fake.close();
  }
});
