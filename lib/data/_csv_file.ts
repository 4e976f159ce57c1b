import type { CsvImport, ParseCsvOptions } from "./parse_csv.ts";
import { CsvParser } from "./_csv_parser.ts";

/** Bytes read at a time: one reused buffer this size (it stays in L2 cache) instead of the whole file in memory. */
export const CHUNK_BYTES = 256 * 1024;
const LF = 10;

/**
 * Reads the CSV file at `path` in chunks of `chunkBytes` into one reused buffer and parses it as
 * {@link CsvParser} does the whole text at once (readCsv's body; tests pass tiny chunks to cross every boundary).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCsvChunks } from "./_csv_file.ts";
 * const r = await readCsvChunks(new URL("../../data/samples/BTCUSD.ohlcv.csv", import.meta.url), {}, 100);
 * assert.equal(r.rows, 156);
 * ```
 */
export async function readCsvChunks(
  path: string | URL,
  options: ParseCsvOptions,
  chunkBytes: number = CHUNK_BYTES,
): Promise<CsvImport> {
  const file = await Deno.open(path);
  try {
    const size = (await file.stat()).size;
    const parser = new CsvParser(options, size);
    // Synchronous reads: from the page cache they are memory copies, cheaper than a hop to the I/O thread each.
    let buf = new Uint8Array(Math.max(1, Math.min(chunkBytes, size + 1)));
    let start = 0, end = 0, eof = false, header = true;
    for (;;) {
      // Keep the unread tail (a partial row), then fill the rest of the buffer.
      if (start > 0) {
        buf.copyWithin(0, start, end);
        end -= start;
        start = 0;
      }
      if (end === buf.length) {
        // One row (or the header and first row) longer than the buffer: make room for it.
        const bigger = new Uint8Array(buf.length * 2);
        bigger.set(buf);
        buf = bigger;
      }
      while (end < buf.length) {
        const got = file.readSync(buf.subarray(end));
        if (got === null) {
          eof = true;
          break;
        }
        end += got;
      }
      if (header) {
        const pos = parser.readHeader(buf.subarray(0, end), eof);
        if (pos < 0) continue;
        start = pos;
        header = false;
      }
      // Complete lines only, unless this is the end of the file.
      const cut = eof ? end : buf.lastIndexOf(LF, end - 1) + 1;
      if (cut > start) start = parser.readRows(buf.subarray(0, cut), start, eof);
      if (eof) break;
    }
    return parser.finish();
  } finally {
    file.close();
  }
}
