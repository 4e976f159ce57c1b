import assert from "node:assert/strict";
import { z } from "zod";
import { defineStrategy } from "./define_strategy.ts";
import { parseParams } from "./parse_params.ts";
import { ParamError } from "./param_error.ts";
import { smaCross } from "./sma_cross.ts";
import { kitchenSink } from "./_fixtures_test_strategy.ts";

Deno.test("parseParams: coerces CLI strings by field type", () => {
  assert.deepEqual(
    parseParams(kitchenSink, { period: "7", ratio: "0.25", scale: "-3e2", invert: "true", side: "short" }),
    { period: 7, ratio: 0.25, scale: -300, invert: true, side: "short" },
  );
  for (const [raw, value] of [["1", true], ["yes", true], ["ON", true], ["0", false], ["no", false], ["off", false]]) {
    assert.equal(parseParams(kitchenSink, { invert: raw }).invert, value);
  }
  // typed values pass through; undefined means "use the default"
  assert.deepEqual(parseParams(kitchenSink, { period: 9, invert: true, scale: undefined }), {
    period: 9,
    ratio: 0.5,
    scale: 1,
    invert: true,
    side: "long",
  });
});

Deno.test("parseParams: every problem is reported, each naming param, value and range", () => {
  let caught: ParamError | undefined;
  try {
    parseParams(kitchenSink, { period: "1", ratio: "1", invert: "maybe", side: "flat", scale: "" });
  } catch (e) {
    caught = e as ParamError;
  }
  assert.ok(caught instanceof ParamError && caught instanceof RangeError);
  assert.equal(caught.strategy, "kitchen_sink");
  // Coercion failures come first (they stop before schema validation)
  assert.deepEqual(caught.issues, [
    { param: "invert", message: 'kitchen_sink: invert must be true or false (got "maybe")' },
    { param: "scale", message: 'kitchen_sink: scale must be a finite number (got "")' },
  ]);
  let second: ParamError | undefined;
  try {
    parseParams(kitchenSink, { period: "1", ratio: "1", side: "flat" });
  } catch (e) {
    second = e as ParamError;
  }
  assert.deepEqual(second?.issues.map((i) => i.message), [
    "kitchen_sink: period must be an integer >= 2 (got 1)",
    "kitchen_sink: ratio must be a number > 0 and < 1 (got 1)",
    'kitchen_sink: side must be one of "long", "short" (got "flat")',
  ]);
  assert.equal(second?.message, second?.issues.map((i) => i.message).join("\n"));
});

Deno.test("parseParams: non-finite numbers and wrong shapes are refused", () => {
  assert.throws(() => parseParams(kitchenSink, { scale: "Infinity" }), {
    message: "kitchen_sink: scale must be a finite number (got Infinity)",
  });
  assert.throws(() => parseParams(kitchenSink, { scale: "NaN" }), /scale must be a finite number \(got "NaN"\)/);
  assert.throws(() => parseParams(smaCross, [] as unknown as Record<string, unknown>), TypeError);
  assert.throws(() => parseParams(smaCross, { fast: true }), {
    message: "sma_cross: fast must be an integer from 1 to 10000 (got true)",
  });
});

const stringParam = defineStrategy({
  name: "string_param_test",
  title: "String param test",
  description: "A free-text param; never trades.",
  params: z.object({
    personas: z.string().regex(/^[a-z_]+(,[a-z_]+)*$/).max(40).default("trend_follower,risk_officer"),
    note: z.string().default(""),
  }),
  warmup: () => 0,
  signals: (frame) => ({ kind: "signals", entries: new Uint8Array(frame.length), exits: new Uint8Array(frame.length) }),
});

Deno.test("parseParams: a string param takes the text as given and is checked by its schema", () => {
  assert.deepEqual(parseParams(stringParam, {}), { personas: "trend_follower,risk_officer", note: "" });
  assert.deepEqual(parseParams(stringParam, { personas: "mean_reverter", note: " two words " }), {
    personas: "mean_reverter",
    note: " two words ",
  });
  assert.throws(
    () => parseParams(stringParam, { personas: "a;b" }),
    (e: unknown) =>
      e instanceof ParamError && e.issues.length === 1 &&
      e.issues[0]!.message ===
        'string_param_test: personas must be text of at most 40 characters matching /^[a-z_]+(,[a-z_]+)*$/ (got "a;b")',
  );
  assert.throws(() => parseParams(stringParam, { personas: 5 }), /personas must be text .* \(got 5\)/);
});
