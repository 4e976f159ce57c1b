import assert from "node:assert/strict";
import { inferTimeframe } from "./infer_timeframe.ts";

const DAY = 86_400_000;

Deno.test("inferTimeframe: most common step, robust to gaps; months; too little data", () => {
  // Weekend gap (3 days) between Friday and Monday does not change the daily step.
  assert.equal(inferTimeframe(Float64Array.from([0, 1, 2, 3, 4, 7, 8], (d) => d * DAY)), "1d");
  assert.equal(inferTimeframe(Float64Array.of(0, 300_000, 600_000, 1_200_000)), "5m");
  assert.equal(inferTimeframe(Float64Array.of(Date.UTC(2024, 0), Date.UTC(2024, 1), Date.UTC(2024, 2))), "1M");
  assert.equal(inferTimeframe(Float64Array.of(0, 2 * 3_600_000, 4 * 3_600_000)), "2h");
  assert.equal(inferTimeframe(Float64Array.of(0)), null);
  assert.equal(inferTimeframe(Float64Array.of(0, 1234)), null);
});
