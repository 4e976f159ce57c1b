import assert from "node:assert/strict";
import { avgDrawdownDuration } from "./avg_drawdown_duration.ts";

Deno.test("avgDrawdownDuration: mean of episode lengths", () => {
  // episodes of 4 bars (0 -> 4) and 3 bars (5 -> 8, open): 3.5
  const equity = new Float64Array([100, 90, 80, 95, 100, 105, 100, 101, 104]);
  assert.equal(avgDrawdownDuration(equity), 3.5);
  const ts = new Float64Array(equity.length).map((_, i) => i * 60_000);
  assert.equal(avgDrawdownDuration(equity, { unit: "ms", ts }), 3.5 * 60_000);
  assert.equal(avgDrawdownDuration(new Float64Array([5])), 0);
  assert.ok(Number.isNaN(avgDrawdownDuration(new Float64Array(0))));
});
