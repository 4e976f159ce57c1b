import { DuckDBInstance } from "@duckdb/node-api";
import { tableFromIPC } from "apache-arrow";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Frame } from "../frame/mod.ts";
import { type Bar, DataError, type SeriesId } from "../types/mod.ts";
import { encodeSymbol } from "./_paths.ts";
import { Store, type StoreOptions } from "./mod.ts";

const ID: SeriesId = { exchange: "binance", symbol: "BTC/USDT:USDT", timeframe: "1m" };
const MIN = 60_000;

async function withStore(fn: (store: Store, dir: string) => Promise<void>, options: StoreOptions = {}): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "store_test_" });
  const store = await Store.open({ dir, ...options });
  try {
    await fn(store, dir);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function bar(i: number, k = 1): Bar {
  return { ts: i * MIN, open: 100 * k + i, high: 101 * k + i, low: 99 * k + i, close: 100.5 * k + i, volume: 10 + i };
}

function bars(from: number, to: number, k = 1): Frame {
  return Frame.fromBars(Array.from({ length: to - from }, (_, j) => bar(from + j, k)));
}

/** Byte-level equality of two frames' columns, so -0, NaN payloads and subnormals count. */
function assertSameBits(a: Frame, b: Frame): void {
  assert.equal(a.length, b.length);
  for (const name of ["ts", "open", "high", "low", "close", "volume"]) {
    const x = name === "ts" ? a.ts : a.col(name), y = name === "ts" ? b.ts : b.col(name);
    assert.deepEqual(
      new Uint8Array(x.buffer, x.byteOffset, x.byteLength),
      new Uint8Array(y.buffer, y.byteOffset, y.byteLength),
      `column ${name} differs`,
    );
  }
}

const AWKWARD = Frame.fromBars([
  { ts: -86_400_000, open: 0.1 + 0.2, high: 1e-300, low: 5e-324, close: -0, volume: 1.7976931348623157e308 },
  { ts: 0, open: Number.NaN, high: 2 ** 53 + 2, low: 123456789.12345679, close: 1 / 3, volume: 9.87654321e15 },
  { ts: 1_700_000_000_000, open: 2.5e-310, high: 1e21, low: 0, close: Math.PI, volume: 4.9406564584124654e-324 },
]);

for (const compression of ["none", "zstd"] as const) {
  Deno.test(`append/read round trip is bit for bit (${compression})`, async () => {
    await withStore(async (store) => {
      const r = await store.append(ID, AWKWARD, { calendar: "24/7", source: "test" });
      assert.deepEqual(r, {
        inserted: 3,
        identical: 0,
        differing: 0,
        conflict: "none",
        duplicates: 0,
        total: 3,
        first: -86_400_000,
        last: 1_700_000_000_000,
      });
      assertSameBits(await store.read(ID), AWKWARD);
      const t = await store.readArrow(ID);
      assert.equal(String(t.schema.fields[0]!.type), "Int64");
      assert.deepEqual(t.schema.fields.map((f) => f.name), ["ts", "open", "high", "low", "close", "volume"]);
      assertSameBits(Frame.fromArrow(t), AWKWARD);
    }, { compression });
  });
}

Deno.test("the Parquet parts read the same through DuckDB", async () => {
  await withStore(async (store, dir) => {
    await store.append(ID, AWKWARD);
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      const glob = join(dir, "binance", encodeSymbol(ID.symbol), "1m", "*.parquet");
      const rows = (await conn.runAndReadAll("SELECT * FROM read_parquet($1) ORDER BY ts", [glob])).getRows();
      const expected = AWKWARD.toBars().map((b) => [BigInt(b.ts), b.open, b.high, b.low, b.close, b.volume]);
      assert.deepEqual(rows, expected);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

Deno.test("re-appending overlapping ranges never duplicates; with onConflict keep the stored bar wins", async () => {
  await withStore(async (store) => {
    assert.deepEqual(await store.append(ID, bars(0, 100)), {
      inserted: 100,
      identical: 0,
      differing: 0,
      conflict: "none",
      duplicates: 0,
      total: 100,
      first: 0,
      last: 99 * MIN,
    });
    // Same range with different values, kept: nothing changes.
    assert.equal((await store.append(ID, bars(0, 100, 2), { onConflict: "keep" })).duplicates, 100);
    // Overlap at the end (a resumed download re-fetches the last bar): 50 known, 50 new.
    assert.deepEqual(await store.append(ID, bars(50, 150, 2), { onConflict: "keep" }), {
      inserted: 50,
      identical: 0,
      differing: 50,
      conflict: "kept",
      duplicates: 50,
      total: 150,
      first: 0,
      last: 149 * MIN,
    });
    const f = await store.read(ID);
    assert.deepEqual([...f.ts], Array.from({ length: 150 }, (_, i) => i * MIN));
    assert.equal(f.open[99], 100 + 99); // stored value kept
    assert.equal(f.open[100], 200 + 100); // new bar from the second download
    assert.equal((await store.info(ID))?.bars, 150);
  });
});

Deno.test("out-of-order and repeated input is stored sorted and unique (first occurrence wins)", async () => {
  await withStore(async (store) => {
    const input = Frame.fromBars([bar(5), bar(1), { ...bar(3), open: 1 }, bar(3), bar(1, 7), bar(2), bar(4)]);
    const r = await store.append(ID, input);
    assert.equal(r.inserted, 5);
    assert.equal(r.duplicates, 2);
    const f = await store.read(ID);
    assert.deepEqual([...f.ts], [1, 2, 3, 4, 5].map((i) => i * MIN));
    assert.equal(f.open[0], 101); // bar(1) came before bar(1, 7)
    assert.equal(f.open[2], 1); // the first bar 3 of the input
  });
});

Deno.test("back-filling before, between and inside existing parts", async () => {
  await withStore(async (store) => {
    await store.append(ID, Frame.fromBars(Array.from({ length: 50 }, (_, j) => bar(100 + 2 * j)))); // 100, 102 .. 198
    await store.append(ID, bars(300, 310));
    // 0..9 go before the first part, odd 101..197 fill holes inside it (that part is rewritten),
    // 199 falls between the parts, and 300 is already stored.
    const input = [...Array.from({ length: 50 }, (_, j) => bar(101 + 2 * j)), ...bars(0, 10).toBars(), bar(300, 9)];
    const r = await store.append(ID, Frame.fromBars(input), { onConflict: "keep" });
    assert.deepEqual(r, {
      inserted: 60,
      identical: 0,
      differing: 1,
      conflict: "kept",
      duplicates: 1,
      total: 120,
      first: 0,
      last: 309 * MIN,
    });
    const f = await store.read(ID);
    const expected = [
      ...Array.from({ length: 10 }, (_, i) => i),
      ...Array.from({ length: 100 }, (_, i) => 100 + i),
      ...Array.from({ length: 10 }, (_, i) => 300 + i),
    ];
    assert.deepEqual([...f.ts], expected.map((i) => i * MIN));
    assert.deepEqual([...f.open], expected.map((i) => 100 + i));
  });
});

Deno.test("range reads are [from, to) and cut across row groups and parts", async () => {
  await withStore(async (store) => {
    await store.append(ID, bars(0, 500));
    await store.append(ID, bars(500, 1000)); // two parts, row groups of 64 rows
    const all = await store.read(ID);
    for (const [from, to] of [[0, 1000], [63, 65], [64, 128], [100, 900], [499, 501], [-5, 3], [998, 2000], [7, 7]]) {
      const f = await store.read(ID, { from: from! * MIN, to: to! * MIN });
      const lo = Math.max(0, from!), hi = Math.min(1000, to!);
      assert.deepEqual([...f.ts], [...all.ts.subarray(lo, hi)], `range ${from}..${to}`);
      assert.deepEqual([...f.close], [...all.close.subarray(lo, hi)]);
      const t = await store.readArrow(ID, { from: from! * MIN, to: to! * MIN });
      assert.equal(t.numRows, hi - lo);
      if (hi > lo) assert.equal(t.getChild("ts")!.get(0), BigInt(lo * MIN));
    }
    assert.equal((await store.read(ID, { from: 5000 * MIN })).length, 0);
    assert.equal((await store.read(ID, { from: 10.5 * MIN, to: 12 * MIN })).ts[0], 11 * MIN);
  }, { rowGroupRows: 64 });
});

Deno.test("resample: hand-computed 5m bars, ranges, pre-1970 timestamps", async () => {
  await withStore(async (store) => {
    await store.append(ID, bars(0, 10));
    // Bars 0..4: open 100, high max(101..105), low min(99..103), close 100.5+4, volume 10+..+14.
    assert.deepEqual((await store.resample(ID, "5m")).toBars(), [
      { ts: 0, open: 100, high: 105, low: 99, close: 104.5, volume: 60 },
      { ts: 5 * MIN, open: 105, high: 110, low: 104, close: 109.5, volume: 85 },
    ]);
    assert.deepEqual((await store.resample(ID, "5m", { from: 2 * MIN, to: 7 * MIN })).toBars(), [
      { ts: 0, open: 102, high: 105, low: 101, close: 104.5, volume: 12 + 13 + 14 },
      { ts: 5 * MIN, open: 105, high: 107, low: 104, close: 106.5, volume: 31 },
    ]);
    assertSameBits(await store.resample(ID, "1m"), await store.read(ID));

    const old = { ...ID, symbol: "OLD" };
    await store.append(old, bars(-120, 0)); // 1969-12-31 22:00 .. 23:59
    const h = await store.resample(old, "1h");
    assert.deepEqual([...h.ts], [-120 * MIN, -60 * MIN]);
    assert.deepEqual([...h.open], [100 - 120, 100 - 60]);
    assert.deepEqual([...h.close], [100.5 - 61, 100.5 - 1]);
  });
});

Deno.test("resample: weeks start Monday 00:00 UTC, months follow the calendar", async () => {
  await withStore(async (store) => {
    const DAY = 86_400_000;
    const daily = { ...ID, timeframe: "1d" };
    // 1970-01-01 was a Thursday: days 0..3 belong to the week of Monday 1969-12-29.
    await store.append(daily, Frame.fromBars(Array.from({ length: 14 }, (_, i) => ({ ...bar(i), ts: i * DAY }))));
    const w = await store.resample(daily, "1w");
    assert.deepEqual([...w.ts], [-3 * DAY, 4 * DAY, 11 * DAY]);
    for (const t of w.ts) assert.equal(new Date(t).getUTCDay(), 1);
    assert.deepEqual([...w.open], [100, 104, 111]);
    assert.deepEqual([...w.volume], [10 + 11 + 12 + 13, 14 + 15 + 16 + 17 + 18 + 19 + 20, 21 + 22 + 23]);

    // 2024-01-30 .. 2024-03-02: 2 January days, 29 February days (leap year), 2 March days.
    const start = Date.UTC(2024, 0, 30);
    const days = Frame.fromBars(Array.from({ length: 33 }, (_, i) => ({ ...bar(i), ts: start + i * DAY, volume: 1 })));
    await store.append({ ...daily, symbol: "M" }, days);
    const m = await store.resample({ ...daily, symbol: "M" }, "1M");
    assert.deepEqual([...m.ts], [Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)]);
    assert.deepEqual([...m.volume], [2, 29, 2]);
    assert.deepEqual([...m.open], [100, 102, 131]);
    const q = await store.resample({ ...daily, symbol: "M" }, "3M");
    assert.deepEqual(q.toBars(), [{
      ts: Date.UTC(2024, 0, 1),
      open: 100,
      high: 133,
      low: 99,
      close: 132.5,
      volume: 33,
    }]);
  });
});

Deno.test("resample refuses targets that are not whole multiples, naming both timeframes", async () => {
  await withStore(async (store) => {
    const hourly = { ...ID, timeframe: "1h" };
    await store.append(hourly, bars(0, 3));
    for (const tf of ["90m", "30m", "1x", "../1d"]) {
      await assert.rejects(() => store.resample(hourly, tf), (e: Error) => {
        assert.ok(e instanceof RangeError, `${tf}: ${e}`);
        assert.ok(e.message.includes(tf), e.message);
        return true;
      });
    }
    await assert.rejects(() => store.resample(hourly, "90m"), /1h/);
    const seven = { ...ID, timeframe: "7m" };
    await store.append(seven, bars(0, 3));
    await assert.rejects(() => store.resample(seven, "1M"), RangeError);
    assert.equal((await store.resample(hourly, "1d")).length, 1);
  });
});

Deno.test("export CSV, Parquet and Arrow round trip, atomically", async () => {
  await withStore(async (store, dir) => {
    await store.append(ID, AWKWARD);
    const out = await Deno.makeTempDir({ dir });
    const csv = join(out, "x.csv");
    assert.deepEqual(await store.export(ID, { format: "csv", out: csv }), { rows: 3 });
    const lines = (await Deno.readTextFile(csv)).trimEnd().split("\n");
    assert.equal(lines[0], "timestamp,open,high,low,close,volume");
    const parsed = Frame.fromBars(
      lines.slice(1).map((l) => {
        const [ts, open, high, low, close, volume] = l.split(",").map(Number) as number[];
        return { ts: ts!, open: open!, high: high!, low: low!, close: close!, volume: volume! };
      }),
    );
    assertSameBits(parsed, AWKWARD);

    const arrow = join(out, "x.arrow");
    await store.export(ID, { format: "arrow", out: arrow });
    assertSameBits(Frame.fromArrow(tableFromIPC(await Deno.readFile(arrow))), AWKWARD);

    const pq = join(out, "x.parquet");
    await store.export(ID, { format: "parquet", out: pq });
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      const rows = (await conn.runAndReadAll("SELECT * FROM read_parquet($1)", [pq])).getRows();
      assert.deepEqual(rows, AWKWARD.toBars().map((b) => [BigInt(b.ts), b.open, b.high, b.low, b.close, b.volume]));
    } finally {
      conn.closeSync();
      instance.closeSync();
    }

    const m5 = { ...ID, symbol: "ETH/USDT" };
    await store.append(m5, bars(0, 10));
    const csv5 = join(out, "y.csv");
    assert.deepEqual(await store.export(m5, { format: "csv", out: csv5, timeframe: "5m", range: { to: 5 * MIN } }), {
      rows: 1,
    });
    assert.equal((await Deno.readTextFile(csv5)).split("\n")[1], "0,100,105,99,104.5,60");

    const names: string[] = [];
    for await (const e of Deno.readDir(out)) names.push(e.name);
    assert.deepEqual(names.sort(), ["x.arrow", "x.csv", "x.parquet", "y.csv"]); // no temp files left
    await assert.rejects(
      () => store.export(ID, { format: "csv", out: join(out, "missing", "z.csv") }),
      Deno.errors.NotFound,
    );
    await assert.rejects(() => store.export(ID, { format: "xls" as "csv", out: csv }), RangeError);
    await assert.rejects(() => store.export(ID, { format: "csv", out: "a\0b" }), TypeError);
  });
});

Deno.test("ids that try path traversal or SQL are rejected; odd symbols stay inside the dir", async () => {
  await withStore(async (store, dir) => {
    const frame = bars(0, 2);
    for (
      const bad of [
        { ...ID, exchange: "../../etc/passwd" },
        { ...ID, symbol: "../../etc/passwd" },
        { ...ID, exchange: "x'; drop table bars; --" },
        { ...ID, symbol: "x'; drop table bars; --" },
        { ...ID, timeframe: "1m/../../x" },
        { ...ID, symbol: "/etc/passwd" },
        { ...ID, symbol: "A\0B" },
        { exchange: "binance" } as SeriesId,
      ]
    ) {
      await assert.rejects(() => store.append(bad, frame), RangeError, JSON.stringify(bad));
      await assert.rejects(() => store.read(bad), RangeError);
    }
    const sneaky = { ...ID, symbol: "A/../../B:.." };
    await store.append(sneaky, frame);
    assert.equal((await store.read(sneaky)).length, 2);
    await Deno.stat(join(dir, "binance", encodeURIComponent(sneaky.symbol), "1m", "manifest.json"));
    assert.deepEqual((await store.list()).map((s) => s.symbol), [sneaky.symbol]);
  });
});

Deno.test("bad frames and ranges throw TypeError/RangeError naming the value", async () => {
  await withStore(async (store) => {
    const noVolume = new Frame(new Float64Array([0]), {
      open: new Float64Array([1]),
      high: new Float64Array([1]),
      low: new Float64Array([1]),
      close: new Float64Array([1]),
    });
    await assert.rejects(() => store.append(ID, noVolume), /lacks volume/);
    await assert.rejects(() => store.append(ID, Frame.fromBars([{ ...bar(0), ts: 1.5 }])), /ts\[0\] is 1.5/);
    await assert.rejects(() => store.append(ID, Frame.fromBars([{ ...bar(0), ts: NaN }])), RangeError);
    await assert.rejects(() => store.append(ID, [bar(0)] as unknown as Frame), TypeError);
    await assert.rejects(() => store.append(ID, bars(0, 1), { calendar: "lunar" as "24/7" }), RangeError);
    await store.append(ID, bars(0, 1));
    await assert.rejects(() => store.read(ID, { from: NaN }), RangeError);
    await assert.rejects(() => Store.open({ compression: "lz4" as "zstd" }), RangeError);
    await assert.rejects(() => Store.open({ fanout: 1 }), RangeError);
  });
});

Deno.test("list, info, lastTs, remove, and DataError for unknown series", async () => {
  await withStore(async (store) => {
    assert.equal(await store.lastTs(ID), undefined);
    assert.equal(await store.info(ID), undefined);
    await assert.rejects(() => store.read(ID), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /binance:BTC\/USDT:USDT:1m/);
      assert.match(e.message, /deno task data list/);
      return true;
    });
    const empty = await store.append(ID, bars(0, 0));
    assert.deepEqual(empty, {
      inserted: 0,
      identical: 0,
      differing: 0,
      conflict: "none",
      duplicates: 0,
      total: 0,
      first: NaN,
      last: NaN,
    });
    assert.deepEqual(await store.list(), []);

    await store.append({ ...ID, timeframe: "1h" }, bars(0, 3), { calendar: "24/7", source: "ccxt:binance" });
    await store.append(ID, bars(0, 5), { source: "ccxt:binance" });
    await store.append({ ...ID, exchange: "samples", symbol: "GOOG", timeframe: "1d" }, bars(0, 2), {
      calendar: "weekdays",
      source: "csv",
    });
    const list = await store.list();
    assert.deepEqual(list.map((s) => `${s.exchange}:${s.symbol}:${s.timeframe}`), [
      "binance:BTC/USDT:USDT:1m",
      "binance:BTC/USDT:USDT:1h",
      "samples:GOOG:1d",
    ]);
    const info = await store.info(ID);
    assert.equal(info?.bars, 5);
    assert.equal(info?.first, 0);
    assert.equal(info?.last, 4 * MIN);
    assert.equal(info?.calendar, "24/7");
    assert.equal(info?.source, "ccxt:binance");
    assert.equal(list[2]!.calendar, "weekdays");
    assert.equal(await store.lastTs(ID), 4 * MIN);

    await store.remove(ID);
    assert.equal(await store.info(ID), undefined);
    assert.equal(await store.lastTs(ID), undefined);
    await assert.rejects(() => store.read(ID), DataError);
    await assert.rejects(() => store.remove(ID), DataError);
    assert.equal((await store.list()).length, 2);
    await store.append(ID, bars(7, 9)); // a removed series can be stored again
    assert.deepEqual([...(await store.read(ID)).ts], [7 * MIN, 8 * MIN]);
  });
});

Deno.test("many small appends stay few parts (merged), and compact() makes one", async () => {
  await withStore(async (store) => {
    for (let p = 0; p < 200; p++) await store.append(ID, bars(p * 10, p * 10 + 10));
    const info = await store.info(ID);
    assert.equal(info?.bars, 2000);
    assert.ok(info!.parts <= 12, `${info!.parts} parts`);
    const f = await store.read(ID);
    assert.deepEqual([...f.ts], Array.from({ length: 2000 }, (_, i) => i * MIN));
    assert.equal((await store.compact(ID)).parts, 1);
    assertSameBits(await store.read(ID), f);
  }, { fanout: 4 });
});

Deno.test("open removes temp files of dead processes and parts no manifest lists", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_test_" });
  try {
    const s1 = await Store.open({ dir });
    await s1.append(ID, bars(0, 3));
    s1.close();
    const series = join(dir, "binance", encodeSymbol(ID.symbol), "1m");
    // pid 4194305 is above Linux's pid_max, so no live process owns it.
    await Deno.writeTextFile(join(series, ".tmp-4194305-abc-part-x.parquet"), "torn");
    await Deno.writeTextFile(join(series, "part-orphan-1.parquet"), "torn");
    const s2 = await Store.open({ dir });
    try {
      const names: string[] = [];
      for await (const e of Deno.readDir(series)) names.push(e.name);
      assert.deepEqual(names.filter((n) => n.includes("orphan") || n.startsWith(".tmp-")), []);
      assert.equal((await s2.read(ID)).length, 3);
    } finally {
      s2.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("concurrent appends from two Store instances and reads in between stay consistent", async () => {
  await withStore(async (store, dir) => {
    const other = await Store.open({ dir, fanout: 2 });
    try {
      const jobs: Promise<unknown>[] = [];
      for (let k = 0; k < 20; k++) {
        jobs.push((k % 2 ? store : other).append(ID, bars(k * 50, k * 50 + 60))); // overlapping batches
        jobs.push(
          store.read(ID).catch((e) => assert.ok(e instanceof DataError)).then((f) => {
            if (f instanceof Frame) { for (let i = 1; i < f.length; i++) assert.ok(f.ts[i]! > f.ts[i - 1]!); }
          }),
        );
      }
      await Promise.all(jobs);
      const f = await store.read(ID);
      assert.deepEqual([...f.ts], Array.from({ length: 1010 }, (_, i) => i * MIN));
    } finally {
      other.close();
    }
  }, { fanout: 2 });
});

Deno.test("parts written by other tools are read through DuckDB", async () => {
  await withStore(async (store, dir) => {
    await store.append(ID, bars(0, 10));
    const series = join(dir, "binance", encodeSymbol(ID.symbol), "1m");
    const instance = await DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    try {
      await conn.run(
        `COPY (SELECT (i * 60000)::BIGINT AS ts, 100.0 + i AS open, 101.0 + i AS high, 99.0 + i AS low,
           100.5 + i AS close, 10.0 + i AS volume FROM range(10, 20) t(i)) TO $1 (FORMAT parquet, COMPRESSION snappy)`,
        [join(series, "part-foreign-1.parquet")],
      );
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
    const path = join(series, "manifest.json");
    const m = JSON.parse(await Deno.readTextFile(path));
    m.parts.push({ file: "part-foreign-1.parquet", rows: 10, first: 10 * MIN, last: 19 * MIN, bytes: 1 });
    await Deno.writeTextFile(path, JSON.stringify(m));
    assert.deepEqual((await store.read(ID)).toBars(), bars(0, 20).toBars());
    assert.deepEqual((await store.read(ID, { from: 12 * MIN, to: 14 * MIN })).toBars(), bars(12, 14).toBars());
    assert.equal((await store.readArrow(ID)).getChild("ts")!.get(19), BigInt(19 * MIN));
    assert.deepEqual((await store.resample(ID, "10m")).toBars()[1], {
      ts: 10 * MIN,
      open: 110,
      high: 120,
      low: 109,
      close: 119.5,
      volume: 20 + 21 + 22 + 23 + 24 + 25 + 26 + 27 + 28 + 29,
    });
  });
});
