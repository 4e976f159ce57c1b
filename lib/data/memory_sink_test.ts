import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { MemorySink } from "./memory_sink.ts";

const id = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" };
const bar = (ts: number, close = 1.5) => ({ ts, open: 1, high: 2, low: 0.5, close, volume: 3 });

Deno.test("MemorySink merges appends sorted; identical bars skipped, differing ones by onConflict", async () => {
  const sink = new MemorySink();
  assert.equal(await sink.lastTs(id), undefined);
  const none = { identical: 0, differing: 0, conflict: "none" };
  assert.deepEqual(await sink.append(id, Frame.fromBars([bar(3), bar(1)])), { inserted: 2, ...none });
  // Default: a differing bar fails and nothing is stored, not even the new bar 2.
  await assert.rejects(
    () => sink.append(id, Frame.fromBars([bar(2), bar(3, 9)])),
    /binance:BTC\/USDT:1m: 1 of 2 incoming bars differ .*stored open 1 high 2 low 0.5 close 1.5 volume 3, incoming open 1 high 2 low 0.5 close 9 volume 3\); nothing was written/,
  );
  assert.deepEqual([...sink.get(id)!.ts], [1, 3]);
  assert.deepEqual(
    await sink.append(id, Frame.fromBars([bar(2), bar(3, 9)]), { onConflict: "keep" }),
    { inserted: 1, identical: 0, differing: 1, conflict: "kept" },
  );
  assert.deepEqual([...sink.get(id)!.close], [1.5, 1.5, 1.5]);
  assert.deepEqual(
    await sink.append(id, Frame.fromBars([bar(1), bar(3, 9)]), { onConflict: "replace" }),
    { inserted: 0, identical: 1, differing: 1, conflict: "replaced" },
  );
  const f = sink.get(id)!;
  assert.deepEqual([...f.ts], [1, 2, 3]);
  assert.deepEqual([...f.close], [1.5, 1.5, 9]);
  assert.equal(await sink.lastTs(id), 3);
  assert.deepEqual(sink.appends.map((a) => [a.rows, a.first, a.last]), [[2, 3, 1], [2, 2, 3], [2, 1, 3]]);
  assert.deepEqual(sink.keys(), ["binance:BTC/USDT:1m"]);
  // Re-appending the same data is idempotent.
  assert.deepEqual(await sink.append(id, f), { inserted: 0, identical: 3, differing: 0, conflict: "none" });
  assert.deepEqual(sink.get(id)!.toBars(), f.toBars());
});

Deno.test("MemorySink rejects a frame without OHLCV columns", async () => {
  await assert.rejects(new MemorySink().append(id, new Frame(new Float64Array([1]), {})), /no "open" column/);
});
