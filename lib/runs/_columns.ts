import type { Columns } from "./columns.ts";

/** Rows of the columns (all the same length), or a RangeError naming the odd one. */
export function columnsLength(columns: Columns): number {
  let n = -1;
  let first = "";
  for (const [name, col] of Object.entries(columns)) {
    if (n < 0) {
      n = col.length;
      first = name;
    } else if (col.length !== n) {
      throw new RangeError(`Columns must have equal lengths: ${first} has ${n} rows but ${name} has ${col.length}`);
    }
  }
  return Math.max(n, 0);
}
