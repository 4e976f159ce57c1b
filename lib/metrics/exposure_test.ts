import assert from "node:assert/strict";
import { exposure } from "./exposure.ts";

Deno.test("exposure: share of bars with a non-zero position", () => {
  assert.equal(exposure(new Float64Array([0, 2, -1, 0, 0, 0.5, NaN])), 0.5); // 3 of 6 non-NaN
  assert.equal(exposure(new Float64Array([0, 0])), 0);
  assert.ok(Number.isNaN(exposure(new Float64Array([NaN]))));
});
