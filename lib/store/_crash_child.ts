// Test helper for store_crash_test.ts: appends contiguous batches of deterministic bars forever,
// resuming after the stored last bar, until the parent kills it. Usage: _crash_child.ts <dir> <batch>.
// Tiny fanout and row groups make merges (rewrites and deletes) happen on almost every append.

import { Frame } from "../frame/mod.ts";
import { Store } from "./mod.ts";
import { CRASH_ID, crashBar } from "./_crash_data.ts";

const [dir, batchText] = Deno.args;
const batch = Number(batchText);
const store = await Store.open({ dir, fanout: 2, rowGroupRows: 97 });
for (let k = 0;; k++) {
  const last = await store.lastTs(CRASH_ID);
  const start = last === undefined ? 0 : last / 60_000 + 1;
  const bars = Array.from({ length: batch }, (_, i) => crashBar(start + i));
  // Every third batch goes in reversed and with a repeated row, to take the sorting path too.
  if (k % 3 === 2) bars.reverse().push(bars[0]!);
  await store.append(CRASH_ID, Frame.fromBars(bars), { source: "crash-test" });
}
