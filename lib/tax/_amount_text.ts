// Amount cells of exports: a plain decimal, or with a leading currency sign and thousands commas ("$1,234.50").
import { parseFixed } from "./fixed.ts";

const GROUPED = /^\d{1,3}(,\d{3})+(\.\d*)?$/;

/**
 * `text` at scale `dp`. A leading `$`, `€` or `£` is dropped, and commas only when they group thousands
 * (`1,234.5`): `1,5` stays an error, never 15 nor 1.5. Throws a RangeError naming `what`.
 */
export function parseAmountText(text: string, dp: number, what: string): bigint {
  let t = text.trim();
  const c = t.charCodeAt(0);
  // The common case, a plain decimal, skips the export clean-up below.
  if (c >= 48 && c <= 57 && !t.includes(",")) return parseFixed(t, dp, what);
  let sign = "";
  if (t.startsWith("-") || t.startsWith("+")) {
    sign = t[0]!;
    t = t.slice(1).trim();
  }
  if (/^[$€£]/.test(t)) t = t.slice(1).trim();
  if (GROUPED.test(t)) t = t.replaceAll(",", "");
  try {
    return parseFixed(sign + t, dp, what);
  } catch {
    throw new RangeError(`${what} ${JSON.stringify(text)} is not a decimal number; write it like 12.5 or 0.001`);
  }
}
