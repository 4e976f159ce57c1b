import assert from "node:assert/strict";
import { maxDrawdownDuration } from "./max_drawdown_duration.ts";

const DAY = 86_400_000;

Deno.test("maxDrawdownDuration: bars and ms, recovered and open episodes", () => {
  // peak at 0, back to 100 at bar 4 (4 bars); peak at 5 (105), still under at bar 8 (3 bars)
  const equity = new Float64Array([100, 90, 80, 95, 100, 105, 100, 101, 104]);
  assert.equal(maxDrawdownDuration(equity), 4);
  // irregular timestamps: a weekend gap inside the first episode makes it 6 days
  const ts = new Float64Array([0, 1, 2, 5, 6, 7, 8, 9, 10].map((d) => d * DAY));
  assert.equal(maxDrawdownDuration(equity, { unit: "ms", ts }), 6 * DAY);
  // the open episode is the longest when it runs to the end
  assert.equal(maxDrawdownDuration(new Float64Array([100, 101, 90, 91, 92, 93])), 4);
});

Deno.test("maxDrawdownDuration: equality recovers, no drawdown, bad options", () => {
  assert.equal(maxDrawdownDuration(new Float64Array([100, 99, 100, 100])), 2);
  assert.equal(maxDrawdownDuration(new Float64Array([1, 2, 3])), 0);
  assert.ok(Number.isNaN(maxDrawdownDuration(new Float64Array(0))));
  assert.throws(() => maxDrawdownDuration(new Float64Array([1, 2]), { unit: "ms" }), TypeError);
  assert.throws(
    () => maxDrawdownDuration(new Float64Array([1, 2]), { unit: "ms", ts: new Float64Array(1) }),
    RangeError,
  );
});
