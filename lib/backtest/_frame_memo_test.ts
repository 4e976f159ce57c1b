import assert from "node:assert/strict";
import { qualityReport } from "../data/mod.ts";
import { Frame } from "../frame/mod.ts";
import { runBacktest } from "./backtest.ts";
import { memoQualityReport } from "./_frame_memo.ts";

function frame(): Frame {
  const close = Float64Array.of(5, 4, 3, 4, 5, 6, 5, 4, 3, 0);
  const ts = Float64Array.from(close, (_, i) => (i === 7 ? 9 : i) * 3_600_000);
  return new Frame(ts, { open: close, high: close, low: close, close, volume: close });
}

Deno.test("memoQualityReport: computed once per frame and options, equal to qualityReport, a copy per call", () => {
  const f = frame();
  const opts = { timeframe: "1h", calendar: "24/7" as const, label: "x:Y:1h" };
  const a = memoQualityReport(f, opts);
  assert.deepEqual(a, qualityReport(f, opts));
  assert.equal(a.gapCount, 1);
  a.warnings.push("edited by a caller");
  const b = memoQualityReport(f, opts);
  assert.notEqual(b, a);
  assert.deepEqual(b, qualityReport(f, opts));
  // Other options are another entry.
  assert.deepEqual(memoQualityReport(f, { timeframe: "1h" }), qualityReport(f, { timeframe: "1h" }));
  assert.equal(memoQualityReport(f, { ...opts, label: "z" }).label, "z");
});

Deno.test("runBacktest on the same frame twice: same manifest (memoized hash and quality report)", async () => {
  const f = frame();
  const input = { frame: f, strategy: "sma_cross", params: { fast: 1, slow: 3 }, options: { fill: "close" as const } };
  const r1 = await runBacktest(input);
  r1.manifest.data[0]!.quality.warnings.length = 0;
  const r2 = await runBacktest(input);
  const fresh = await runBacktest({ ...input, frame: f.slice() });
  assert.equal(r2.manifest.id, fresh.manifest.id);
  assert.deepEqual(r2.manifest.data, fresh.manifest.data);
  assert.ok(r2.manifest.data[0]!.quality.warnings.length > 0);
  assert.deepEqual(r2.stats, fresh.stats);
});
