import { Frame } from "../frame/mod.ts";
import { DataError } from "../types/mod.ts";
import { latin1, looksIsoDate, parseDecimal, parseIsoMs, PLAIN_END, plainDecimal } from "./_scan.ts";

/** How numeric time values are read. `auto` decides from the first data row's magnitude. */
export type TimeUnit = "auto" | "s" | "ms" | "us" | "ns";

/** Options for {@link parseCsv} and {@link readCsv}. */
export interface ParseCsvOptions {
  /** Name used in error messages and in {@link CsvImport.source} (the file path). Default `"<csv>"`. */
  name?: string;
  /** Field delimiter. Default `","`. */
  delimiter?: "," | ";" | "\t" | "|";
  /**
   * `"required"` (default): a file without a volume column is rejected. `"optional"`: it loads
   * with volume NaN ("unknown", never 0, so zero-volume checks and volume-weighted indicators do
   * not mistake it for a bar without trades).
   */
  volume?: "required" | "optional";
  /** Unit of numeric time values. Default `"auto"` (see {@link parseCsv}). Ignored for ISO dates. */
  timeUnit?: TimeUnit;
  /** Name of the time column when it is not one of the recognised names. Case-insensitive. */
  timeColumn?: string;
  /** Sort rows by time (stable) when they are out of order. Default false: rows keep file order. */
  sort?: boolean;
  /** Drop rows with a repeated time, keeping the last one in file order. Implies `sort`. Default false. */
  dedupe?: boolean;
}

/** What {@link parseCsv} returns: the bars plus what it did to get them. */
export interface CsvImport {
  /** Columns `open, high, low, close, volume`; `ts` epoch ms UTC. */
  frame: Frame;
  /** The `name` option (file path for {@link readCsv}). */
  source: string;
  /** Data rows read from the file (before any de-duplication). */
  rows: number;
  /** Header name of the time column (`""` for the unnamed first column). */
  timeColumn: string;
  /** How the time column was read. */
  timeFormat: "iso" | "epoch_s" | "epoch_ms" | "epoch_us" | "epoch_ns";
  /** Header names that were ignored (`adjclose`, ...). */
  ignoredColumns: string[];
  /** Rows whose time was earlier than the row before, in file order. */
  outOfOrder: number;
  /** Whether the importer reordered rows (only with `sort` or `dedupe`). */
  sorted: boolean;
  /** Rows removed because another row had the same time (only with `dedupe`). */
  duplicatesDropped: number;
  /** Sentences describing anything the importer decided (sorting, missing volume). */
  notes: string[];
}

const TIME_NAMES = ["timestamp", "ts", "datetime", "open_time", "date", "time"];
const LF = 10, CR = 13, QUOTE = 34;
const ROLE_TIME = 0, ROLE_OPEN = 1, ROLE_HIGH = 2, ROLE_LOW = 3, ROLE_VOLUME = 5;
const ROLE_NAMES = ["time", "open", "high", "low", "close", "volume"];
const UNIT_FACTOR = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 } as const;

/**
 * Parses OHLCV CSV text or bytes into a {@link Frame}, validating every row.
 *
 * - Header names are case-insensitive. The time column is the first of `timestamp`, `ts`,
 *   `datetime`, `open_time`, `date`, `time` found, or an unnamed first column (backtesting.py's
 *   `,Open,High,Low,Close,Volume`), or `timeColumn`. `open`, `high`, `low`, `close` are required;
 *   `volume` too unless `volume: "optional"`. Other columns (`adjclose`) are ignored.
 * - Times are ISO dates or date-times (`2004-08-19`, `2017-04-19 09:00:00`, `...T09:00:00Z`,
 *   `...+02:00`); **a time without zone is UTC**. Numeric times are epoch values whose unit is
 *   decided once, from the first data row: below 1e11 seconds (up to year 5138), below 1e14
 *   milliseconds (from 1973-03-03), below 1e17 microseconds, else nanoseconds. They are rounded
 *   to whole milliseconds. Pass `timeUnit` to force a unit.
 * - Numbers parse exactly as `Number()` would. Blank lines are skipped; `\r\n` endings, a UTF-8
 *   BOM and double-quoted fields are accepted.
 * - A bad row rejects the whole file with a {@link DataError} naming the source, line, column,
 *   reason and value: unparseable number or date, NaN or infinite value, negative price or volume,
 *   high < low, wrong column count. Nothing is returned then.
 * - Out-of-order and duplicate times are not errors (the quality report lists them). Rows keep
 *   file order unless `sort` (stable sort by time) or `dedupe` (sort, then keep the last row of
 *   each time) is set; {@link CsvImport.notes} says what was done.
 * - The columns of a file read in order lie in SharedArrayBuffers, so sweep workers read them
 *   without a copy; they behave as any Float64Array otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCsv } from "./parse_csv.ts";
 * const csv = ",Open,High,Low,Close,Volume\n2004-08-19,100,104.06,95.96,100.34,22351900\n";
 * const { frame, timeFormat } = parseCsv(csv);
 * assert.equal(timeFormat, "iso");
 * assert.equal(frame.ts[0], Date.UTC(2004, 7, 19));
 * assert.equal(frame.close[0], 100.34);
 * assert.throws(() => parseCsv("ts,open,high,low,close,volume\n1,2,1,3,2,5\n", { name: "x.csv" }), /x\.csv:2: high < low/);
 * ```
 */
export function parseCsv(input: string | Uint8Array, options: ParseCsvOptions = {}): CsvImport {
  const name = options.name ?? "<csv>";
  const delimiter = options.delimiter ?? ",";
  if (![",", ";", "\t", "|"].includes(delimiter)) {
    throw new RangeError(`Invalid delimiter ${JSON.stringify(delimiter)}: use ",", ";", "\\t" or "|"`);
  }
  const timeUnit = options.timeUnit ?? "auto";
  if (!["auto", "s", "ms", "us", "ns"].includes(timeUnit)) {
    throw new RangeError(`Invalid timeUnit ${JSON.stringify(timeUnit)}: use "auto", "s", "ms", "us" or "ns"`);
  }
  const volumeMode = options.volume ?? "required";
  if (volumeMode !== "required" && volumeMode !== "optional") {
    throw new RangeError(`Invalid volume option ${JSON.stringify(volumeMode)}: use "required" or "optional"`);
  }
  const b = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const len = b.length;
  const delim = delimiter.charCodeAt(0);

  // Header.
  let pos = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  let line = 1;
  while (pos < len && (b[pos] === LF || b[pos] === CR)) {
    if (b[pos] === LF) line++;
    pos++;
  }
  if (pos >= len) {
    throw new DataError(`${name}: the file is empty; expected a header like timestamp,open,high,low,close,volume`);
  }
  let headerEnd = b.indexOf(LF, pos);
  if (headerEnd < 0) headerEnd = len;
  const headerText = new TextDecoder().decode(b.subarray(pos, headerEnd)).replace(/\r$/, "");
  const headerLine = line;
  const header = splitHeader(headerText, delimiter).map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const ncols = header.length;
  pos = headerEnd + 1;
  line++;

  const roles = new Int8Array(ncols).fill(-1);
  const timeIdx = findTimeColumn(lower, options.timeColumn, name, headerLine, header);
  roles[timeIdx] = ROLE_TIME;
  for (let r = ROLE_OPEN; r <= ROLE_VOLUME; r++) {
    const role = ROLE_NAMES[r]!;
    const idx = lower.indexOf(role);
    if (idx >= 0 && lower.indexOf(role, idx + 1) >= 0) {
      throw new DataError(`${name}:${headerLine}: the header has two "${role}" columns; keep one`);
    }
    if (idx < 0) {
      if (r === ROLE_VOLUME && volumeMode === "optional") continue;
      const hint = r === ROLE_VOLUME ? ` (pass volume: "optional" to load it with volume NaN)` : "";
      throw new DataError(
        `${name}:${headerLine}: no "${role}" column in header ${JSON.stringify(headerText)}${hint}`,
      );
    }
    if (idx === timeIdx) {
      throw new DataError(`${name}:${headerLine}: column "${header[idx]}" cannot be both time and ${role}`);
    }
    roles[idx] = r;
  }
  const hasVolume = roles.indexOf(ROLE_VOLUME) >= 0;
  const ignoredColumns = header.filter((_, i) => roles[i] === -1);

  // Time format from the first data row.
  let iso = false;
  let factor = 1;
  let timeFormat: CsvImport["timeFormat"] = "epoch_ms";
  const first = firstDataRowTimeField(b, pos, len, delim, timeIdx);
  if (first) {
    iso = looksIsoDate(b, first[0], first[1]);
    if (iso) timeFormat = "iso";
    else {
      let unit = timeUnit;
      if (unit === "auto") {
        const v = Math.abs(parseDecimal(b, first[0], first[1]));
        unit = v < 1e11 ? "s" : v < 1e14 ? "ms" : v < 1e17 ? "us" : "ns";
      }
      factor = UNIT_FACTOR[unit as keyof typeof UNIT_FACTOR];
      timeFormat = `epoch_${unit}` as CsvImport["timeFormat"];
    }
  }

  // Upper bound of the row count: every data row ends with LF except maybe the last. Exact for a file that ends
  // with LF (the usual case), so the columns are the frame's without a trimming copy.
  let capacity = len > pos && b[len - 1] !== LF ? 1 : 0;
  for (let i = b.indexOf(LF, pos); i >= 0; i = b.indexOf(LF, i + 1)) capacity++;
  const scan: Scan = {
    b,
    pos,
    line,
    name,
    header,
    roles,
    delim,
    iso,
    factor,
    // In shared memory: sweep workers read the frame's columns where they lie instead of copies (48 MB on 1M rows).
    cols: [0, 1, 2, 3, 4, 5].map(() => new Float64Array(new SharedArrayBuffer(capacity * 8))),
    n: 0,
    outOfOrder: 0,
  };
  scanRows(scan);
  const n = scan.n, outOfOrder = scan.outOfOrder;
  const [ts, open, high, low, close, volume] = scan.cols as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  if (!hasVolume) volume.fill(NaN);

  const notes: string[] = [];
  if (!hasVolume) notes.push(`${name} has no volume column: volume is NaN (unknown)`);
  let order: Uint32Array | undefined;
  let duplicatesDropped = 0;
  const wantSort = options.sort === true || options.dedupe === true;
  if (wantSort && outOfOrder > 0) {
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, c) => ts[a]! - ts[c]! || a - c);
    notes.push(`sorted ${outOfOrder} out-of-order row${outOfOrder === 1 ? "" : "s"} by time as asked`);
  }
  if (options.dedupe === true && n > 1) {
    const idx = order ?? Uint32Array.from({ length: n }, (_, i) => i);
    let w = 0;
    for (let r = 0; r < n; r++) {
      const i = idx[r]!;
      if (r + 1 < n && ts[idx[r + 1]!] === ts[i]) continue; // keep the last of a run of equal times
      idx[w++] = i;
    }
    duplicatesDropped = n - w;
    if (duplicatesDropped > 0) {
      order = idx.subarray(0, w);
      notes.push(
        `dropped ${duplicatesDropped} row${
          duplicatesDropped === 1 ? "" : "s"
        } with a repeated time (kept the last) as asked`,
      );
    }
  }
  const pick = (col: Float64Array): Float64Array => {
    if (!order) return n === col.length ? col : col.slice(0, n);
    const out = new Float64Array(order.length);
    for (let i = 0; i < order.length; i++) out[i] = col[order[i]!]!;
    return out;
  };
  const frame = new Frame(pick(ts), {
    open: pick(open),
    high: pick(high),
    low: pick(low),
    close: pick(close),
    volume: pick(volume),
  });
  return {
    frame,
    source: name,
    rows: n,
    timeColumn: header[timeIdx]!,
    timeFormat,
    ignoredColumns,
    outOfOrder,
    sorted: order !== undefined && wantSort && outOfOrder > 0,
    duplicatesDropped,
    notes,
  };
}

/** State of one scan; fields are read into locals in the hot loop and written back at the end. */
interface Scan {
  b: Uint8Array;
  pos: number;
  line: number;
  name: string;
  header: string[];
  roles: Int8Array;
  delim: number;
  iso: boolean;
  factor: number;
  cols: Float64Array[];
  n: number;
  outOfOrder: number;
}

/** The hot loop: one pass over the bytes, straight into the column arrays, no per-row allocation. */
function scanRows(st: Scan): void {
  const { b, name, roles, delim, iso, factor } = st;
  const len = b.length;
  const ncols = roles.length;
  let cols = st.cols;
  let pos = st.pos, line = st.line, n = 0, outOfOrder = 0;
  let prevTs = -Infinity;
  let capacity = cols[0]!.length;
  while (pos < len) {
    const c0 = b[pos];
    if (c0 === LF) {
      pos++;
      line++;
      continue;
    }
    if (c0 === CR && (pos + 1 >= len || b[pos + 1] === LF)) {
      pos += 2;
      line++;
      continue;
    }
    if (n === capacity) {
      // Only files with bare CR line endings get here (the capacity counts LF).
      capacity = Math.max(1, capacity * 2);
      cols = cols.map((c) => {
        const g = new Float64Array(capacity);
        g.set(c);
        return g;
      });
    }
    for (let c = 0; c < ncols; c++) {
      let s = pos, e: number, fast = NaN;
      const role = roles[c]!;
      if (b[pos] === QUOTE) {
        let q = pos + 1;
        for (;;) {
          q = b.indexOf(QUOTE, q);
          if (q < 0) failField(st, line, "unterminated quoted field", c, pos, Math.min(len, pos + 40));
          if (b[q + 1] === QUOTE) q += 2;
          else break;
        }
        for (let k = pos; k < q; k++) if (b[k] === LF) line++;
        s = pos + 1;
        e = q;
        pos = q + 1;
      } else {
        // A plain number is parsed while its end is found: one pass over its bytes instead of two.
        if (role >= 0 && !(iso && role === ROLE_TIME)) fast = plainDecimal(b, pos, len, delim);
        if (fast === fast) pos = PLAIN_END.at;
        else {
          while (pos < len) {
            const ch = b[pos]!;
            if (ch === delim || ch === LF || ch === CR) break;
            pos++;
          }
        }
        e = pos;
      }
      if (role >= 0) {
        let v: number;
        if (role === ROLE_TIME) {
          if (iso) {
            v = parseIsoMs(b, s, e);
            if (v !== v) failField(st, line, "unparseable date (expected ISO like 2017-04-19 09:00:00)", c, s, e);
          } else {
            v = fast === fast ? fast : parseDecimal(b, s, e);
            if (v !== v) failField(st, line, "unparseable time (expected an epoch number)", c, s, e);
            if (factor !== 1) v *= factor;
            if (!(Math.abs(v) < 8.64e15)) failField(st, line, "time out of range", c, s, e);
            v = Math.round(v);
          }
          if (v < prevTs) outOfOrder++;
          prevTs = v;
        } else {
          v = fast === fast ? fast : parseDecimal(b, s, e);
          if (!(v >= 0 && v < Infinity)) {
            const reason = v !== v ? numberReason(b, s, e) : v < 0 ? `negative ${ROLE_NAMES[role]}` : "infinite value";
            failField(st, line, reason, c, s, e);
          }
        }
        cols[role]![n] = v;
      }
      if (c < ncols - 1) {
        if (b[pos] !== delim) {
          failField(st, line, `wrong column count: ${c + 1} fields, the header has ${ncols}`, c, s, e);
        }
        pos++;
      }
    }
    if (pos < len && b[pos] !== LF && b[pos] !== CR) {
      let fields = ncols;
      for (let k = pos; k < len && b[k] !== LF; k++) if (b[k] === delim) fields++;
      throw rowError(name, line, `wrong column count: ${fields} fields, the header has ${ncols}`, "", "");
    }
    const hi = cols[ROLE_HIGH]![n]!, lo = cols[ROLE_LOW]![n]!;
    if (hi < lo) throw rowError(name, line, "high < low", "high", `${hi} < ${lo}`);
    n++;
    if (b[pos] === CR) pos++;
    if (b[pos] === LF) pos++;
    line++;
  }
  st.cols = cols;
  st.n = n;
  st.outOfOrder = outOfOrder;
  st.pos = pos;
  st.line = line;
}

function failField(st: Scan, line: number, reason: string, col: number, s: number, e: number): never {
  throw rowError(st.name, line, reason, st.header[col] ?? `#${col + 1}`, latin1(st.b, s, e));
}

function rowError(name: string, line: number, reason: string, column: string, value: string): DataError {
  const what = column ? ` in column "${column}": ${JSON.stringify(value)}` : value ? `: ${value}` : "";
  return new DataError(`${name}:${line}: ${reason}${what}. Fix or remove the row; nothing was imported`);
}

function numberReason(b: Uint8Array, s: number, e: number): string {
  const text = latin1(b, s, e).trim();
  if (text === "") return "empty number";
  if (/^[+-]?nan$/i.test(text)) return "NaN is not a valid value";
  if (/^[+-]?inf(inity)?$/i.test(text)) return "infinite value";
  return "unparseable number";
}

function findTimeColumn(
  lower: string[],
  explicit: string | undefined,
  name: string,
  line: number,
  header: string[],
): number {
  if (explicit !== undefined) {
    const idx = lower.indexOf(explicit.toLowerCase());
    if (idx < 0) {
      throw new DataError(`${name}:${line}: no time column "${explicit}" in header ${JSON.stringify(header)}`);
    }
    return idx;
  }
  if (lower.includes("date") && lower.includes("time")) {
    throw new DataError(
      `${name}:${line}: separate "date" and "time" columns are not supported; merge them into one ISO date-time column`,
    );
  }
  for (const t of TIME_NAMES) {
    const idx = lower.indexOf(t);
    if (idx >= 0) return idx;
  }
  if (lower[0] === "") return 0;
  throw new DataError(
    `${name}:${line}: no time column in header ${JSON.stringify(header)}; name it timestamp, ts, time, date, ` +
      `datetime or open_time, leave the first column unnamed, or pass timeColumn`,
  );
}

/** Splits the header line, honouring double quotes. */
function splitHeader(text: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Byte range of the time field of the first non-blank data row, if any. */
function firstDataRowTimeField(
  b: Uint8Array,
  pos: number,
  len: number,
  delim: number,
  timeIdx: number,
): [number, number] | undefined {
  while (pos < len && (b[pos] === LF || b[pos] === CR)) pos++;
  if (pos >= len) return undefined;
  for (let c = 0; c < timeIdx; c++) {
    while (pos < len && b[pos] !== delim && b[pos] !== LF) pos++;
    pos++;
  }
  let s = pos;
  let e = pos;
  while (e < len && b[e] !== delim && b[e] !== LF && b[e] !== CR) e++;
  if (b[s] === QUOTE) {
    s++;
    if (b[e - 1] === QUOTE) e--;
  }
  return [s, e];
}
