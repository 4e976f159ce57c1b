import assert from "node:assert/strict";
import { turnover } from "./turnover.ts";

Deno.test("turnover: notional over mean equity per year", () => {
  // mean equity (900 + 1000 + 1100) / 3 = 1000; 2 bars = 2 / 12 years; 500 traded -> 0.5 / (1 / 6) = 3
  const v = turnover(new Float64Array([900, 1000, 1100]), { tradedNotional: 500, periodsPerYear: 12 });
  assert.ok(Math.abs(v - 3) < 1e-12);
  assert.equal(turnover(new Float64Array([1, 1]), { tradedNotional: 0, periodsPerYear: 12 }), 0);
  assert.ok(Number.isNaN(turnover(new Float64Array([1]), { tradedNotional: 5, periodsPerYear: 12 })));
  assert.throws(() => turnover(new Float64Array([1, 1]), { tradedNotional: -1, periodsPerYear: 12 }), RangeError);
});
