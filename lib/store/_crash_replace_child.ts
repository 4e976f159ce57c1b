// Test helper for store_crash_replace_test.ts: rewrites the whole stored series with revision 1, 2, 3, ...
// (`onConflict: "replace"`) forever, until the parent kills it. Usage: _crash_replace_child.ts <dir> <bars>.

import { Frame } from "../frame/mod.ts";
import { Store } from "./mod.ts";
import { CRASH_ID, revisedBar } from "./_crash_data.ts";

const [dir, barsText] = Deno.args;
const n = Number(barsText);
const store = await Store.open({ dir, fanout: 2, rowGroupRows: 97 });
for (let v = 1;; v++) {
  const bars = Array.from({ length: n }, (_, i) => revisedBar(i, v));
  await store.append(CRASH_ID, Frame.fromBars(bars), { onConflict: "replace" });
}
