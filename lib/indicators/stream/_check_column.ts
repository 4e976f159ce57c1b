import type { StreamColumn } from "./indicator_stream.ts";

const COLUMNS: readonly string[] = ["open", "high", "low", "close", "volume"];

/** Returns `column` (default "close") after checking it names a bar field. */
export function checkColumn(fn: string, column: StreamColumn | undefined): StreamColumn {
  const c = column ?? "close";
  if (!COLUMNS.includes(c)) {
    throw new RangeError(`${fn}: column must be one of ${COLUMNS.join(", ")}, got ${JSON.stringify(c)}`);
  }
  return c;
}
