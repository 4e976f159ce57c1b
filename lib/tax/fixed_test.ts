import assert from "node:assert/strict";
import {
  CENTS_DP,
  divRoundHalfEven,
  fixed,
  formatFixed,
  formatQty,
  MONEY_DP,
  mulDiv,
  numberToFixed,
  parseFixed,
  QTY_DP,
  rescale,
} from "./fixed.ts";

Deno.test("parseFixed reads plain, signed, exponent and JS number texts exactly", () => {
  assert.equal(parseFixed("12.5", 2), 1250n);
  assert.equal(parseFixed("-0.001", 3), -1n);
  assert.equal(parseFixed("+7", 0), 7n);
  assert.equal(parseFixed(".5", 1), 5n);
  assert.equal(parseFixed("5.", 1), 50n);
  assert.equal(parseFixed("1e-8", QTY_DP), 10_000_000_000n);
  assert.equal(parseFixed("1.5E3", 0), 1500n);
  assert.equal(parseFixed(" 0042.10 ", 2), 4210n);
  assert.equal(parseFixed(String(1e21), 0), 10n ** 21n);
  // An ETH amount in wei keeps all 18 decimals.
  assert.equal(parseFixed("0.123456789012345678", QTY_DP), 123456789012345678n);
});

Deno.test("parseFixed rounds extra digits half to even", () => {
  assert.equal(parseFixed("0.125", 2), 12n); // tie, 2 is even
  assert.equal(parseFixed("0.135", 2), 14n); // tie, 3 is odd
  assert.equal(parseFixed("0.1251", 2), 13n); // above the tie
  assert.equal(parseFixed("-0.125", 2), -12n);
  assert.equal(parseFixed("-0.135", 2), -14n);
  assert.equal(parseFixed("2.5", 0), 2n);
  assert.equal(parseFixed("3.5", 0), 4n);
});

Deno.test("parseFixed names the text and the fix when it is not a number", () => {
  for (const bad of ["", "abc", "1,5", "1.2.3", "--1", "e5", ".", "NaN", "Infinity", "0x10"]) {
    assert.throws(() => parseFixed(bad, 2, "qty"), (e: Error) => {
      assert.ok(e instanceof RangeError);
      assert.equal(e.message, `qty ${JSON.stringify(bad)} is not a decimal number; write it like 12.5 or 0.001`);
      return true;
    });
  }
});

Deno.test("formatFixed and formatQty print every decimal without an exponent", () => {
  assert.equal(formatFixed(1250n, 2), "12.50");
  assert.equal(formatFixed(-1n, 3), "-0.001");
  assert.equal(formatFixed(0n, 2), "0.00");
  assert.equal(formatFixed(42n, 0), "42");
  assert.equal(formatQty(parseFixed("0.5", QTY_DP)), "0.5");
  assert.equal(formatQty(parseFixed("2", QTY_DP)), "2");
  assert.equal(formatQty(parseFixed("0.00000001", QTY_DP)), "0.00000001");
  assert.equal(formatQty(0n), "0");
});

Deno.test("numberToFixed goes through the shortest round-trip text, so 0.1 + 0.2 is 0.30000000000000004", () => {
  assert.equal(numberToFixed(0.1, 1), 1n);
  assert.equal(numberToFixed(0.1 + 0.2, 17), 30000000000000004n);
  assert.equal(numberToFixed(0.00075, QTY_DP), 750_000_000_000_000n);
  assert.equal(numberToFixed(1e-7, 8), 10n);
  assert.throws(() => numberToFixed(NaN, 2, "fee"), /fee NaN is not a finite number/);
  assert.throws(() => numberToFixed(Infinity, 2), /amount Infinity is not a finite number/);
});

Deno.test("mulDiv, rescale and divRoundHalfEven round half to even in both signs", () => {
  assert.equal(divRoundHalfEven(5n, 2n), 2n);
  assert.equal(divRoundHalfEven(7n, 2n), 4n);
  assert.equal(divRoundHalfEven(-5n, 2n), -2n);
  assert.equal(divRoundHalfEven(-7n, 2n), -4n);
  assert.equal(divRoundHalfEven(5n, -2n), -2n);
  assert.equal(divRoundHalfEven(10n, 3n), 3n);
  assert.equal(divRoundHalfEven(11n, 3n), 4n);
  assert.throws(() => divRoundHalfEven(1n, 0n), /division by zero/);
  // A third of 100.00 of basis: 33.333333333333 at the money scale.
  assert.equal(
    formatFixed(mulDiv(fixed(100, MONEY_DP), fixed(1, QTY_DP), fixed(3, QTY_DP)), MONEY_DP),
    "33.333333333333",
  );
  assert.equal(rescale(parseFixed("1.005", MONEY_DP), MONEY_DP, CENTS_DP), 100n);
  assert.equal(rescale(parseFixed("1.015", MONEY_DP), MONEY_DP, CENTS_DP), 102n);
  assert.equal(rescale(parseFixed("-1.015", MONEY_DP), MONEY_DP, CENTS_DP), -102n);
  assert.equal(rescale(123n, 2, 4), 12300n);
});

Deno.test("divRoundHalfEven agrees with exact rational rounding on random operands", () => {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647);
  for (let i = 0; i < 20_000; i++) {
    const n = BigInt(rnd() - 1073741823) * BigInt(rnd());
    const d = BigInt((rnd() % 1000) + 1) * (rnd() % 2 === 0 ? 1n : -1n);
    const q = divRoundHalfEven(n, d);
    // |n/d - q| <= 1/2, and on a tie q is even: checked as |2n - 2qd| <= |d|.
    const err = 2n * n - 2n * q * d;
    const ad = d < 0n ? -d : d;
    const aerr = err < 0n ? -err : err;
    assert.ok(aerr <= ad, `${n}/${d} -> ${q}`);
    if (aerr === ad) assert.equal(q % 2n, 0n, `tie ${n}/${d} -> ${q}`);
  }
});
