import assert from "node:assert/strict";
import { assertClose, EMPYRICAL } from "./_testdata.ts";
import { ulcerIndex } from "./ulcer_index.ts";

Deno.test("ulcerIndex: hand-worked", () => {
  // equity 1.1, 0.99, 0.891: drawdowns 0, -0.1, -0.19 -> sqrt((0.01 + 0.0361) / 2)
  assertClose(ulcerIndex(new Float64Array([0.1, -0.1, -0.1])), Math.sqrt(0.0461 / 2), 1e-12);
  assert.equal(ulcerIndex(new Float64Array([0.01, 0.02])), 0);
  assert.ok(Number.isNaN(ulcerIndex(EMPYRICAL.one)));
});

Deno.test("ulcerIndex: quantstats formula on empyrical's mixed returns", () => {
  // numpy 2.4.6: eq = cumprod(1 + r); dd = eq / max.accumulate([1, *eq])[1:] - 1;
  // sqrt(sum(dd ** 2) / (len(r) - 1)) = 0.03878247026686154 (quantstats ulcer_index)
  assertClose(ulcerIndex(EMPYRICAL.mixed), 0.03878247026686154, 1e-12);
});
