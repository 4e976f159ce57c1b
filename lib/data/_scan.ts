import { daysFromCivil, daysInMonth } from "../types/mod.ts";

// Byte-level scanners for the CSV importer. They read ASCII bytes between `s` (inclusive) and `e`
// (exclusive) and return NaN on any syntax error, so the hot loop needs one comparison per field
// and the cold error path re-reads the bytes to explain what was wrong.

/** Exact powers of ten: every one up to 1e22 is representable, which Clinger's fast path needs. */
const POW10 = new Float64Array(23);
for (let i = 0, p = 1; i < 23; i++, p *= 10) POW10[i] = p;

/** Most significant digits a mantissa may hold and stay below 2^53 (10^15 < 2^53 < 10^16). */
const MAX_FAST_DIGITS = 15;

const SPACE = 32, TAB = 9, PLUS = 43, MINUS = 45, DOT = 46, ZERO = 48, LOWER_E = 101, UPPER_E = 69;

/**
 * Parses a decimal literal (`-12`, `0.5`, `.5`, `5.`, `1e-7`, `+3.25E+2`) bit for bit as `Number()` does.
 *
 * Grammar checked here: optional spaces/tabs, optional sign, digits with at most one dot and at
 * least one digit, optional exponent with at least one digit, optional spaces/tabs. Everything else
 * (`NaN`, `Infinity`, `0x10`, empty) returns NaN; the caller treats NaN as an error.
 *
 * Values with at most 15 significant digits and a decimal exponent within ±22 are computed as one
 * IEEE multiplication or division of two exact doubles (Clinger's fast path), which is correctly
 * rounded and therefore equal to `Number()`. Anything else is handed to `Number()` itself on the
 * validated text, so the result is always identical to JavaScript's.
 */
export function parseDecimal(b: Uint8Array, s: number, e: number): number {
  while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
  while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB)) e--;
  let i = s;
  let neg = false;
  if (i < e) {
    const c = b[i]!;
    if (c === MINUS) {
      neg = true;
      i++;
    } else if (c === PLUS) i++;
  }
  let mant = 0, sig = 0, pendingZeros = 0, exp10 = 0, digits = 0;
  while (i < e) {
    const d = b[i]! - ZERO;
    if (d < 0 || d > 9) break;
    digits++;
    if (d === 0) {
      if (mant !== 0) pendingZeros++;
    } else {
      sig += pendingZeros + 1;
      if (sig <= MAX_FAST_DIGITS) mant = mant * POW10[pendingZeros + 1]! + d;
      pendingZeros = 0;
    }
    i++;
  }
  if (i < e && b[i] === DOT) {
    i++;
    while (i < e) {
      const d = b[i]! - ZERO;
      if (d < 0 || d > 9) break;
      digits++;
      exp10--;
      if (d === 0) {
        if (mant !== 0) pendingZeros++;
      } else {
        sig += pendingZeros + 1;
        if (sig <= MAX_FAST_DIGITS) mant = mant * POW10[pendingZeros + 1]! + d;
        pendingZeros = 0;
      }
      i++;
    }
  }
  if (digits === 0) return NaN;
  exp10 += pendingZeros;
  if (i < e && (b[i] === LOWER_E || b[i] === UPPER_E)) {
    i++;
    let expNeg = false;
    if (i < e && (b[i] === MINUS || b[i] === PLUS)) {
      expNeg = b[i] === MINUS;
      i++;
    }
    let x = 0, expDigits = 0;
    while (i < e) {
      const d = b[i]! - ZERO;
      if (d < 0 || d > 9) break;
      if (x < 100_000) x = x * 10 + d;
      expDigits++;
      i++;
    }
    if (expDigits === 0) return NaN;
    exp10 += expNeg ? -x : x;
  }
  if (i !== e) return NaN;
  if (mant === 0 && sig === 0) return neg ? -0 : 0;
  if (sig <= MAX_FAST_DIGITS) {
    if (exp10 === 0) return neg ? -mant : mant;
    if (exp10 > 0 && exp10 <= 22) {
      const v = mant * POW10[exp10]!;
      return neg ? -v : v;
    }
    if (exp10 < 0 && exp10 >= -22) {
      const v = mant / POW10[-exp10]!;
      return neg ? -v : v;
    }
  }
  return Number(latin1(b, s, e));
}

/** The bytes `s..e` as a string (ASCII/latin-1); used on cold paths only. */
export function latin1(b: Uint8Array, s: number, e: number): string {
  let out = "";
  for (let i = s; i < e; i += 4096) {
    out += String.fromCharCode.apply(null, b.subarray(i, Math.min(e, i + 4096)) as unknown as number[]);
  }
  return out;
}

/** Reads `n` digits at `i` as an integer, or -1 when any is not a digit or `i + n > e`. */
function fixedDigits(b: Uint8Array, i: number, n: number, e: number): number {
  if (i + n > e) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = b[i + k]! - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Parses an ISO 8601 date or date-time to epoch milliseconds: `YYYY-MM-DD`, then optionally `T`
 * or a space, `HH:MM`, optional `:SS`, optional fraction (digits past milliseconds are dropped),
 * then optionally `Z` or an offset `±HH`, `±HHMM`, `±HH:MM`. A time without zone is UTC.
 * Returns NaN for anything else, including impossible dates such as `2023-02-30`.
 */
export function parseIsoMs(b: Uint8Array, s: number, e: number): number {
  while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
  while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB)) e--;
  const y = fixedDigits(b, s, 4, e);
  if (y < 0 || b[s + 4] !== MINUS) return NaN;
  const mo = fixedDigits(b, s + 5, 2, e);
  if (mo < 1 || mo > 12 || b[s + 7] !== MINUS) return NaN;
  const d = fixedDigits(b, s + 8, 2, e);
  if (d < 1 || d > daysInMonth(y, mo)) return NaN;
  let ms = daysFromCivil(y, mo, d) * 86_400_000;
  let i = s + 10;
  if (i === e) return ms;
  const sep = b[i];
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== SPACE) return NaN;
  i++;
  const hh = fixedDigits(b, i, 2, e);
  if (hh < 0 || hh > 23 || b[i + 2] !== 58 /* : */) return NaN;
  const mi = fixedDigits(b, i + 3, 2, e);
  if (mi < 0 || mi > 59) return NaN;
  ms += hh * 3_600_000 + mi * 60_000;
  i += 5;
  if (i < e && b[i] === 58) {
    const ss = fixedDigits(b, i + 1, 2, e);
    if (ss < 0 || ss > 59) return NaN;
    ms += ss * 1000;
    i += 3;
    if (i < e && (b[i] === DOT || b[i] === 44 /* , */)) {
      i++;
      let frac = 0, n = 0;
      while (i < e) {
        const dd = b[i]! - ZERO;
        if (dd < 0 || dd > 9) break;
        if (n < 3) frac = frac * 10 + dd;
        n++;
        i++;
      }
      if (n === 0) return NaN;
      for (let k = n; k < 3; k++) frac *= 10;
      ms += frac;
    }
  }
  if (i === e) return ms;
  const z = b[i];
  if ((z === 90 /* Z */ || z === 122 /* z */) && i + 1 === e) return ms;
  if (z !== PLUS && z !== MINUS) return NaN;
  const oh = fixedDigits(b, i + 1, 2, e);
  if (oh < 0 || oh > 23) return NaN;
  let om = 0;
  let j = i + 3;
  if (j < e) {
    if (b[j] === 58) j++;
    om = fixedDigits(b, j, 2, e);
    if (om < 0 || om > 59) return NaN;
    j += 2;
  }
  if (j !== e) return NaN;
  const offset = (oh * 60 + om) * 60_000;
  return z === PLUS ? ms - offset : ms + offset;
}

/** Whether the bytes look like the start of an ISO date (`YYYY-`), which decides the time format. */
export function looksIsoDate(b: Uint8Array, s: number, e: number): boolean {
  while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
  return fixedDigits(b, s, 4, e) >= 0 && b[s + 4] === MINUS;
}
