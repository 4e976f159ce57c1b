// One minus sign in every displayed number: the stats (formatStat), the lab's helpers (fmtNum,
// fmtPct) and the report's percentage-point differences (ppText) all use U+2212 and no signed zero.
import assert from "node:assert/strict";
import { fmtNum, fmtPct } from "../lib/http/_html.ts";
import { formatStat, MINUS } from "../lib/metrics/mod.ts";
import { ppText } from "../lib/report/mod.ts";

Deno.test("displayed numbers: one minus sign (U+2212) across stats, lab pages and reports", () => {
  assert.equal(MINUS, "\u2212");
  assert.equal(formatStat("total_return", -0.1234), "\u221212.34%");
  assert.equal(fmtNum(-1234.5), "\u22121,234.5");
  assert.equal(fmtNum(-1234.5678, 0), "\u22121,235");
  assert.equal(fmtNum(-Infinity), "\u2212inf");
  assert.equal(fmtPct(-0.0123), "\u22121.23%");
  assert.equal(fmtPct(0.0123), "+1.23%");
  assert.equal(ppText(-0.0123), "\u22121.23 pp");
  assert.equal(ppText(0.0123), "+1.23 pp");
  for (const text of [fmtNum(-0.001), fmtPct(-0.000001), ppText(-0.000001), formatStat("sharpe", -0.001)]) {
    assert.ok(!/^[-+\u2212]/.test(text), `${text}: a value shown as zero carries no sign`);
  }
  for (const text of [fmtNum(-5), fmtPct(-0.5), ppText(-0.5), formatStat("max_drawdown", -0.5)]) {
    assert.ok(!text.includes("-"), `${text} uses the ASCII hyphen`);
  }
});
