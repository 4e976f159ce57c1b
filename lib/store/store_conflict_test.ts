// Appends that meet stored bars with different values: counted, and kept, replaced or refused by choice.
import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { DataError } from "../types/mod.ts";
import { Store } from "./mod.ts";

const id = { exchange: "test", symbol: "REV/USD", timeframe: "1d" };
const D = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function bars(days: number[], close: (d: number) => number = (d) => 100 + d, volume = 10): Frame {
  return Frame.fromBars(days.map((d) => {
    const c = close(d);
    return { ts: T0 + d * D, open: c, high: c + 1, low: c - 1, close: c, volume };
  }));
}

async function withStore(fn: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  const store = await Store.open({ dir });
  try {
    await fn(store, dir);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(`${d}/${e.name}`);
      else if (e.name !== ".lock") out.push(`${d}/${e.name}`);
    }
  };
  await walk(dir);
  return out.sort();
}

Deno.test("store append: identical bars are counted as identical, not new", async () => {
  await withStore(async (store) => {
    await store.append(id, bars([0, 1, 2, 3]));
    const r = await store.append(id, bars([2, 3, 4]));
    assert.equal(r.inserted, 1);
    assert.equal(r.identical, 2);
    assert.equal(r.differing, 0);
    assert.equal(r.conflict, "none");
  });
});

Deno.test("store append: differing bars fail by default, naming the bar, both values and the option; nothing written", async () => {
  await withStore(async (store, dir) => {
    await store.append(id, bars([0, 1, 2, 3, 4]));
    const before = await files(dir);
    const manifest = await Deno.readTextFile(`${dir}/test/REV%2FUSD/1d/manifest.json`);
    // Day 2 and 3 revised, day 9 new (it must not be written either).
    const revised = bars([2, 3, 9], (d) => (d === 9 ? 109 : 200 + d));
    await assert.rejects(
      () => store.append(id, revised),
      (e: unknown) => {
        assert.ok(e instanceof DataError);
        assert.match(e.message, /test:REV\/USD:1d/);
        assert.match(e.message, /2 of 3 incoming bars differ/);
        assert.match(e.message, /2024-01-03T00:00:00Z/); // day 2, the first differing bar
        assert.match(e.message, /stored open 102 high 103 low 101 close 102 volume 10/);
        assert.match(e.message, /incoming open 202 high 203 low 201 close 202 volume 10/);
        assert.match(e.message, /onConflict: "replace"/);
        assert.match(e.message, /--on-conflict/);
        assert.match(e.message, /nothing was written/i);
        return true;
      },
    );
    assert.deepEqual(await files(dir), before);
    assert.equal(await Deno.readTextFile(`${dir}/test/REV%2FUSD/1d/manifest.json`), manifest);
    assert.deepEqual([...(await store.read(id)).close], [100, 101, 102, 103, 104]);
  });
});

Deno.test("store append: onConflict keep stores only new bars and reports the differing ones", async () => {
  await withStore(async (store) => {
    await store.append(id, bars([0, 1, 2, 3, 4]));
    const r = await store.append(id, bars([2, 3, 4, 5], (d) => (d === 3 ? 999 : 100 + d)), { onConflict: "keep" });
    assert.deepEqual(
      { inserted: r.inserted, identical: r.identical, differing: r.differing, conflict: r.conflict, total: r.total },
      { inserted: 1, identical: 2, differing: 1, conflict: "kept", total: 6 },
    );
    assert.deepEqual([...(await store.read(id)).close], [100, 101, 102, 103, 104, 105]);
  });
});

Deno.test("store append: onConflict replace rewrites the differing bars, across parts and holes", async () => {
  await withStore(async (store, dir) => {
    await store.append(id, bars([0, 1, 2, 5, 6]));
    await store.append(id, bars([10, 11, 12]));
    // Revise day 1 and day 11, fill the hole at day 3, add day 13; day 12 is identical.
    const input = bars([1, 3, 11, 12, 13], (d) => (d === 1 || d === 11 ? 500 + d : 100 + d));
    const r = await store.append(id, input, { onConflict: "replace" });
    assert.deepEqual(
      { inserted: r.inserted, identical: r.identical, differing: r.differing, conflict: r.conflict, total: r.total },
      { inserted: 2, identical: 1, differing: 2, conflict: "replaced", total: 10 },
    );
    const f = await store.read(id);
    assert.deepEqual([...f.ts].map((t) => (t - T0) / D), [0, 1, 2, 3, 5, 6, 10, 11, 12, 13]);
    assert.deepEqual([...f.close], [100, 501, 102, 103, 105, 106, 110, 511, 112, 113]);
    assert.deepEqual([...f.high], [101, 502, 103, 104, 106, 107, 111, 512, 113, 114]);
    // Only the parts the manifest lists remain (the replaced ones were deleted after the commit).
    const m = JSON.parse(await Deno.readTextFile(`${dir}/test/REV%2FUSD/1d/manifest.json`));
    const parts = (await files(dir)).filter((p) => p.endsWith(".parquet")).map((p) => p.split("/").pop());
    assert.deepEqual(parts.sort(), m.parts.map((p: { file: string }) => p.file).sort());
    // A second identical replace changes nothing.
    const again = await store.append(id, input, { onConflict: "replace" });
    assert.deepEqual([again.inserted, again.identical, again.differing, again.conflict], [0, 5, 0, "none"]);
  });
});

Deno.test("store append: the comparison is bit-exact and NaN-aware", async () => {
  await withStore(async (store) => {
    await store.append(id, bars([0, 1], undefined, NaN));
    const same = await store.append(id, bars([0, 1], undefined, NaN));
    assert.equal(same.identical, 2, "NaN volume equals NaN volume");
    assert.equal(same.differing, 0);
    const tiny = await store.append(id, bars([0], (d) => 100 + d + 1e-13, NaN), { onConflict: "keep" });
    assert.equal(tiny.differing, 1, "a last-digit revision differs");
    await store.append(id, Frame.fromBars([{ ts: T0 + 5 * D, open: 1, high: 1, low: 1, close: 1, volume: 0 }]));
    const negZero = await store.append(
      id,
      Frame.fromBars([{ ts: T0 + 5 * D, open: 1, high: 1, low: 1, close: 1, volume: -0 }]),
      { onConflict: "keep" },
    );
    assert.equal(negZero.differing, 1, "-0 is not bit-identical to 0");
  });
});

Deno.test("store append: a bad onConflict is a RangeError naming the value and the choices", async () => {
  await withStore(async (store) => {
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      () => store.append(id, bars([0]), { onConflict: "overwrite" as any }),
      (e: unknown) => e instanceof RangeError && /"overwrite".*"keep", "replace" or "fail"/.test(e.message),
    );
  });
});
