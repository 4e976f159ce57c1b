import assert from "node:assert/strict";
import type { ParamField } from "../strategies/mod.ts";
import { randomSource } from "./_sweep_combos.ts";

Deno.test("randomSource: a string param keeps its default (it has no range to draw from)", () => {
  const fields: ParamField[] = [
    { name: "every", type: "int", default: 5, min: 1, max: 10, step: 1, description: "" },
    { name: "personas", type: "string", default: "a,b", pattern: "^[a-z,]+$", description: "" },
  ];
  const source = randomSource(fields, 20, 7);
  for (let i = 0; i < source.size; i++) {
    const combo = source.at(i);
    assert.equal(combo.personas, "a,b");
    assert.ok(Number.isInteger(combo.every) && (combo.every as number) >= 1 && (combo.every as number) <= 10);
  }
});
