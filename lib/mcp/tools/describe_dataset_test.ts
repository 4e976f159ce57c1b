import assert from "node:assert/strict";
import { callTool, samplesDataDir } from "./_data_testing.ts";
import { describeDataset } from "./describe_dataset.ts";

interface Out {
  bars: number;
  quality: { gapCount: number; missing: number; holidayCount: number; duplicates: number; warnings: string[] };
  gaps: { from: string; to: string; missing: number; kind: string }[];
  holidays: unknown[];
  provenance: { capped?: string; quality?: string };
}

Deno.test("describe_dataset: the quality report with each gap's place and length, capped by maxGaps", async () => {
  const dir = await samplesDataDir();
  const { structured: d } = await callTool<Out>(describeDataset, { series: "samples:GOOG:1d", maxGaps: 10 }, dir);
  assert.equal(d.bars, 2148);
  assert.equal(d.quality.gapCount, 2);
  assert.equal(d.gaps.length, 2);
  assert.equal(d.gaps.reduce((s, g) => s + g.missing, 0), d.quality.missing);
  assert.match(d.gaps[0]!.from, /^\d{4}-\d\d-\d\dT/);
  assert.equal(d.holidays.length, 10);
  assert.match(d.provenance.capped!, /listed 2 of 2 gaps and 10 of 75 holidays; pass maxGaps/);
});

Deno.test("describe_dataset: an unknown or malformed series names the argument and lists what is stored", async () => {
  const dir = await samplesDataDir();
  await assert.rejects(
    callTool(describeDataset, { series: "samples:NOPE:1d" }, dir),
    /^RangeError: series: .*stored series: samples:/,
  );
  await assert.rejects(callTool(describeDataset, { series: "GOOG" }, dir), /series: .*exchange:SYMBOL:timeframe/);
  assert.equal(describeDataset.input.safeParse({ series: "samples:GOOG:1d", maxGaps: 5000 }).success, false);
});
