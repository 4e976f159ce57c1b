import assert from "node:assert/strict";
import { afterTax } from "../lib/tax/mod.ts";
import type { Trade } from "../lib/types/mod.ts";
import { afterTaxLines, parseAfterTaxFlag } from "./_backtest_after_tax.ts";

Deno.test("parseAfterTaxFlag: rates as fractions or percents, the zone and the carry", () => {
  assert.deepEqual(parseAfterTaxFlag("st=0.37,lt=0.20"), {
    shortRate: 0.37,
    longRate: 0.2,
    timeZone: "America/New_York",
    lossCarryforward: true,
  });
  assert.deepEqual(parseAfterTaxFlag(" lt=20% , st=37%, tz=Europe/Berlin, carry=no"), {
    shortRate: 0.37,
    longRate: 0.2,
    timeZone: "Europe/Berlin",
    lossCarryforward: false,
  });
  assert.equal(parseAfterTaxFlag("st=0,lt=1").longRate, 1);
});

Deno.test("parseAfterTaxFlag: a bad part is one line naming it and the form", () => {
  const form = /write it as st=0\.37,lt=0\.20\[,tz=America\/New_York\]\[,carry=yes\|no\]$/;
  for (
    const [value, why] of [
      ["st=37,lt=0.2", /st=37 is not a rate from 0 to 1 \(0\.37 or 37%\)/],
      ["st=0.3,lt=-1%", /lt=-1% is not a rate/],
      ["st=0.3,lt=", /lt= is not a rate/],
      ["st=0.37", /the long-term rate lt= is missing/],
      ["lt=0.2", /the short-term rate st= is missing/],
      ["st=0.3,lt=0.2,tz=Mars/Base", /tz=Mars\/Base is not a time zone/],
      ["st=0.3,lt=0.2,rate=1", /"rate=1" is not one of st=RATE, lt=RATE, tz=ZONE, carry=yes\|no/],
      ["0.37", /"0\.37" is not one of/],
      ["st=0.3,lt=0.2,st=0.1", /st is given twice/],
      ["st=0.3,lt=0.2,carry=maybe", /carry=maybe is not yes or no/],
    ] as const
  ) {
    assert.throws(() => parseAfterTaxFlag(value), (e: Error) => {
      assert.equal(e.name, "UsageError");
      assert.ok(e.message.startsWith(`--after-tax ${JSON.stringify(value)}: `), e.message);
      assert.match(e.message, why);
      assert.match(e.message, form);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
});

Deno.test("afterTaxLines: the years, the total, the return before and after tax, a carried loss, open trades", () => {
  const t = (exit: string, pnl: number, open = false): Trade => ({
    asset: "X",
    direction: "long",
    entryIndex: 0,
    exitIndex: open ? -1 : 1,
    entryTs: Date.parse("2024-01-02T16:00Z"),
    exitTs: open ? NaN : Date.parse(`${exit}T16:00Z`),
    entryPrice: 1,
    exitPrice: 1,
    size: 1,
    pnl,
    return: 0,
    fees: 0,
    bars: 1,
    durationMs: 0,
    exitReason: open ? "open" : "signal",
  });
  const r = afterTax([t("2024-03-01", 12_345.6), t("2025-06-02", -20_000), t("", 5, true)], {
    shortRate: 0.37,
    longRate: 0.2,
    initialCash: 10_000,
    finalEquity: 2_350.6,
    years: 1.5,
  });
  const text = afterTaxLines(r).join("\n");
  assert.match(text, /short-term 37%, long-term 20%, tax years in America\/New_York/);
  assert.match(text, /^2024 +1 +12,345\.60 +0\.00 +0\.00 +12,345\.60 +4,567\.87$/m);
  assert.match(text, /^2025 +1 +0\.00 +-20,000\.00 +0\.00 +-20,000\.00 +0\.00$/m);
  assert.match(text, /^total +2 +-7,654\.40 +4,567\.87$/m);
  assert.match(text, /after-tax final equity -2,217\.27, total return −122\.17% \(pre-tax −76\.49%\)/);
  assert.match(text, /tax drag 45\.68 pp/);
  assert.match(text, /loss carried forward past the last year: 20,000\.00 \(not used\)/);
  assert.match(text, /1 open trade at the end: unrealized, not taxed/);
  assert.match(
    afterTaxLines(afterTax([], { shortRate: 0, longRate: 0, initialCash: 1, finalEquity: 1 })).join("\n"),
    /no trade closed/,
  );
});
