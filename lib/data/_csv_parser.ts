// The OHLCV CSV row parser behind parseCsv and readCsv. It takes its input in pieces (readCsv reads a file in
// chunks into one reused buffer instead of holding 76 MB at once) and writes straight into growable shared
// columns, so neither a counting pass nor a trimming copy is needed.
import { Frame } from "../frame/mod.ts";
import { DataError } from "../types/mod.ts";
import type { CsvImport, ParseCsvOptions, TimeUnit } from "./parse_csv.ts";
import { latin1, looksIsoDate, parseDecimal, parseIsoMs } from "./_scan.ts";

const TIME_NAMES = ["timestamp", "ts", "datetime", "open_time", "date", "time"];
const LF = 10, CR = 13, QUOTE = 34, DOT = 46, ZERO = 48;
const ROLE_TIME = 0, ROLE_OPEN = 1, ROLE_HIGH = 2, ROLE_LOW = 3, ROLE_VOLUME = 5;
const ROLE_NAMES = ["time", "open", "high", "low", "close", "volume"];
const UNIT_FACTOR = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 } as const;
/** 2^53: a digit accumulator below it never rounded, so it is the exact integer of the digits. */
const EXACT_INT = 9007199254740992;
/** Exact powers of ten (all up to 1e22 are doubles), for the one correctly rounded division of the fast path. */
const POW10 = new Float64Array(23);
for (let i = 0, p = 1; i < 23; i++, p *= 10) POW10[i] = p;
/** Rows the columns grow by at a time: growth commits address space only, so a big step costs nothing untouched. */
const GROW_ROWS = 65_536;
/** Most rows a column reserves address space for up front. */
const MAX_RESERVED_ROWS = 2 ** 27;

/** The header facts the rows are read with. */
interface Header {
  header: string[];
  timeIdx: number;
  roles: Int8Array;
  iso: boolean;
  factor: number;
  timeFormat: CsvImport["timeFormat"];
  hasVolume: boolean;
  ignoredColumns: string[];
}

/**
 * One CSV import fed in pieces: {@link CsvParser.readHeader} on the first bytes of the input, then
 * {@link CsvParser.readRows} on buffers that end at a line end (or at the end of the input), then
 * {@link CsvParser.finish}. Results and errors are those of `parseCsv` on the whole input at once.
 */
export class CsvParser {
  readonly name: string;
  readonly #options: ParseCsvOptions;
  readonly #delimiter: string;
  readonly #timeUnit: TimeUnit;
  readonly #volumeOptional: boolean;
  /** Bytes of the whole input, which bounds the row count (the columns reserve that much address space). */
  readonly #totalBytes: number;
  #h: Header | undefined;
  /** Line number of the next unread line (1-based, counting blank lines). */
  #line = 1;
  #n = 0;
  #outOfOrder = 0;
  #prevTs = -Infinity;
  #buffers: SharedArrayBuffer[] = [];
  #cols: Float64Array[] = [];
  #capacity = 0;
  #maxRows = 0;

  /** Checks the options (RangeError on a bad one); `totalBytes` is the input's size in bytes. */
  constructor(options: ParseCsvOptions, totalBytes: number) {
    this.#options = options;
    this.name = options.name ?? "<csv>";
    this.#delimiter = options.delimiter ?? ",";
    if (![",", ";", "\t", "|"].includes(this.#delimiter)) {
      throw new RangeError(`Invalid delimiter ${JSON.stringify(this.#delimiter)}: use ",", ";", "\\t" or "|"`);
    }
    this.#timeUnit = options.timeUnit ?? "auto";
    if (!["auto", "s", "ms", "us", "ns"].includes(this.#timeUnit)) {
      throw new RangeError(`Invalid timeUnit ${JSON.stringify(this.#timeUnit)}: use "auto", "s", "ms", "us" or "ns"`);
    }
    const volumeMode = options.volume ?? "required";
    if (volumeMode !== "required" && volumeMode !== "optional") {
      throw new RangeError(`Invalid volume option ${JSON.stringify(volumeMode)}: use "required" or "optional"`);
    }
    this.#volumeOptional = volumeMode === "optional";
    this.#totalBytes = totalBytes;
  }

  /**
   * Reads the header and decides the time format from the first data row. `b` holds the input's first bytes;
   * `eof` says whether it is all of it. Returns the offset of the first data line, or -1 when `b` ends before the
   * header and the first row's time field are complete (read more and call again with the longer prefix).
   */
  readHeader(b: Uint8Array, eof: boolean): number {
    const name = this.name;
    const len = b.length;
    const delimiter = this.#delimiter;
    const delim = delimiter.charCodeAt(0);
    let pos = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
    if (!eof && len < 3) return -1;
    let line = 1;
    while (pos < len && (b[pos] === LF || b[pos] === CR)) {
      if (b[pos] === LF) line++;
      pos++;
    }
    if (pos >= len) {
      if (!eof) return -1;
      throw new DataError(`${name}: the file is empty; expected a header like timestamp,open,high,low,close,volume`);
    }
    let headerEnd = b.indexOf(LF, pos);
    if (headerEnd < 0) {
      if (!eof) return -1;
      headerEnd = len;
    }
    const headerText = new TextDecoder().decode(b.subarray(pos, headerEnd)).replace(/\r$/, "");
    const headerLine = line;
    const header = splitHeader(headerText, delimiter).map((h) => h.trim());
    const lower = header.map((h) => h.toLowerCase());
    const ncols = header.length;
    pos = headerEnd + 1;
    line++;

    const roles = new Int8Array(ncols).fill(-1);
    const timeIdx = findTimeColumn(lower, this.#options.timeColumn, name, headerLine, header);
    roles[timeIdx] = ROLE_TIME;
    for (let r = ROLE_OPEN; r <= ROLE_VOLUME; r++) {
      const role = ROLE_NAMES[r]!;
      const idx = lower.indexOf(role);
      if (idx >= 0 && lower.indexOf(role, idx + 1) >= 0) {
        throw new DataError(`${name}:${headerLine}: the header has two "${role}" columns; keep one`);
      }
      if (idx < 0) {
        if (r === ROLE_VOLUME && this.#volumeOptional) continue;
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
    // The field must end inside `b` (not at its end) to be the same field as in the whole input.
    if (!eof && (first === undefined || first[2] >= len)) return -1;
    if (first) {
      iso = looksIsoDate(b, first[0], first[1]);
      if (iso) timeFormat = "iso";
      else {
        let unit = this.#timeUnit;
        if (unit === "auto") {
          const v = Math.abs(parseDecimal(b, first[0], first[1]));
          unit = v < 1e11 ? "s" : v < 1e14 ? "ms" : v < 1e17 ? "us" : "ns";
        }
        factor = UNIT_FACTOR[unit as keyof typeof UNIT_FACTOR];
        timeFormat = `epoch_${unit}` as CsvImport["timeFormat"];
      }
    }
    this.#h = { header, timeIdx, roles, iso, factor, timeFormat, hasVolume, ignoredColumns };
    this.#line = line;
    // Every row but the last ends with a line end, has ncols - 1 delimiters and at least one byte in each of its
    // columns with a role (an empty number is an error): that bounds the rows the columns may ever need.
    let withRole = 0;
    for (const r of roles) if (r >= 0) withRole++;
    // Capped so a huge file does not ask for more address space than is reasonable (1 GiB a column); past the
    // cap the columns grow by copying.
    this.#maxRows = Math.min(MAX_RESERVED_ROWS, Math.floor((this.#totalBytes + 1) / (ncols + withRole)) + 1);
    // In shared memory: sweep workers read the frame's columns where they lie instead of copies (48 MB on 1M
    // rows). Growable, so the bound above is reserved address space, and only the rows written are touched.
    for (let k = 0; k < 6; k++) {
      this.#buffers.push(new SharedArrayBuffer(0, { maxByteLength: this.#maxRows * 8 }));
    }
    this.#grow(Math.min(this.#maxRows, GROW_ROWS));
    return pos;
  }

  /** Makes room for `rows` rows; past the reserved bound (a file that grew while read) by copying. */
  #grow(rows: number): void {
    if (rows > this.#maxRows) {
      this.#maxRows = Math.max(rows, this.#maxRows * 2);
      this.#buffers = this.#buffers.map((old) => {
        const g = new SharedArrayBuffer(old.byteLength, { maxByteLength: this.#maxRows * 8 });
        new Uint8Array(g).set(new Uint8Array(old));
        return g;
      });
    }
    for (const buf of this.#buffers) buf.grow(rows * 8);
    // Fixed-length views: the hot loop indexes plain typed arrays.
    this.#cols = this.#buffers.map((buf) => new Float64Array(buf, 0, rows));
    this.#capacity = rows;
  }

  /**
   * Reads the data rows of `b` from `pos`. Unless `final`, `b` must end just after a line feed, and a row that a
   * quoted field carries past that end is left for the next call. Returns the offset where reading stopped: the
   * start of the first row not read, `b.length` when all were. Throws the first bad row's DataError.
   */
  readRows(b: Uint8Array, pos: number, final: boolean): number {
    const h = this.#h!;
    const name = this.name;
    const { roles, iso, factor, header } = h;
    const delim = this.#delimiter.charCodeAt(0);
    const len = b.length;
    const ncols = roles.length;
    let cols = this.#cols;
    let line = this.#line, n = this.#n, outOfOrder = this.#outOfOrder;
    let prevTs = this.#prevTs;
    let capacity = this.#capacity;
    rows: while (pos < len) {
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
        let rows = capacity + Math.min(GROW_ROWS, Math.max(capacity, 1024));
        if (capacity < this.#maxRows) rows = Math.min(rows, this.#maxRows);
        this.#grow(rows);
        cols = this.#cols;
        capacity = this.#capacity;
      }
      const rowStart = pos, rowLine = line, rowOutOfOrder = outOfOrder, rowPrevTs = prevTs;
      for (let c = 0; c < ncols; c++) {
        let s = pos, e: number, fast = NaN;
        const role = roles[c]!;
        if (b[pos] === QUOTE) {
          let q = pos + 1;
          for (;;) {
            q = b.indexOf(QUOTE, q);
            if (q < 0 || b[q + 1] !== QUOTE) break;
            q += 2; // an escaped quote
          }
          if (q < 0) {
            if (!final) {
              // The closing quote lies past this buffer: read the row again with the next one.
              pos = rowStart;
              line = rowLine;
              outOfOrder = rowOutOfOrder;
              prevTs = rowPrevTs;
              break rows;
            }
            failField(b, name, header, line, "unterminated quoted field", c, pos, Math.min(len, pos + 40));
          }
          for (let k = pos; k < q; k++) if (b[k] === LF) line++;
          s = pos + 1;
          e = q;
          pos = q + 1;
        } else {
          // A plain `digits[.digits]` number is parsed while its end is found: one pass over its bytes. Its value
          // is the integer of all its digits (exact below 2^53) divided by an exact power of ten: one correctly
          // rounded operation, so bit for bit Number(text). Anything else takes the general path below.
          if (role >= 0 && !(iso && role === ROLE_TIME)) {
            // Digits go two at a time into an int32 block (below 1e8) folded into `mant` every 7-8 digits: a
            // quarter of the dependent floating-point work of `mant = mant * 10 + d` per digit. `mant` stays the
            // exact integer of the digits while below 2^53 and is at least 2^53 once it is not (rounding is
            // monotonic), so the test below keeps only exact mantissas.
            let i = pos, mant = 0, acc = 0, k = 0, dot = -1;
            for (;;) {
              const d0 = i < len ? b[i]! - ZERO : -1;
              if (d0 >>> 0 > 9) {
                if (d0 !== DOT - ZERO || dot >= 0) break;
                dot = ++i;
                continue;
              }
              const d1 = i + 1 < len ? b[i + 1]! - ZERO : -1;
              if (d1 >>> 0 > 9) {
                acc = acc * 10 + d0;
                k++;
                i++;
              } else {
                acc = acc * 100 + (d0 * 10 + d1);
                k += 2;
                i += 2;
              }
              if (k >= 7) {
                mant = mant * POW10[k]! + acc;
                acc = 0;
                k = 0;
              }
            }
            mant = mant * POW10[k]! + acc;
            const frac = dot < 0 ? 0 : i - dot;
            const digits = dot < 0 ? i - pos : i - pos - 1;
            if (digits > 0 && mant < EXACT_INT && frac <= 22) {
              const ch = i < len ? b[i]! : LF;
              if (ch === delim || ch === LF || ch === CR) {
                fast = frac > 0 ? mant / POW10[frac]! : mant;
                pos = i;
              }
            }
          }
          if (fast !== fast) {
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
              if (v !== v) {
                failField(b, name, header, line, "unparseable date (expected ISO like 2017-04-19 09:00:00)", c, s, e);
              }
            } else {
              v = fast === fast ? fast : parseDecimal(b, s, e);
              if (v !== v) failField(b, name, header, line, "unparseable time (expected an epoch number)", c, s, e);
              if (factor !== 1) v *= factor;
              if (!(Math.abs(v) < 8.64e15)) failField(b, name, header, line, "time out of range", c, s, e);
              v = Math.round(v);
            }
            if (v < prevTs) outOfOrder++;
            prevTs = v;
          } else {
            v = fast === fast ? fast : parseDecimal(b, s, e);
            if (!(v >= 0 && v < Infinity)) {
              const reason = v !== v
                ? numberReason(b, s, e)
                : v < 0
                ? `negative ${ROLE_NAMES[role]}`
                : "infinite value";
              failField(b, name, header, line, reason, c, s, e);
            }
          }
          cols[role]![n] = v;
        }
        if (c < ncols - 1) {
          if (b[pos] !== delim) {
            failField(b, name, header, line, `wrong column count: ${c + 1} fields, the header has ${ncols}`, c, s, e);
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
    this.#n = n;
    this.#outOfOrder = outOfOrder;
    this.#prevTs = prevTs;
    this.#line = line;
    return pos;
  }

  /** The import: columns exactly as long as the rows read, sorted or de-duplicated as asked. */
  finish(): CsvImport {
    const h = this.#h!;
    const name = this.name;
    const n = this.#n, outOfOrder = this.#outOfOrder;
    const [ts, open, high, low, close, volume] = this.#buffers.map((buf) => new Float64Array(buf, 0, n)) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    if (!h.hasVolume) volume.fill(NaN);

    const notes: string[] = [];
    if (!h.hasVolume) notes.push(`${name} has no volume column: volume is NaN (unknown)`);
    let order: Uint32Array | undefined;
    let duplicatesDropped = 0;
    const wantSort = this.#options.sort === true || this.#options.dedupe === true;
    if (wantSort && outOfOrder > 0) {
      order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, c) => ts[a]! - ts[c]! || a - c);
      notes.push(`sorted ${outOfOrder} out-of-order row${outOfOrder === 1 ? "" : "s"} by time as asked`);
    }
    if (this.#options.dedupe === true && n > 1) {
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
      if (!order) return col;
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
      timeColumn: h.header[h.timeIdx]!,
      timeFormat: h.timeFormat,
      ignoredColumns: h.ignoredColumns,
      outOfOrder,
      sorted: order !== undefined && wantSort && outOfOrder > 0,
      duplicatesDropped,
      notes,
    };
  }
}

/** The error of a bad field; a module function, not a closure, so the hot loop's `b` is no context variable. */
function failField(
  b: Uint8Array,
  name: string,
  header: string[],
  line: number,
  reason: string,
  col: number,
  s: number,
  e: number,
): never {
  throw rowError(name, line, reason, header[col] ?? `#${col + 1}`, latin1(b, s, e));
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

/**
 * Byte range of the time field of the first non-blank data row, if any, and how far the search read (a field
 * that stops at the end of a partial input may go on after it).
 */
function firstDataRowTimeField(
  b: Uint8Array,
  pos: number,
  len: number,
  delim: number,
  timeIdx: number,
): [number, number, number] | undefined {
  while (pos < len && (b[pos] === LF || b[pos] === CR)) pos++;
  if (pos >= len) return undefined;
  for (let c = 0; c < timeIdx; c++) {
    while (pos < len && b[pos] !== delim && b[pos] !== LF) pos++;
    pos++;
  }
  let s = pos;
  let e = pos;
  while (e < len && b[e] !== delim && b[e] !== LF && b[e] !== CR) e++;
  const end = e;
  if (b[s] === QUOTE) {
    s++;
    if (b[e - 1] === QUOTE) e--;
  }
  return [s, e, end];
}
