// Private helpers shared by the figures: input coercion and validation, formatting, decimated series.
import { decimate } from "./decimate.ts";

const MS_PER_DAY = 86_400_000;

/** Coerces a numeric array input to Float64Array (no copy when it already is one). */
export function toF64(name: string, values: ArrayLike<number> | undefined): Float64Array {
  if (values instanceof Float64Array) return values;
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new TypeError(`${name} must be a Float64Array or an array of numbers, got ${describe(values)}`);
  }
  return Float64Array.from(values);
}

/** Throws a RangeError when two aligned columns differ in length. */
export function assertSameLength(nameA: string, a: ArrayLike<unknown>, nameB: string, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) {
    throw new RangeError(`${nameB} has ${b.length} values but ${nameA} has ${a.length}: they must be aligned`);
  }
}

/** Throws a TypeError unless `x` is a finite number. */
export function assertFinite(name: string, x: unknown): asserts x is number {
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new TypeError(`${name} must be a finite number, got ${describe(x)}`);
  }
}

/** Describes a value for an error message. */
export function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === "object") return x.constructor?.name ?? "object";
  if (typeof x === "string") return JSON.stringify(x);
  return String(x);
}

/** `src[idx[k]]` for every k. */
export function gather(src: Float64Array, idx: Uint32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = src[idx[k]!]!;
  return out;
}

/** Min and max of the finite values (NaN, NaN when there are none). */
export function finiteExtent(values: Float64Array): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

/** Index of the first finite value, or -1. */
export function firstFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) return i;
  return -1;
}

/** Index of the last finite value, or -1. */
export function lastFinite(values: Float64Array): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return i;
  return -1;
}

/** A series prepared for drawing: decimated to at most about 4 points per pixel column. */
export interface DrawSeries {
  x: Float64Array;
  y: Float64Array;
}

/**
 * Decimates `(ts, y)` to `buckets` pixel columns for drawing. Series short enough to draw
 * whole are passed through unchanged.
 */
export function drawSeries(ts: Float64Array, y: Float64Array, buckets: number): DrawSeries {
  if (ts.length <= 4 * buckets) return { x: ts, y };
  const idx = decimate(ts, y, { buckets });
  return { x: gather(ts, idx), y: gather(y, idx) };
}

/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** `-` as a typographic minus, as Plot's own tick labels use. */
function minus(s: string): string {
  return s.replace("-", "\u2212");
}

/** Formats a fraction as a percentage: 0.1234 -> "12.3%". */
export function formatPercent(v: number, digits = 1, signed = false): string {
  if (!Number.isFinite(v)) return "n/a";
  const s = (v * 100).toFixed(digits);
  // A value that rounds to zero gets no sign: "−0.0%" and "+0.0%" read as a loss and a gain.
  if (Number(s) === 0) return `${(0).toFixed(digits)}%`;
  return minus(signed && v > 0 ? `+${s}` : s) + "%";
}

/**
 * A percent tick formatter with just enough decimals for ticks about `span / 8` apart, so
 * small ranges (intraday returns) do not show repeated "0%" labels.
 */
export function percentTickFormat(span: number): (v: number) => string {
  const step = Number.isFinite(span) && span > 0 ? span / 8 : 0.01;
  const digits = Math.max(0, Math.min(4, Math.ceil(-Math.log10(step * 100))));
  return (v: number) => formatPercent(v, digits);
}

/** Formats a number with about 3 significant digits for labels. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return "n/a";
  const a = Math.abs(v);
  const s = a >= 1000
    ? v.toLocaleString("en-US", { maximumFractionDigits: 0 })
    : a >= 1 || a === 0
    ? v.toFixed(2)
    : v.toPrecision(3);
  return minus(s);
}

/** Formats epoch ms as an ISO date (or date and minutes when not at midnight UTC). */
export function formatDate(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  const iso = new Date(ms).toISOString();
  return ms % MS_PER_DAY === 0 ? iso.slice(0, 10) : iso.slice(0, 16).replace("T", " ");
}

/**
 * A fixed-decimals formatter sized to the largest magnitude, so a column of values (or a
 * legend's ticks) share one precision: 0.05 and -1.15 both with 2 decimals.
 */
export function fixedFormat(maxAbs: number): (v: number) => string {
  const digits = !(maxAbs > 0) ? 2 : maxAbs >= 1000 ? 0 : maxAbs >= 100 ? 0 : maxAbs >= 10 ? 1 : maxAbs >= 0.1 ? 2 : 4;
  return (v: number) => {
    if (!Number.isFinite(v)) return "n/a";
    const s = digits === 0 ? v.toLocaleString("en-US", { maximumFractionDigits: 0 }) : v.toFixed(digits);
    // "-0.00" reads as a loss; show a plain zero.
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : minus(s);
  };
}
