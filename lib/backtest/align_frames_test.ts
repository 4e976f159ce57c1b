import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { alignFrames } from "./align_frames.ts";

const f = (ts: number[]) => new Frame(Float64Array.from(ts), {});

Deno.test("alignFrames builds the union and reports gaps, leading and trailing bars", () => {
  const al = alignFrames({ a: f([0, 1, 2, 3, 4, 5, 6, 7, 8]), b: f([2, 4, 5, 7]) });
  assert.deepEqual([...al.ts], [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual([...al.index.b!], [-1, -1, 0, -1, 1, 2, -1, 3, -1]);
  // Gaps at 3 and 6 inside b's span 2..7; 0, 1 before it; 8 after it.
  assert.deepEqual(al.missing.b, { count: 2, first: [3, 6], before: 2, after: 1 });
});

Deno.test("alignFrames lists at most 5 gap times and rejects unsorted frames", () => {
  const al = alignFrames({ a: f([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), b: f([0, 9]) });
  assert.deepEqual(al.missing.b, { count: 8, first: [1, 2, 3, 4, 5], before: 0, after: 0 });
  assert.throws(() => alignFrames({ x: f([0, 2, 2]) }), /frame "x" has ts\[2\] = 2 not after ts\[1\] = 2/);
});
