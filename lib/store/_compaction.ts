// Which adjacent parts to merge after an append.
//
// Appends add small parts (a download page is ~1000 bars); reads and DuckDB scans slow down with many
// files, but rewriting a big part for every page makes downloads quadratic. The rule: look at windows
// of `fanout` adjacent parts that are all below `mergeLimit` rows, and merge the first window whose
// largest part is at most half its total. A merged row then lands in a part at least twice as big as
// before, so each row is rewritten at most log2(mergeLimit) times (about 7 times for 1000-bar pages with
// fanout 8), and parts at or above `mergeLimit` are never rewritten by appends.

/** Returns `[start, end)` of the parts to merge next, or undefined when nothing needs merging. */
export function planMerge(rows: readonly number[], fanout: number, mergeLimit: number): [number, number] | undefined {
  for (let s = 0; s + fanout <= rows.length; s++) {
    let total = 0, max = 0, ok = true;
    for (let i = s; i < s + fanout; i++) {
      const r = rows[i]!;
      if (r >= mergeLimit) {
        ok = false;
        break;
      }
      total += r;
      if (r > max) max = r;
    }
    if (ok && max * 2 <= total) return [s, s + fanout];
  }
  return undefined;
}
