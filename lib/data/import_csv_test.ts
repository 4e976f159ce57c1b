import assert from "node:assert/strict";
import { DataError } from "../types/mod.ts";
import { importCsv } from "./import_csv.ts";
import { MemorySink } from "./memory_sink.ts";

Deno.test("importCsv stores a sample with its calendar and returns its quality report", async () => {
  const sink = new MemorySink();
  const id = { exchange: "samples", symbol: "ADA/BTC", timeframe: "5m" };
  const path = new URL("../../data/samples/ADA_BTC-5m.csv", import.meta.url);
  const { csv, report } = await importCsv({ path, id, sink });
  assert.equal(csv.rows, 5720);
  assert.equal(report.gapCount, 5);
  assert.match(report.warnings[0]!, /in samples:ADA\/BTC:5m;/);
  assert.equal(sink.get(id)!.length, 5720);
  assert.equal(sink.appends[0]!.options.calendar, "24/7");
  assert.equal(sink.appends[0]!.options.source, path.pathname);
});

Deno.test("importCsv stores nothing for a bad file or unsorted rows (unless asked to sort)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sink = new MemorySink();
    const id = { exchange: "x", symbol: "T", timeframe: "1m" };
    const bad = `${dir}/bad.csv`;
    await Deno.writeTextFile(
      bad,
      "ts,open,high,low,close,volume\n1700000000000,1,2,0.5,1.5,1\n1700000060000,1,2,0.5,oops,1\n",
    );
    await assert.rejects(
      importCsv({ path: bad, id, sink }),
      (e: unknown) => e instanceof DataError && e.message.startsWith(`${bad}:3:`),
    );
    const unsorted = `${dir}/unsorted.csv`;
    await Deno.writeTextFile(
      unsorted,
      "ts,open,high,low,close,volume\n1700000060000,1,2,0.5,1.5,1\n1700000000000,1,2,0.5,1.5,1\n",
    );
    await assert.rejects(importCsv({ path: unsorted, id, sink }), /import with sort: true/);
    assert.equal(sink.appends.length, 0);
    const { csv } = await importCsv({ path: unsorted, id, sink, sort: true });
    assert.equal(csv.sorted, true);
    assert.deepEqual([...sink.get(id)!.ts], [1700000000000, 1700000060000]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
