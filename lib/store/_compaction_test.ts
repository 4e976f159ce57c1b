import assert from "node:assert/strict";
import { planMerge } from "./_compaction.ts";

/** Simulates `pages` appends of `page` rows with the store's merge loop; returns parts and rows written. */
function simulate(pages: number, page: number, fanout: number, limit: number): { parts: number[]; written: number } {
  const parts: number[] = [];
  let written = 0;
  for (let p = 0; p < pages; p++) {
    parts.push(page);
    written += page;
    for (let plan = planMerge(parts, fanout, limit); plan; plan = planMerge(parts, fanout, limit)) {
      const merged = parts.slice(plan[0], plan[1]).reduce((a, b) => a + b, 0);
      parts.splice(plan[0], plan[1] - plan[0], merged);
      written += merged;
    }
  }
  return { parts, written };
}

Deno.test("planMerge: 10,000 download pages of 1000 bars stay few parts with log-bounded rewrites", () => {
  const { parts, written } = simulate(10_000, 1000, 8, 1_048_576);
  assert.equal(parts.reduce((a, b) => a + b, 0), 10_000_000);
  assert.ok(parts.length <= 40, `${parts.length} parts`);
  // Each row is rewritten at most log2(limit / page) = 10 times; measured amplification is far lower.
  const amplification = written / 10_000_000;
  assert.ok(amplification <= 11, `write amplification ${amplification}`);
});

Deno.test("planMerge: merges equal small parts, leaves a dominated window and big parts alone", () => {
  assert.deepEqual(planMerge([10, 10, 10, 10], 4, 100), [0, 4]);
  assert.equal(planMerge([100, 10, 10, 10], 4, 1000), undefined); // 100 > half of 130
  assert.equal(planMerge([200, 200, 200, 200], 4, 100), undefined); // all at or above the limit
  assert.deepEqual(planMerge([500, 3, 3, 3, 3], 4, 100), [1, 5]);
  assert.equal(planMerge([1, 1, 1], 4, 100), undefined);
});
