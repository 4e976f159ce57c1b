import assert from "node:assert/strict";
import { HttpError, type Issue } from "./_errors.ts";
import { z } from "zod";
import { gridValues, paramTypeIssues, ParamValueSchema, parseGrid, typedFormValue } from "./_params.ts";
import { defineStrategy, paramFields, registry } from "../strategies/mod.ts";

const sma = registry.get("sma_cross");
const [fast] = paramFields(sma);

Deno.test("gridValues: ranges and lists, typed and checked against the field", () => {
  const issues: Issue[] = [];
  assert.deepEqual(gridValues("sma_cross", fast!, "5..20:5", issues), [5, 10, 15, 20]);
  assert.deepEqual(gridValues("sma_cross", fast!, "5, 10,10", issues), [5, 10]);
  assert.deepEqual(gridValues("sma_cross", fast!, [3, 4], issues), [3, 4]);
  assert.deepEqual(issues, []);
  for (
    const [spec, re] of [
      ["10..1:-1", /a <= b and step > 0/],
      ["10..1", /a <= b/],
      ["a..b", /with numbers/],
      ["5,x", /integer.*the text "x"/],
      ["0..10:5", />= 1 and <= 10000; got 0/],
      ["2.5", /integer/],
    ] as const
  ) {
    const found: Issue[] = [];
    assert.deepEqual(gridValues("sma_cross", fast!, spec, found), [], spec);
    assert.match(found[0]?.message ?? "", re, spec);
    assert.deepEqual(found[0]?.path, ["grid", "fast"]);
  }
  const typed: Issue[] = [];
  gridValues("sma_cross", fast!, ["5", 10] as never, typed);
  assert.match(typed[0]!.message, /JSON number, no quotes/);
});

Deno.test("parseGrid: every problem at once, as a 400", () => {
  assert.throws(
    () => parseGrid(sma, { fats: "1..3", fast: "a..b", slow: "1..1000:1" }),
    (e: HttpError) =>
      e.status === 400 && e.issues.some((i) => i.path.join(".") === "grid.fats") &&
      e.issues.some((i) => i.path.join(".") === "grid.fast"),
  );
  assert.deepEqual(parseGrid(sma, { fast: "", slow: [30] }), { slow: [30] });
});

Deno.test("paramTypeIssues and typedFormValue: JSON types for the API, form text converted by field", () => {
  assert.deepEqual(paramTypeIssues(sma, { fast: 10, slow: 30 }), []);
  assert.deepEqual(paramTypeIssues(sma, { fast: "10" }).map((i) => i.path), [["params", "fast"]]);
  assert.equal(typedFormValue(fast, " 10 "), 10);
  assert.equal(typedFormValue(fast, "0x10"), "0x10");
  assert.equal(typedFormValue(undefined, "x"), "x");
});

const stringParam = defineStrategy({
  name: "string_param_test",
  title: "String param test",
  description: "A free-text param; never trades.",
  params: z.object({ personas: z.string().regex(/^[a-z_]+(,[a-z_]+)*$/).default("trend_follower") }),
  warmup: () => 0,
  signals: (frame) => ({ kind: "signals", entries: new Uint8Array(frame.length), exits: new Uint8Array(frame.length) }),
});

Deno.test("string params: text from forms and JSON, | between grid values, pattern checked", () => {
  const [personas] = paramFields(stringParam);
  assert.equal(typedFormValue(personas, " a,b "), "a,b");
  assert.deepEqual(paramTypeIssues(stringParam, { personas: "a,b" }), []);
  assert.match(paramTypeIssues(stringParam, { personas: 5 })[0]!.message, /personas must be text matching/);
  assert.deepEqual(parseGrid(stringParam, { personas: "a,b|c" }), { personas: ["a,b", "c"] });
  assert.throws(
    () => parseGrid(stringParam, { personas: "a,b|C!" }),
    (e: HttpError) =>
      e.status === 400 && e.issues[0]!.path.join(".") === "grid.personas" &&
      /must be text matching .*; got the text "C!"/.test(e.issues[0]!.message),
  );
  assert.equal(ParamValueSchema.safeParse("x".repeat(300)).success, true);
});
