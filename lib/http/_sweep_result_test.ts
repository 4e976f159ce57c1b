import assert from "node:assert/strict";
import { sweepResultHtml } from "./_sweep_result.ts";

Deno.test("sweepResultHtml: a 3-parameter sweep heatmap says it shows the best over the third parameter", () => {
  const fast: number[] = [], slow: number[] = [], stop: number[] = [], sharpe: number[] = [];
  for (const f of [5, 10]) {
    for (const s of [20, 40]) {
      for (const x of [0.01, 0.02, 0.03]) {
        fast.push(f), slow.push(s), stop.push(x), sharpe.push(f / 10 - s / 40 + x * 10);
      }
    }
  }
  const cols = {
    fast: Float64Array.from(fast),
    slow: Float64Array.from(slow),
    stop: Float64Array.from(stop),
    sharpe: Float64Array.from(sharpe),
  };
  const out = String(sweepResultHtml(cols, ["fast", "slow", "stop"], "sharpe"));
  assert.match(out, /best over stop for each \(fast, slow\)/);
  assert.match(out, /id="heatmap-aggregate">Each cell shows the best sharpe over stop for that \(fast, slow\)/);
  // Two parameters: nothing to aggregate, no caption.
  const two = String(sweepResultHtml(cols, ["fast", "slow"], "sharpe"));
  assert.doesNotMatch(two, /heatmap-aggregate/);
});
