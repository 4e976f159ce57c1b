import assert from "node:assert/strict";
import { formatStat } from "./format_stat.ts";

Deno.test("formatStat: by registry unit", () => {
  assert.equal(formatStat("total_return", 0.12345), "12.35%");
  assert.equal(formatStat("max_drawdown", -0.2534), "-25.34%");
  assert.equal(formatStat("sharpe", 1.23456), "1.23");
  assert.equal(formatStat("skew", -0.41883), "-0.419");
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
  assert.equal(formatStat("profit_factor", -Infinity), "-inf");
  assert.equal(formatStat("my_metric", 3.14159265), "3.142");
  assert.equal(formatStat("my_metric", NaN), "n/a");
});
