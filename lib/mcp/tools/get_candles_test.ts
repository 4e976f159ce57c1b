import assert from "node:assert/strict";
import { callTool, samplesDataDir } from "./_data_testing.ts";
import { getCandles } from "./get_candles.ts";

interface Out {
  timeframe: string;
  columns: string[];
  rows: (string | number | null)[][];
  total: number;
  nextFrom?: string;
  provenance: { capped?: string; note?: string; bars?: number };
}

Deno.test("get_candles: a range, capped at 500 by default with the next page's from", async () => {
  const dir = await samplesDataDir();
  const first = await callTool<Out>(getCandles, { series: "samples:GOOG:1d" }, dir);
  assert.equal(first.structured.rows.length, 500);
  assert.equal(first.structured.total, 2148);
  assert.deepEqual(first.structured.columns, ["time", "open", "high", "low", "close", "volume"]);
  assert.match(first.structured.provenance.capped!, /capped at 500 of 2148 rows in the range; call again with from=/);
  assert.match(first.text, /Capped/);
  const next = await callTool<Out>(getCandles, { series: "samples:GOOG:1d", from: first.structured.nextFrom }, dir);
  assert.equal(next.structured.rows[0]![0], first.structured.nextFrom);
  assert.equal(next.structured.total, 2148 - 500);
  const all = await callTool<Out>(getCandles, { series: "samples:GOOG:1d", limit: 5000 }, dir);
  assert.equal(all.structured.rows.length, 2148);
  assert.equal(all.structured.provenance.capped, undefined);
  assert.equal(all.structured.nextFrom, undefined);
});

Deno.test("get_candles: [from, to) and DuckDB resampling", async () => {
  const dir = await samplesDataDir();
  const r = await callTool<Out>(getCandles, {
    series: "samples:GOOG:1d",
    from: "2010-01-04",
    to: "2010-01-09",
  }, dir);
  assert.deepEqual(r.structured.rows.map((row) => row[0]), [4, 5, 6, 7, 8].map((d) => `2010-01-0${d}T00:00:00.000Z`));
  const w = await callTool<Out>(getCandles, {
    series: "samples:GOOG:1d",
    timeframe: "1w",
    from: "2010-01-04",
    to: "2010-01-09",
  }, dir);
  assert.equal(w.structured.rows.length, 1);
  const [, open, high, low, close] = w.structured.rows[0]!;
  assert.equal(open, r.structured.rows[0]![1]);
  assert.equal(close, r.structured.rows[4]![4]);
  assert.equal(high, Math.max(...r.structured.rows.map((x) => x[2] as number)));
  assert.equal(low, Math.min(...r.structured.rows.map((x) => x[3] as number)));
  assert.match(w.structured.provenance.note!, /resampled from 1d/);
});

Deno.test("get_candles: bad arguments name the field", async () => {
  const dir = await samplesDataDir();
  await assert.rejects(
    callTool(getCandles, { series: "samples:GOOG:1d", timeframe: "7h" }, dir),
    /^RangeError: timeframe:/,
  );
  await assert.rejects(callTool(getCandles, { series: "samples:GOOG:1d", from: "soon" }, dir), /^RangeError: from:/);
  await assert.rejects(
    callTool(getCandles, { series: "samples:GOOG:1d", from: "2011-01-01", to: "2010-01-01" }, dir),
    /^RangeError: to:/,
  );
  for (const limit of [0, 5001, 1.5]) {
    const r = getCandles.input.safeParse({ series: "samples:GOOG:1d", limit });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues[0]!.path, ["limit"]);
  }
});
