import assert from "node:assert/strict";
import { assertClose, EMPYRICAL } from "./_testdata.ts";
import { psr } from "./psr.ts";

Deno.test("psr: from returns with sample moments", () => {
  // scipy 1.17.1 on empyrical's mixed returns: SR = mean / std(ddof 1) = 0.10311470414829102,
  // skew (bias) -0.3455243970460116, Pearson kurtosis 3.478998649298321, n 9 -> PSR(0) = 0.6124400066044805
  assertClose(psr(EMPYRICAL.mixed), 0.6124400066044805, 1e-10);
  // against SR* = 0.05 per period: 0.5584958835993515
  assertClose(psr(EMPYRICAL.mixed, { benchmarkSharpe: 0.05 }), 0.5584958835993515, 1e-10);
  assert.ok(Number.isNaN(psr(EMPYRICAL.one)));
  assert.ok(Number.isNaN(psr(new Float64Array([0.01, 0.01, 0.01]))));
});

Deno.test("psr: risk-free needs periodsPerYear; a higher rate lowers PSR", () => {
  assert.throws(() => psr(EMPYRICAL.mixed, { riskFree: 0.05 }), TypeError);
  assert.ok(psr(EMPYRICAL.mixed, { riskFree: 0.05, periodsPerYear: 252 }) < psr(EMPYRICAL.mixed));
});
