import assert from "node:assert/strict";
import { dirSnapshot as snapshot } from "../testing/mod.ts";
import { join } from "node:path";
import { Frame } from "../frame/mod.ts";
import { Store } from "./mod.ts";

const ID = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" };
const bars = (n: number, start = 0): Frame =>
  Frame.fromBars(Array.from({ length: n }, (_, i) => {
    const p = 100 + start + i;
    return { ts: (start + i) * 60_000, open: p, high: p + 1, low: p - 1, close: p + 0.5, volume: 1 };
  }));

Deno.test("Store readOnly: reads, never cleans up, and every write throws naming the fix", async () => {
  const dir = await Deno.makeTempDir();
  try {
    {
      using w = await Store.open({ dir });
      await w.append(ID, bars(10));
      await w.append(ID, bars(10, 10));
    }
    const seriesDir = join(dir, "binance", encodeURIComponent("BTC/USDT"), "1m");
    // What a killed writer leaves: a temp of a dead pid and a part no manifest lists. A writable open removes both.
    await Deno.writeTextFile(join(seriesDir, ".tmp-999999999-x-part.parquet"), "half");
    await Deno.writeTextFile(join(seriesDir, "part-0-orphan.parquet"), "orphan");
    const before = await snapshot(dir);

    using ro = await Store.open({ dir, readOnly: true });
    assert.equal(ro.readOnly, true);
    assert.equal((await ro.list()).length, 1);
    assert.equal((await ro.read(ID)).length, 20);
    assert.equal((await ro.resample(ID, "5m")).length, 4);
    assert.equal((await ro.info(ID))?.bars, 20);
    await assert.rejects(() => ro.append(ID, bars(1, 20)), /read-only; append needs a store opened without readOnly/);
    await assert.rejects(() => ro.compact(ID), /read-only; compact/);
    await assert.rejects(() => ro.remove(ID), /read-only; remove/);
    await assert.rejects(() => ro.export(ID, { format: "csv", out: join(dir, "x.csv") }), /read-only; export/);
    assert.deepEqual(await snapshot(dir), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Store readOnly: a missing data dir is not created and lists nothing", async () => {
  const parent = await Deno.makeTempDir();
  try {
    const dir = join(parent, "nope");
    using ro = await Store.open({ dir, readOnly: true });
    assert.deepEqual(await ro.list(), []);
    await assert.rejects(() => Deno.stat(dir), Deno.errors.NotFound);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
