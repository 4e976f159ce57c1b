import assert from "node:assert/strict";
import { calmar } from "./calmar.ts";
import { assertClose, EMPYRICAL } from "./_testdata.ts";

// Expected values: empyrical test_stats.py `test_calmar`.
Deno.test("calmar matches empyrical's published values", () => {
  assertClose(calmar(EMPYRICAL.mixed, { periodsPerYear: 252 }), 19.135925373194233);
  assertClose(calmar(EMPYRICAL.mixed, { periodsPerYear: 52 }), 2.4690830513998208);
  assertClose(calmar(EMPYRICAL.mixed, { periodsPerYear: 12 }), 0.52242061386048144);
  assert.ok(Number.isNaN(calmar(EMPYRICAL.empty, { periodsPerYear: 252 })));
  assert.ok(Number.isNaN(calmar(EMPYRICAL.one, { periodsPerYear: 252 })));
  // no drawdown: undefined
  assert.ok(Number.isNaN(calmar(EMPYRICAL.positive, { periodsPerYear: 252 })));
});
