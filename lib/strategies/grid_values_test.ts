import assert from "node:assert/strict";
import { z } from "zod";
import { defineStrategy } from "./define_strategy.ts";
import { gridValues } from "./grid_values.ts";
import { type ParamField, paramFields } from "./param_fields.ts";
import { kitchenSink } from "./_fixtures_test_strategy.ts";

const stringParam = defineStrategy({
  name: "string_param_test",
  title: "String param test",
  description: "Free-text params; never trades.",
  params: z.object({
    personas: z.string().regex(/^[a-z_]+(,[a-z_]+)*$/).default("trend_follower"),
    note: z.string().max(8).default(""),
  }),
  warmup: () => 0,
  signals: (frame) => ({ kind: "signals", entries: new Uint8Array(frame.length), exits: new Uint8Array(frame.length) }),
});
const [personas, note] = paramFields(stringParam) as [ParamField, ParamField];

Deno.test("gridValues: a string param's text values are separated by |, commas stay in a value", () => {
  assert.deepEqual(gridValues("string_param_test", personas, "a,b | c,d|a,b").values, ["a,b", "c,d"]);
  assert.deepEqual(gridValues("string_param_test", personas, "trend_follower").values, ["trend_follower"]);
  // ".." is text, not a range, for a string param
  assert.deepEqual(gridValues("string_param_test", note, "1..5|x").values, ["1..5", "x"]);
  assert.deepEqual(gridValues("string_param_test", personas, ["a,b", "c"]).values, ["a,b", "c"]);
});

Deno.test("gridValues: a string param's values are checked against its pattern and length", () => {
  assert.deepEqual(gridValues("string_param_test", personas, "a,b|A;B").problems, [
    'string_param_test personas must be text matching /^[a-z_]+(,[a-z_]+)*$/; got the text "A;B"',
  ]);
  assert.match(gridValues("string_param_test", note, "much too long").problems[0]!, /of at most 8 characters/);
  assert.match(gridValues("string_param_test", personas, [5]).problems[0]!, /must be text .*; got 5/);
  assert.match(gridValues("string_param_test", personas, " | ").problems[0]!, /no values: give values separated by \|/);
});

Deno.test("gridValues: other params still split on commas and read ranges", () => {
  const side = paramFields(kitchenSink).find((f) => f.name === "side")!;
  assert.deepEqual(gridValues("kitchen_sink", side, "long,short").values, ["long", "short"]);
  const period = paramFields(kitchenSink).find((f) => f.name === "period")!;
  assert.deepEqual(gridValues("kitchen_sink", period, "2..6:2").values, [2, 4, 6]);
});
