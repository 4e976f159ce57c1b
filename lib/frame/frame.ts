import { type Table, tableFromArrays } from "apache-arrow";
import * as aq from "arquero";
import { type Bar, JUPYTER_DISPLAY, type MimeBundle } from "../types/mod.ts";

/** Options for {@link Frame.fromArrow}. */
export interface FromArrowOptions {
  /** Name of the time column in the Arrow table. Default `ts`. */
  tsColumn?: string;
}

/**
 * A thin columnar frame: a time column and named Float64Array columns of equal length.
 *
 * `ts` holds epoch milliseconds (UTC) as float64, exact for every date a market can have
 * (2^53 ms is 285,000 years). Columns are never copied by `slice`: it returns views, so a
 * strategy can run on a window without allocation. Frames are immutable by convention:
 * add a column with {@link Frame.withColumn}, which shares the existing arrays.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "./frame.ts";
 * const f = Frame.fromBars([
 *   { ts: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
 *   { ts: 60_000, open: 1.5, high: 2.5, low: 1, close: 2, volume: 12 },
 * ]);
 * assert.equal(f.length, 2);
 * assert.deepEqual([...f.close], [1.5, 2]);
 * assert.equal(f.slice(1).ts[0], 60_000);
 * ```
 */
export class Frame {
  /** Number of rows. */
  readonly length: number;
  /** Bar open times, epoch ms UTC, strictly increasing in stored series. */
  readonly ts: Float64Array;
  /** The value columns by name (`open`, `high`, `low`, `close`, `volume`, ...). */
  readonly columns: Readonly<Record<string, Float64Array>>;

  constructor(ts: Float64Array, columns: Record<string, Float64Array>) {
    for (const [name, col] of Object.entries(columns)) {
      if (!(col instanceof Float64Array)) {
        throw new TypeError(`Frame column ${JSON.stringify(name)} must be a Float64Array, got ${typeName(col)}`);
      }
      if (col.length !== ts.length) {
        throw new RangeError(
          `Frame column ${JSON.stringify(name)} has ${col.length} rows but ts has ${ts.length}: columns must align`,
        );
      }
    }
    this.ts = ts;
    this.columns = Object.freeze({ ...columns });
    this.length = ts.length;
  }

  /** Builds a frame from bar objects (convenience for small data and tests). */
  static fromBars(bars: readonly Bar[]): Frame {
    const n = bars.length;
    const ts = new Float64Array(n), open = new Float64Array(n), high = new Float64Array(n);
    const low = new Float64Array(n), close = new Float64Array(n), volume = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const b = bars[i]!;
      ts[i] = b.ts;
      open[i] = b.open;
      high[i] = b.high;
      low[i] = b.low;
      close[i] = b.close;
      volume[i] = b.volume;
    }
    return new Frame(ts, { open, high, low, close, volume });
  }

  /** Builds a frame from an Arrow table; every non-time column becomes Float64. */
  static fromArrow(table: Table, options: FromArrowOptions = {}): Frame {
    const tsName = options.tsColumn ?? "ts";
    const tsVec = table.getChild(tsName);
    if (!tsVec) {
      throw new RangeError(
        `Arrow table has no time column ${JSON.stringify(tsName)}; columns are ${
          JSON.stringify(table.schema.fields.map((f) => f.name))
        }. Pass tsColumn to name it.`,
      );
    }
    const ts = toFloat64(tsVec.toArray());
    const columns: Record<string, Float64Array> = {};
    for (const field of table.schema.fields) {
      if (field.name === tsName) continue;
      columns[field.name] = toFloat64(table.getChild(field.name)!.toArray());
    }
    return new Frame(ts, columns);
  }

  /** Builds a frame from an arquero table with a `ts` column. */
  static fromArquero(table: aq.ColumnTable, options: FromArrowOptions = {}): Frame {
    const tsName = options.tsColumn ?? "ts";
    const names = table.columnNames();
    if (!names.includes(tsName)) {
      throw new RangeError(
        `arquero table has no time column ${JSON.stringify(tsName)}; columns are ${JSON.stringify(names)}`,
      );
    }
    const ts = toFloat64(table.array(tsName, Float64Array) as ArrayLike<number>);
    const columns: Record<string, Float64Array> = {};
    for (const name of names) {
      if (name !== tsName) columns[name] = toFloat64(table.array(name, Float64Array) as ArrayLike<number>);
    }
    return new Frame(ts, columns);
  }

  /** The column `name`; throws a RangeError that lists the columns there are. */
  col(name: string): Float64Array {
    const c = this.columns[name];
    if (!c) {
      throw new RangeError(
        `Frame has no column ${JSON.stringify(name)}; it has ${JSON.stringify(Object.keys(this.columns))}`,
      );
    }
    return c;
  }

  /** Whether the frame has a column called `name`. */
  has(name: string): boolean {
    return name in this.columns;
  }

  /** Open prices. */
  get open(): Float64Array {
    return this.col("open");
  }
  /** High prices. */
  get high(): Float64Array {
    return this.col("high");
  }
  /** Low prices. */
  get low(): Float64Array {
    return this.col("low");
  }
  /** Close prices. */
  get close(): Float64Array {
    return this.col("close");
  }
  /** Traded volume. */
  get volume(): Float64Array {
    return this.col("volume");
  }

  /** Rows `start` (inclusive) to `end` (exclusive) as views over the same memory. */
  slice(start = 0, end: number = this.length): Frame {
    const cols: Record<string, Float64Array> = {};
    for (const [k, v] of Object.entries(this.columns)) cols[k] = v.subarray(start, end);
    return new Frame(this.ts.subarray(start, end), cols);
  }

  /** A new frame with `name` added or replaced; other columns are shared, not copied. */
  withColumn(name: string, values: Float64Array): Frame {
    return new Frame(this.ts, { ...this.columns, [name]: values });
  }

  /** Index of the first row with `ts >= t` (binary search; `length` if none). */
  indexAt(t: number): number {
    let lo = 0, hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** An Arrow table: `ts` as Int64 epoch ms, every other column Float64. Zero-copy for the value columns. */
  toArrow(): Table {
    const ts = new BigInt64Array(this.length);
    for (let i = 0; i < this.length; i++) ts[i] = BigInt(this.ts[i]!);
    return tableFromArrays({ ts, ...this.columns });
  }

  /** An arquero table with the same columns (`ts` as numbers). */
  toArquero(): aq.ColumnTable {
    return aq.table({ ts: this.ts, ...this.columns });
  }

  /** Bars as objects (for small frames, tests and JSON). */
  toBars(): Bar[] {
    const out: Bar[] = [];
    const { open, high, low, close, volume } = this;
    for (let i = 0; i < this.length; i++) {
      out.push({ ts: this.ts[i]!, open: open[i]!, high: high[i]!, low: low[i]!, close: close[i]!, volume: volume[i]! });
    }
    return out;
  }

  /** Jupyter shows a frame as an HTML table of its first and last rows. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const names = Object.keys(this.columns);
    const rows = this.length <= 10
      ? [...Array(this.length).keys()]
      : [0, 1, 2, 3, 4, -1, this.length - 5, this.length - 4, this.length - 3, this.length - 2, this.length - 1];
    const cell = (i: number, c: string): string => i < 0 ? "…" : formatNumber(this.columns[c]![i]!);
    const body = rows.map((i) =>
      `<tr><td>${i < 0 ? "…" : new Date(this.ts[i]!).toISOString()}</td>${
        names.map((c) => `<td>${cell(i, c)}</td>`).join("")
      }</tr>`
    ).join("");
    const html = `<table><thead><tr><th>ts</th>${
      names.map((c) => `<th>${escapeHtml(c)}</th>`).join("")
    }</tr></thead><tbody>${body}</tbody></table><p>${this.length} rows × ${names.length + 1} columns</p>`;
    return { "text/html": html, "text/plain": `Frame(${this.length} rows; ${["ts", ...names].join(", ")})` };
  }
}

function toFloat64(values: ArrayLike<number | bigint>): Float64Array {
  if (values instanceof Float64Array) return values;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  return out;
}

function typeName(v: unknown): string {
  return v === null ? "null" : typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v;
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(8).replace(/\.?0+$/, "");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
