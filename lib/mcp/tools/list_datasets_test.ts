import assert from "node:assert/strict";
import { callTool, samplesDataDir } from "./_data_testing.ts";
import { listDatasets } from "./list_datasets.ts";

interface Out {
  datasets: { series: string; bars: number; calendar: string; from: string; quality: string; source: string }[];
}

Deno.test("list_datasets: every stored series with range, bars, calendar and a quality line", async () => {
  const dir = await samplesDataDir();
  const { structured, text } = await callTool<Out>(listDatasets, {}, dir);
  const goog = structured.datasets.find((d) => d.series === "samples:GOOG:1d")!;
  assert.equal(goog.bars, 2148);
  assert.equal(goog.calendar, "weekdays");
  assert.equal(goog.from, "2004-08-19T00:00:00.000Z");
  assert.match(goog.quality, /2 gaps \(4 missing bars/);
  assert.ok(!goog.source.includes("/"), "a source never reveals the server's folders");
  assert.match(text, /samples:GOOG:1d \(2148 bars/);
});

Deno.test("list_datasets: rejects unknown arguments", () => {
  assert.equal(listDatasets.input.safeParse({ extra: 1 }).success, false);
});
