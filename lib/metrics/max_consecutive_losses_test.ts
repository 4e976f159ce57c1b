import assert from "node:assert/strict";
import { makeTrade } from "./_testdata.ts";
import { maxConsecutiveLosses } from "./max_consecutive_losses.ts";

Deno.test("maxConsecutiveLosses: longest losing run; break-even ends it", () => {
  const seq = [0.1, 0.2, 0.1, -0.1, -0.2, 0, -0.1, 0.3].map((r) => makeTrade({ return: r }));
  assert.equal(maxConsecutiveLosses(seq), 2);
  assert.equal(maxConsecutiveLosses([]), 0);
});
