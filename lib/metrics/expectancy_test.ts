import assert from "node:assert/strict";
import { assertClose, TRADES } from "./_testdata.ts";
import { expectancy } from "./expectancy.ts";

Deno.test("expectancy: mean P&L per closed trade", () => {
  assertClose(expectancy(TRADES), 20 / 6, 1e-12); // (10 - 5 + 20 + 0 - 10 + 5) / 6
  // = win rate x mean win - loss share x mean |loss|: 0.5 * 35/3 - (2/6) * 7.5 = 5.8333 - 2.5
  assertClose(expectancy(TRADES), 0.5 * (35 / 3) - (2 / 6) * 7.5, 1e-12);
  assert.ok(Number.isNaN(expectancy([])));
});
