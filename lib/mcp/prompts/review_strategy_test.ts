import assert from "node:assert/strict";
import { REVIEW_GRID_STEPS, reviewGrid } from "./review_strategy.ts";

Deno.test("reviewGrid: numeric params vary around their values within their ranges; others stay as given", () => {
  assert.equal(REVIEW_GRID_STEPS.length, 5);
  assert.deepEqual(reviewGrid("sma_cross", { fast: 10, slow: 50 }), {
    fast: [5, 8, 10, 13, 15],
    slow: [25, 38, 50, 63, 75],
  });
  const rsi = reviewGrid("rsi_reversion", { period: 14, lower: 30, upper: 70, exit: "opposite" });
  assert.deepEqual(rsi.exit, ["opposite"]);
  assert.ok(rsi.upper!.every((v) => typeof v === "number" && v <= 100), "values out of the param's range are dropped");
  assert.ok(rsi.upper!.includes(70), "the reviewed value is always in the grid");
  assert.deepEqual(reviewGrid("buy_and_hold", {}), {});
});
