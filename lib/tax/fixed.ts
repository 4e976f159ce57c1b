/**
 * Exact decimal amounts as `bigint` fixed point with an explicit scale, the representation every tax amount uses.
 *
 * Why not a decimal package: TOOLCHAIN-2 §8 measured 1M `cost += price * qty` at 338–350 ms with decimal.js
 * (precision 40) and 412–432 ms with big.js, against 21 ms for `bigint` fixed point, exact in all three. A
 * 1,000,000-fill ledger does several such operations per fill for each lot method, so the 17x matters for the 5 s
 * target; the only rounding here is {@link mulDiv} and {@link rescale}, both half to even, so the code of our own
 * is these few functions.
 *
 * Scales: {@link QTY_DP} (18, enough for any asset's precision, ETH's wei included) for quantities and
 * {@link MONEY_DP} (12) for amounts in the reporting currency while matching; a report rounds each event's
 * amounts to cents ({@link CENTS_DP}), half to even.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixed, formatFixed, MONEY_DP, mulDiv, parseFixed, QTY_DP, rescale } from "./fixed.ts";
 * const qty = parseFixed("0.5", QTY_DP);
 * const price = parseFixed("60000.01", MONEY_DP);
 * const value = mulDiv(qty, price, fixed(1, QTY_DP)); // qty x price at the money scale
 * assert.equal(formatFixed(value, MONEY_DP), "30000.005000000000");
 * assert.equal(formatFixed(rescale(value, MONEY_DP, 2), 2), "30000.00"); // half to even
 * assert.equal(formatFixed(rescale(parseFixed("0.015", MONEY_DP), MONEY_DP, 2), 2), "0.02");
 * assert.equal(parseFixed(String(0.1 + 0.2), 2, "value"), 30n);
 * ```
 * @module
 */

/** Decimal places of a quantity. */
export const QTY_DP = 18;
/** Decimal places of an amount in the reporting currency while lots are matched. */
export const MONEY_DP = 12;
/** Decimal places of a reported amount (cents). */
export const CENTS_DP = 2;

const POW10: bigint[] = [];
for (let i = 0n; i <= 60n; i++) POW10.push(10n ** i);

/** 10^dp as a bigint. */
export function pow10(dp: number): bigint {
  const p = POW10[dp];
  if (p === undefined) throw new RangeError(`scale ${dp} is out of range 0..60`);
  return p;
}

/** The integer `n` at scale `dp` (`fixed(1, 2)` is `100n`). */
export function fixed(n: number | bigint, dp: number): bigint {
  return BigInt(n) * pow10(dp);
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal text (`"12.5"`, `"-0.001"`, `"1e-8"`, or a JS number's shortest round-trip text) at scale `dp`,
 * rounding extra digits half to even. Throws a `RangeError` naming `what` and the text when it is not a number.
 */
export function parseFixed(text: string, dp: number, what = "amount"): bigint {
  const m = DECIMAL.exec(text.trim());
  if (m === null || (m[2] === "" && (m[3] === undefined || m[3] === ""))) {
    throw new RangeError(`${what} ${JSON.stringify(text)} is not a decimal number; write it like 12.5 or 0.001`);
  }
  const sign = m[1] === "-" ? -1n : 1n;
  const intPart = m[2] ?? "";
  const frac = m[3] ?? "";
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  // digits * 10^(exp - frac.length), brought to scale dp.
  const digits = BigInt((intPart + frac).replace(/^0+(?=\d)/, "") || "0");
  const shift = exp - frac.length + dp;
  if (shift >= 0) return sign * digits * pow10(shift);
  return sign * divRoundHalfEven(digits, pow10(-shift));
}

/** `value` (at scale `dp`) as a plain decimal text with exactly `dp` decimals (no exponent). */
export function formatFixed(value: bigint, dp: number): string {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  if (dp === 0) return (neg ? "-" : "") + abs.toString();
  const s = abs.toString().padStart(dp + 1, "0");
  return (neg ? "-" : "") + s.slice(0, s.length - dp) + "." + s.slice(s.length - dp);
}

/** Like {@link formatFixed} without trailing zeros (`"0.5"`, `"2"`): how a quantity is shown. */
export function formatQty(value: bigint, dp: number = QTY_DP): string {
  const s = formatFixed(value, dp);
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** A finite JS number at scale `dp`, through its shortest round-trip decimal text (0.1 is exactly 0.1). */
export function numberToFixed(x: number, dp: number, what = "amount"): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`${what} ${x} is not a finite number`);
  return parseFixed(String(x), dp, what);
}

/** `a * b / c`, rounded half to even (exact when it divides). `c` must not be 0. */
export function mulDiv(a: bigint, b: bigint, c: bigint): bigint {
  return divRoundHalfEven(a * b, c);
}

/** `value` at scale `from` brought to scale `to`, rounded half to even when decimals are dropped. */
export function rescale(value: bigint, from: number, to: number): bigint {
  if (to >= from) return value * pow10(to - from);
  return divRoundHalfEven(value, pow10(from - to));
}

/** `n / d` rounded to the nearest integer, ties to even. */
export function divRoundHalfEven(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError("division by zero");
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  let q = n / d; // truncates toward zero
  const r = n - q * d;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice > d || (twice === d && (q & 1n) !== 0n)) q += r < 0n ? -1n : 1n;
  return q;
}
