import assert from "node:assert/strict";
import { formatStat } from "./format_stat.ts";
import { MINUS } from "./format_fixed.ts";
import { STATS } from "./stats.ts";

Deno.test("formatStat: by registry unit", () => {
  assert.equal(formatStat("total_return", 0.12345), "12.35%");
  assert.equal(formatStat("max_drawdown", -0.2534), "\u221225.34%");
  assert.equal(formatStat("sharpe", 1.23456), "1.23");
  assert.equal(formatStat("skew", -0.41883), "\u22120.419");
  assert.equal(formatStat("final_equity", 1234567.891), "1,234,567.89");
  assert.equal(formatStat("trades", 1234), "1,234");
  assert.equal(formatStat("max_drawdown_duration", 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000), "3d 4h");
  assert.equal(formatStat("avg_drawdown_duration", 2 * 3_600_000 + 30 * 60_000), "2h 30m");
  assert.equal(formatStat("avg_drawdown_duration", 42_000), "42s");
  assert.equal(formatStat("max_drawdown_duration", 0), "0s");
});

Deno.test("formatStat: NaN, infinities and unknown keys", () => {
  assert.equal(formatStat("sortino", NaN), "n/a");
  assert.equal(formatStat("sortino", Infinity), "inf");
  assert.equal(formatStat("profit_factor", -Infinity), "\u2212inf");
  assert.equal(formatStat("my_metric", 3.14159265), "3.1416");
  assert.equal(formatStat("my_metric", -2.5), "\u22122.5000");
  assert.equal(formatStat("entries", 12345), "12,345");
  assert.equal(formatStat("my_metric", NaN), "n/a");
  assert.equal(formatStat("my_metric", -Infinity), "\u2212inf");
});

Deno.test("formatStat: one minus sign (U+2212) everywhere, none on values shown as zero", () => {
  const values = [-1234.5678, -0.5, -0.0001, -1e-9, -0, 0, 1e-9, 0.5, 1234.5678, 86_400_000, -86_400_000];
  for (const def of STATS) {
    for (const v of values) {
      const text = formatStat(def.key, v);
      assert.ok(!text.includes("-"), `${def.key}(${v}) = ${JSON.stringify(text)} uses an ASCII hyphen`);
      const shownAsZero = !/[1-9]/.test(text);
      if (shownAsZero) assert.ok(!text.startsWith(MINUS), `${def.key}(${v}) = ${text} shows a signed zero`);
      if (v < 0 && !shownAsZero) assert.ok(text.startsWith(MINUS), `${def.key}(${v}) = ${text} lost its sign`);
    }
  }
  assert.equal(formatStat("total_return", -0.00001), "0.00%");
  assert.equal(formatStat("sharpe", -0.004), "0.00");
  assert.equal(formatStat("max_drawdown_duration", -2 * 86_400_000), "\u22122d");
});

Deno.test("formatStat: fixed decimals per unit, so a column of one stat lines up", () => {
  const column = [0.1, -0.02346, 15.5, 0, -3, 0.000049];
  const decimals = (key: string) =>
    column.map((v) => formatStat(key, v).replace(/[^\d.]/g, "").split(".")[1]?.length ?? 0);
  assert.deepEqual(decimals("total_return"), [2, 2, 2, 2, 2, 2]); // percent: 2
  assert.deepEqual(decimals("sharpe"), [2, 2, 2, 2, 2, 2]); // ratio: 2
  assert.deepEqual(decimals("skew"), [3, 3, 3, 3, 3, 3]); // number: 3
  assert.deepEqual(decimals("final_equity"), [2, 2, 2, 2, 2, 2]); // currency: 2
  assert.deepEqual(decimals("trades"), [0, 0, 0, 0, 0, 0]); // count: 0
  assert.deepEqual(column.map((v) => formatStat("total_return", v)), [
    "10.00%",
    "\u22122.35%",
    "1,550.00%",
    "0.00%",
    "\u2212300.00%",
    "0.00%",
  ]);
});
