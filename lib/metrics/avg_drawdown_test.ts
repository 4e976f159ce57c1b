import assert from "node:assert/strict";
import { avgDrawdown } from "./avg_drawdown.ts";

Deno.test("avgDrawdown: mean episode depth", () => {
  // episodes: 100 -> 80 -> 100 (-0.2); 120 -> 108 -> 90 (open, -0.25): mean -0.225
  const v = avgDrawdown(new Float64Array([100, 80, 100, 120, 108, 90]));
  assert.ok(Math.abs(v - -0.225) < 1e-12);
  assert.equal(avgDrawdown(new Float64Array([1, 2, 3])), 0);
  assert.ok(Number.isNaN(avgDrawdown(new Float64Array(0))));
});
