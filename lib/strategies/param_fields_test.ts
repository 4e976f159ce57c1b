import assert from "node:assert/strict";
import { z } from "zod";
import { builtinStrategies } from "./builtin_strategies.ts";
import { paramFields } from "./param_fields.ts";
import { bollingerBreakout } from "./bollinger_breakout.ts";
import { rsiReversion } from "./rsi_reversion.ts";
import { smaCross } from "./sma_cross.ts";
import { kitchenSink } from "./_fixtures_test_strategy.ts";
import { defineStrategy } from "./define_strategy.ts";
import type { Strategy } from "./strategy.ts";

Deno.test("paramFields: describes sma_cross for a form", () => {
  assert.deepEqual(paramFields(smaCross), [
    {
      name: "fast",
      type: "int",
      default: 10,
      min: 1,
      max: 10_000,
      step: 1,
      description: "Bars in the fast simple moving average",
    },
    {
      name: "slow",
      type: "int",
      default: 30,
      min: 2,
      max: 10_000,
      step: 1,
      description: "Bars in the slow simple moving average",
    },
  ]);
});

Deno.test("paramFields: floats with step hints, enums, booleans, exclusive and open bounds", () => {
  assert.deepEqual(paramFields(bollingerBreakout)[1], {
    name: "k",
    type: "float",
    default: 2,
    min: 0.1,
    max: 10,
    step: 0.1,
    description: "Band width in (population) standard deviations",
  });
  assert.deepEqual(paramFields(rsiReversion)[3]?.options, ["opposite", "midline"]);
  assert.deepEqual(paramFields(kitchenSink), [
    { name: "period", type: "int", default: 5, min: 2, step: 1, description: "Bars" },
    {
      name: "ratio",
      type: "float",
      default: 0.5,
      min: 0,
      minExclusive: true,
      max: 1,
      maxExclusive: true,
      step: 0.05,
      description: "A fraction",
    },
    { name: "scale", type: "float", default: 1, description: "" },
    { name: "invert", type: "bool", default: false, description: "" },
    { name: "side", type: "enum", default: "long", options: ["long", "short"], description: "" },
  ]);
});

Deno.test("paramFields: every built-in field has a default inside its range and a description", () => {
  for (const s of builtinStrategies) {
    for (const f of paramFields(s)) {
      assert.ok(f.description.length > 0, `${s.name}.${f.name} needs a description`);
      if (typeof f.default === "number") {
        if (f.min !== undefined) assert.ok(f.default >= f.min, `${s.name}.${f.name}`);
        if (f.max !== undefined) assert.ok(f.default <= f.max, `${s.name}.${f.name}`);
      }
    }
  }
});

Deno.test("paramFields: unsupported schemas are refused with the field named", () => {
  const fake = (params: z.ZodType): Strategy<unknown> => ({
    name: "bad",
    title: "Bad",
    description: "Bad.",
    params,
    warmup: () => 0,
    signals: () => ({ kind: "signals", entries: new Uint8Array(), exits: new Uint8Array() }),
  });
  assert.throws(() => paramFields(fake(z.number())), /params must be a z\.object/);
  assert.throws(() => paramFields(fake(z.object({ n: z.number() }))), /param "n" has no default/);
  assert.throws(
    () => paramFields(fake(z.object({ d: z.array(z.number()).default([]) }))),
    /param "d": type "array" is not supported; use .*z\.string\(\)/,
  );
  assert.throws(
    () => paramFields(fake(z.object({ s: z.string().regex(/^a/).regex(/b$/).default("ab") }))),
    /param "s" has several \.regex\(\) checks; combine them into one regex/,
  );
  assert.throws(
    () => paramFields(fake(z.object({ s: z.string().regex(/^[a-z]+$/i).default("ab") }))),
    /param "s": its regex \/\^\[a-z\]\+\$\/i has flags.*write it without flags/,
  );
});

Deno.test("paramFields: a string param carries its default, pattern, lengths and description", () => {
  const agent = defineStrategy({
    name: "string_param_test",
    title: "String param test",
    description: "A free-text param; never trades.",
    params: z.object({
      personas: z.string().regex(/^[a-z_]+(,[a-z_]+)*$/).min(1).max(200).default("trend_follower,risk_officer")
        .describe("Persona names, comma-separated"),
      note: z.string().default(""),
    }),
    warmup: () => 0,
    signals: (frame) => ({
      kind: "signals",
      entries: new Uint8Array(frame.length),
      exits: new Uint8Array(frame.length),
    }),
  });
  assert.deepEqual(paramFields(agent), [
    {
      name: "personas",
      type: "string",
      default: "trend_follower,risk_officer",
      pattern: "^[a-z_]+(,[a-z_]+)*$",
      minLength: 1,
      maxLength: 200,
      description: "Persona names, comma-separated",
    },
    { name: "note", type: "string", default: "", description: "" },
  ]);
});
