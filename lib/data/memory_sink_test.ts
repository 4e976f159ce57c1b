import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { MemorySink } from "./memory_sink.ts";

const id = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" };
const bar = (ts: number, close = 1.5) => ({ ts, open: 1, high: 2, low: 0.5, close, volume: 3 });

Deno.test("MemorySink merges appends sorted, newer bars replace equal times", async () => {
  const sink = new MemorySink();
  assert.equal(await sink.lastTs(id), undefined);
  assert.deepEqual(await sink.append(id, Frame.fromBars([bar(3), bar(1)])), { added: 2, replaced: 0 });
  assert.deepEqual(await sink.append(id, Frame.fromBars([bar(2), bar(3, 9)])), { added: 1, replaced: 1 });
  const f = sink.get(id)!;
  assert.deepEqual([...f.ts], [1, 2, 3]);
  assert.deepEqual([...f.close], [1.5, 1.5, 9]);
  assert.equal(await sink.lastTs(id), 3);
  assert.deepEqual(sink.appends.map((a) => [a.rows, a.first, a.last]), [[2, 3, 1], [2, 2, 3]]);
  assert.deepEqual(sink.keys(), ["binance:BTC/USDT:1m"]);
  // Re-appending the same data is idempotent.
  await sink.append(id, f);
  assert.deepEqual(sink.get(id)!.toBars(), f.toBars());
});

Deno.test("MemorySink rejects a frame without OHLCV columns", async () => {
  await assert.rejects(new MemorySink().append(id, new Frame(new Float64Array([1]), {})), /no "open" column/);
});
