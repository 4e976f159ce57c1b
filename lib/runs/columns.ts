import type { Table } from "apache-arrow";

/**
 * One column of a result table: numbers (`Float64Array`, NaN allowed), 64-bit integers
 * (`BigInt64Array`, epoch ms times), 32-bit integers, or text (`null` for missing).
 */
export type Column = Float64Array | BigInt64Array | Int32Array | readonly (string | null)[];

/** Named columns of equal length, in order: what the registry writes as Parquet or CSV. */
export type Columns = Record<string, Column>;

/**
 * Converts an apache-arrow table (an equity curve, a sweep table) into {@link Columns}:
 * Float64/Float32 and other numeric columns become Float64Array (Int64 stays BigInt64Array,
 * Int32 stays Int32Array), Utf8 columns become string arrays, booleans become 0/1. Nulls in
 * numeric columns become NaN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tableFromArrays } from "apache-arrow";
 * import { columnsFromArrow } from "./columns.ts";
 * const t = tableFromArrays({ ts: BigInt64Array.of(1n, 2n), equity: Float64Array.of(100, 101), name: ["a", "b"] });
 * const c = columnsFromArrow(t);
 * assert.ok(c.ts instanceof BigInt64Array);
 * assert.deepEqual([...(c.equity as Float64Array)], [100, 101]);
 * assert.deepEqual(c.name, ["a", "b"]);
 * ```
 */
export function columnsFromArrow(table: Table): Columns {
  const out: Columns = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name);
    if (vector === null) continue;
    const values = vector.toArray() as unknown;
    const n = table.numRows;
    if (values instanceof Float64Array || values instanceof BigInt64Array || values instanceof Int32Array) {
      out[field.name] = vector.nullCount > 0 && values instanceof Float64Array ? withNaN(values, vector) : values;
    } else if (ArrayBuffer.isView(values)) {
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) f[i] = vector.isValid(i) ? Number(vector.get(i)) : NaN;
      out[field.name] = f;
    } else {
      const arr = Array.from(values as ArrayLike<unknown>);
      if (arr.some((v) => typeof v === "boolean")) {
        out[field.name] = Float64Array.from(arr, (v) => v === null || v === undefined ? NaN : v ? 1 : 0);
      } else {
        out[field.name] = arr.map((v) => v === null || v === undefined ? null : String(v));
      }
    }
  }
  return out;
}

function withNaN(values: Float64Array, vector: { isValid(i: number): boolean }): Float64Array {
  const f = values.slice();
  for (let i = 0; i < f.length; i++) if (!vector.isValid(i)) f[i] = NaN;
  return f;
}
