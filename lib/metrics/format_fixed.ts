/** The minus sign of every displayed number: U+2212, as Observable Plot's tick labels use. */
export const MINUS = "\u2212";

/** Options of {@link formatFixed}. */
export interface FormatFixedOptions {
  /** Prefix `+` on values above zero (differences, gains). Default false. */
  signed?: boolean;
  /** Text after the number, e.g. `"%"` or `" pp"`. Default none. */
  suffix?: string;
  /** Multiply by this before formatting (100 for a fraction shown as percent). Default 1. */
  scale?: number;
}

/**
 * Formats a number for display with exactly `digits` decimals, so a column of values in one unit
 * lines up: thousands separators (en-US), the typographic minus U+2212 ({@link MINUS}) for
 * negatives everywhere (never the ASCII hyphen), and no sign on a value that rounds to zero
 * (`−0.00` and `+0.00` read as a loss and a gain). NaN is `n/a`, infinities are `inf`/`−inf`.
 * The one number formatter behind `formatStat`; use it for other displayed numbers too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatFixed } from "./format_fixed.ts";
 * assert.equal(formatFixed(-0.25341, 2, { scale: 100, suffix: "%" }), "\u221225.34%");
 * assert.equal(formatFixed(1234567.891, 2), "1,234,567.89");
 * assert.equal(formatFixed(1.5, 2), "1.50");
 * assert.equal(formatFixed(-0.0001, 2), "0.00"); // rounds to zero: no sign
 * assert.equal(formatFixed(0.0123, 2, { scale: 100, suffix: " pp", signed: true }), "+1.23 pp");
 * assert.equal(formatFixed(-Infinity, 2), "\u2212inf");
 * ```
 */
export function formatFixed(value: number, digits: number, options: FormatFixedOptions = {}): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new RangeError(`formatFixed: digits must be an integer in 0..20, got ${digits}`);
  }
  const suffix = options.suffix ?? "";
  if (Number.isNaN(value)) return "n/a";
  if (value === Infinity) return `${options.signed ? "+" : ""}inf${suffix}`;
  if (value === -Infinity) return `${MINUS}inf${suffix}`;
  const v = value * (options.scale ?? 1);
  const body = fixedFormatter(digits).format(Math.abs(v));
  // Sign from the rounded text, so a value shown as zero carries none.
  const zero = !/[1-9]/.test(body);
  const sign = zero ? "" : v < 0 ? MINUS : options.signed && v > 0 ? "+" : "";
  return `${sign}${body}${suffix}`;
}

/** One en-US formatter per decimals: `toLocaleString` with options builds a new one per call (~20 µs). */
const FORMATTERS: Intl.NumberFormat[] = [];

function fixedFormatter(digits: number): Intl.NumberFormat {
  return FORMATTERS[digits] ??= new Intl.NumberFormat("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}
