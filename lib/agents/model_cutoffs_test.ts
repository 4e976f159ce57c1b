import assert from "node:assert/strict";
import { memoryOverlap, MODEL_CUTOFFS } from "./model_cutoffs.ts";

const d = (y: number, m: number, day = 1) => Date.UTC(y, m - 1, day);

Deno.test("MODEL_CUTOFFS: every entry has a YYYY-MM cutoff and a source URL", () => {
  for (const c of MODEL_CUTOFFS) {
    assert.match(c.trainingCutoff, /^20\d\d-(0[1-9]|1[0-2])$/);
    assert.match(c.source, /^https:\/\//);
  }
  for (
    const m of [
      "claude-sonnet-4-5",
      "claude-opus-4-1",
      "claude-haiku-4-5",
      "claude-sonnet-4",
      "claude-opus-4",
      "claude-3-5-haiku",
    ]
  ) {
    assert.ok(MODEL_CUTOFFS.some((c) => c.model === m), m);
  }
});

Deno.test("memoryOverlap: inside, partly inside, after, unknown", () => {
  const inside = memoryOverlap({ model: "claude-opus-4-1-20250805", from: d(2021, 1), to: d(2023, 3, 31) });
  assert.equal(inside.model, "claude-opus-4-1");
  assert.equal(inside.insideMemory, true);
  assert.equal(inside.overlapShare, 1);
  assert.equal(inside.label, "window 2021-01..2023-03 is inside claude-opus-4-1 training data (cutoff 2025-03)");

  // cutoff 2025-03 ends at 2025-04-01: half of [2025-02-01 + x, ...] chosen symmetric around it
  const from = d(2025, 4) - 10 * 86_400_000, to = d(2025, 4) + 30 * 86_400_000;
  const part = memoryOverlap({ model: "claude-sonnet-4-20250514", from, to });
  assert.equal(part.insideMemory, true);
  assert.equal(part.overlapShare, 0.25);
  assert.equal(part.overlapTo, d(2025, 4));
  assert.match(part.label, /25% inside claude-sonnet-4 training data \(cutoff 2025-03\)/);

  const after = memoryOverlap({ model: "claude-3-5-haiku-latest", from: d(2024, 8), to: d(2024, 12) });
  assert.equal(after.insideMemory, false);
  assert.equal(after.overlapShare, 0);
  assert.match(after.label, /after claude-3-5-haiku training data \(cutoff 2024-07\)/);

  const unknown = memoryOverlap({ model: "gpt-x", from: d(2030, 1), to: d(2030, 2) });
  assert.equal(unknown.insideMemory, null);
  assert.equal(unknown.overlapShare, null);
  assert.match(unknown.label, /unknown/);
  assert.throws(() => memoryOverlap({ model: "claude-opus-4", from: 2, to: 1 }), RangeError);
});
