import { sha256 } from "@noble/hashes/sha2.js";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * A deterministic pseudonym for a symbol (`ASSET_` and four letters from sha256 of `salt` and the symbol), so a
 * prompt names the asset without telling the model which one it is. The same symbol and salt always give the same
 * name; change the salt to draw new names. With 26^4 names, two symbols of one run rarely collide; a caller masking
 * many symbols at once should check its names are distinct.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pseudonymFor } from "./mask.ts";
 * const a = pseudonymFor("BTC/USDT");
 * assert.match(a, /^ASSET_[A-Z]{4}$/);
 * assert.equal(pseudonymFor("BTC/USDT"), a);
 * assert.notEqual(pseudonymFor("BTC/USDT", "other salt"), a);
 * ```
 */
export function pseudonymFor(symbol: string, salt = ""): string {
  if (typeof symbol !== "string" || symbol === "") {
    throw new TypeError(`pseudonymFor: symbol must be a non-empty string, got ${JSON.stringify(symbol)}`);
  }
  const h = sha256(new TextEncoder().encode(`${salt}\u0000${symbol}`));
  let name = "ASSET_";
  for (let i = 0; i < 4; i++) name += LETTERS[h[i]! % 26];
  return name;
}

/**
 * A price as an index: `100 * value / base`, so levels read as "104.2" instead of a price the model could recognise.
 * Price distances (ATR, MACD, band widths) rebase the same way and stay distances on the index scale.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rebase } from "./mask.ts";
 * assert.equal(rebase(43_000, 40_000), 107.5);
 * assert.equal(rebase(800, 40_000), 2); // an ATR of 800 is 2 index points
 * ```
 */
export function rebase(value: number, base: number): number {
  if (!(base > 0) || !Number.isFinite(base)) {
    throw new RangeError(`rebase: the base price must be a finite number > 0, got ${base}; pass the first close shown`);
  }
  return 100 * value / base;
}
