// Typed-array helpers for appends: validate and sort input, drop known timestamps, merge sorted runs.
// Column order everywhere is [ts, open, high, low, close, volume].

import type { Frame } from "../frame/mod.ts";
import { OHLCV } from "../types/mod.ts";

/** Six aligned columns: ts then OHLCV. */
export type Columns = Float64Array[];

/** Input bars sorted by ts with repeated timestamps removed (the first occurrence in input order wins). */
export interface PreparedInput {
  cols: Columns;
  /** Rows dropped because an earlier input row had the same ts. */
  duplicates: number;
}

/** Checks `bars` and returns its columns sorted and unique by ts; no copy when already strictly increasing. */
export function prepareInput(bars: Frame): PreparedInput {
  const missing = OHLCV.filter((c) => !bars.has(c));
  if (missing.length > 0) {
    throw new TypeError(
      `Store.append needs columns ${OHLCV.join(", ")}; the frame lacks ${missing.join(", ")} ` +
        `(it has ${Object.keys(bars.columns).join(", ") || "none"}). Build it with Frame.fromBars or add them.`,
    );
  }
  const ts = bars.ts;
  const n = ts.length;
  const cols: Columns = [ts, ...OHLCV.map((c) => bars.col(c))];
  let sorted = true;
  let prev = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = ts[i]!;
    if (!Number.isSafeInteger(v)) {
      throw new RangeError(`bars.ts[${i}] is ${v}: ts must be an integer epoch-millisecond open time`);
    }
    if (v <= prev) sorted = false;
    prev = v;
  }
  if (sorted) return { cols, duplicates: 0 };
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // Tie-break on the index so the sort is stable and the first occurrence of a ts comes first.
  idx.sort((a, b) => ts[a]! - ts[b]! || a - b);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (m === 0 || ts[idx[i]!] !== ts[idx[m - 1]!]) idx[m++] = idx[i]!;
  }
  return { cols: gather(cols, idx.subarray(0, m)), duplicates: n - m };
}

/** Rows `idx` of every column, as new arrays. */
export function gather(cols: Columns, idx: Uint32Array): Columns {
  return cols.map((c) => {
    const out = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = c[idx[i]!]!;
    return out;
  });
}

/** Views of rows `[start, end)` of every column. */
export function sliceCols(cols: Columns, start: number, end: number): Columns {
  return cols.map((c) => c.subarray(start, end));
}

/**
 * Indices (into `ts[start..end)`, absolute) of rows whose ts is not in `existing`; both sorted ascending.
 */
export function missingFrom(ts: Float64Array, start: number, end: number, existing: Float64Array): Uint32Array {
  const out = new Uint32Array(end - start);
  let m = 0, j = 0;
  for (let i = start; i < end; i++) {
    const v = ts[i]!;
    while (j < existing.length && existing[j]! < v) j++;
    if (j >= existing.length || existing[j] !== v) out[m++] = i;
  }
  return out.subarray(0, m);
}

/** How input rows inside a stored range compare with the stored bars at the same ts. */
export interface StoredComparison {
  /** Input row indices (absolute) whose ts is not stored. */
  fresh: Uint32Array;
  /** Input row indices (absolute) whose ts is stored with a different value in some column. */
  differ: Uint32Array;
  /** Index into `stored` of the bar matching `differ[0]` (-1 when nothing differs). */
  firstStored: number;
}

/**
 * Compares input rows `[start, end)` of `cols` with `stored` (both sorted by ts, unique): rows whose ts is
 * not stored are `fresh`; rows whose ts is stored with a different open, high, low, close or volume are
 * `differ`. Equality is bit-exact except that every NaN equals every NaN (so 0 and -0 differ).
 */
export function compareWithStored(cols: Columns, start: number, end: number, stored: Columns): StoredComparison {
  const ts = cols[0]!, sts = stored[0]!;
  const fresh = new Uint32Array(end - start);
  const differ = new Uint32Array(end - start);
  let nf = 0, nd = 0, j = 0, firstStored = -1;
  for (let i = start; i < end; i++) {
    const v = ts[i]!;
    while (j < sts.length && sts[j]! < v) j++;
    if (j >= sts.length || sts[j] !== v) {
      fresh[nf++] = i;
      continue;
    }
    for (let c = 1; c < 6; c++) {
      const a = cols[c]![i]!, b = stored[c]![j]!;
      if (a === b ? a === 0 && 1 / a !== 1 / b : a === a || b === b) {
        if (nd === 0) firstStored = j;
        differ[nd++] = i;
        break;
      }
    }
  }
  return { fresh: fresh.subarray(0, nf), differ: differ.subarray(0, nd), firstStored };
}

/** Overwrites, in place, the rows of `target` whose ts equals input rows `idx` of `cols` (all must exist). */
export function overwriteRows(target: Columns, cols: Columns, idx: Uint32Array): void {
  const tts = target[0]!, ts = cols[0]!;
  let j = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    while (j < tts.length && tts[j]! < ts[i]!) j++;
    if (tts[j] !== ts[i]) throw new Error(`Internal: ts ${ts[i]} is not in the part being rewritten`);
    for (let c = 1; c < 6; c++) target[c]![j] = cols[c]![i]!;
  }
}

/** Merges two sorted column sets whose timestamps are disjoint. */
export function mergeDisjoint(a: Columns, b: Columns): Columns {
  const na = a[0]!.length, nb = b[0]!.length;
  const out: Columns = a.map(() => new Float64Array(na + nb));
  const at = a[0]!, bt = b[0]!;
  let i = 0, j = 0, k = 0;
  while (i < na || j < nb) {
    const fromA = j >= nb || (i < na && at[i]! < bt[j]!);
    const src = fromA ? a : b;
    const r = fromA ? i++ : j++;
    for (let c = 0; c < out.length; c++) out[c]![k] = src[c]![r]!;
    k++;
  }
  return out;
}

/** Concatenates column sets in order. */
export function concatCols(parts: Columns[]): Columns {
  const total = parts.reduce((s, p) => s + p[0]!.length, 0);
  const out: Columns = Array.from({ length: 6 }, () => new Float64Array(total));
  let off = 0;
  for (const p of parts) {
    for (let c = 0; c < 6; c++) out[c]!.set(p[c]!, off);
    off += p[0]!.length;
  }
  return out;
}

/** Index of the first element `>= x` in a sorted array. */
export function lowerBound(a: Float64Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
