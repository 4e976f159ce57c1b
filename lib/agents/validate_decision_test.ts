import assert from "node:assert/strict";
import { testPersona, testPrompt, validAnswer } from "./_debate_test_fixtures.ts";
import { decisionJsonSchema, validateDecision } from "./validate_decision.ts";

const persona = testPersona();
const prompt = testPrompt();

function issuesOf(text: string): string[] {
  const result = validateDecision(text, persona, prompt);
  assert.equal(result.ok, false, `expected issues for ${text}`);
  return result.ok ? [] : result.issues;
}

Deno.test("validateDecision: a valid answer passes and is parsed", () => {
  const result = validateDecision(JSON.stringify(validAnswer()), persona, prompt);
  assert.equal(result.ok, true);
  if (result.ok) {
    assert.equal(result.decision.action, "buy");
    assert.equal(result.decision.factors.length, 3);
  }
});

Deno.test("validateDecision: malformed JSON is one issue quoting the start of the text", () => {
  const issues = issuesOf('{"action": "buy", ');
  assert.equal(issues.length, 1);
  assert.match(issues[0]!, /not JSON.*\{\\"action\\": \\"buy\\", /);
});

Deno.test("validateDecision: schema issues name the path and the value", () => {
  const issues = issuesOf(JSON.stringify({ ...validAnswer(), action: "yolo", confidence: 1.5, extra: 1 }));
  assert.ok(issues.some((i) => /^action: .*\(value: "yolo"\)$/.test(i)), issues.join("\n"));
  assert.ok(issues.some((i) => /^confidence: .*\(value: 1\.5\)$/.test(i)), issues.join("\n"));
  assert.ok(issues.some((i) => /extra/.test(i)), issues.join("\n"));
  const missing = issuesOf(JSON.stringify({ ...validAnswer(), reasoning: undefined }));
  assert.match(missing[0]!, /^reasoning: .*\(value: missing\)$/);
});

Deno.test("validateDecision: an unknown factor id is named with the registry", () => {
  const issues = issuesOf(JSON.stringify(validAnswer({
    factors: [{ id: "astrology", direction: "bullish", weight: 0.5 }, {
      id: "trend",
      direction: "bullish",
      weight: 0.5,
    }],
  })));
  assert.deepEqual(issues, [
    'factors.0.id: "astrology" is not a factor of this persona; use one of trend, momentum, volatility',
  ]);
});

Deno.test("validateDecision: a duplicate factor is an issue", () => {
  const issues = issuesOf(JSON.stringify(validAnswer({
    factors: [{ id: "trend", direction: "bullish", weight: 0.5 }, { id: "trend", direction: "bearish", weight: 0.5 }],
  })));
  assert.deepEqual(issues, ['factors.1.id: "trend" appears more than once; list each factor once']);
});

Deno.test("validateDecision: weights 0.7 + 0.2 do not sum to 1; 0.505 + 0.5 is within 0.01", () => {
  const issues = issuesOf(JSON.stringify(validAnswer({
    factors: [{ id: "trend", direction: "bullish", weight: 0.7 }, {
      id: "momentum",
      direction: "bullish",
      weight: 0.2,
    }],
  })));
  assert.deepEqual(issues, ["factors: the weights sum to 0.9, not 1 (within 0.01); rescale them to sum to 1"]);
  const ok = validateDecision(
    JSON.stringify(validAnswer({
      factors: [
        { id: "trend", direction: "bullish", weight: 0.505 },
        { id: "momentum", direction: "bullish", weight: 0.5 },
      ],
    })),
    persona,
    prompt,
  );
  assert.equal(ok.ok, true);
});

Deno.test("validateDecision: a wrong cited value and an unknown or label fact are issues", () => {
  const issues = issuesOf(JSON.stringify(validAnswer({
    citations: [{ fact: "ret_5", value: 1.2 }, { fact: "rsi_14", value: 55 }, { fact: "regime", value: 1 }],
  })));
  assert.deepEqual(issues, [
    "citations.0.value: 1.2 cited for ret_5, but the prompt shows 1.23; cite the value as shown",
    'citations.1.fact: "rsi_14" is not a numeric fact of the prompt; cite only facts listed',
    'citations.2.fact: "regime" is not a numeric fact of the prompt; cite only facts listed',
  ]);
  // "toString" is on every object's prototype, never a fact
  assert.equal(issuesOf(JSON.stringify(validAnswer({ citations: [{ fact: "toString", value: 1 }] }))).length, 1);
});

Deno.test("validateDecision: a negative or zero invalidation level is an issue; null passes", () => {
  assert.deepEqual(issuesOf(JSON.stringify(validAnswer({ invalidationLevel: -5 }))), [
    "invalidationLevel: -5 is not a positive price; give a price above 0 or null",
  ]);
  assert.equal(issuesOf(JSON.stringify(validAnswer({ invalidationLevel: 0 }))).length, 1);
  assert.equal(validateDecision(JSON.stringify(validAnswer({ invalidationLevel: null })), persona, prompt).ok, true);
});

Deno.test("decisionJsonSchema: enums narrowed, grammar-safe keywords only, as the SDK's transform makes them", () => {
  // deno-lint-ignore no-explicit-any
  const schema = decisionJsonSchema(persona, ["ret_5", "close"]) as any;
  const factor = schema.properties.factors.items;
  assert.deepEqual(factor.properties.id.enum, ["trend", "momentum", "volatility"]);
  assert.equal(factor.additionalProperties, false);
  assert.deepEqual(schema.properties.citations.items.properties.fact.enum, ["ret_5", "close"]);
  assert.deepEqual(schema.properties.action.enum, ["buy", "sell", "hold", "close"]);
  assert.equal(schema.additionalProperties, false);
  assert.equal(schema.$schema, undefined);
  assert.equal(schema.properties.factors.minItems, 1);
  const unsupported = ["minimum", "maximum", "maxLength", "minLength", "maxItems", "exclusiveMinimum", "pattern"];
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (path.endsWith("properties")) {
        walk(value, `${path}.${key}`);
        continue;
      }
      assert.ok(!unsupported.includes(key), `${path}.${key} is not accepted by the structured-output grammar`);
      walk(value, `${path}.${key}`);
    }
  };
  walk(schema, "");
  assert.match(schema.properties.confidence.description, /minimum: 0, maximum: 1/);
  // no numeric facts: a plain string (an empty enum is no grammar); the semantic check refuses any citation
  // deno-lint-ignore no-explicit-any
  const bare = decisionJsonSchema(persona, []) as any;
  assert.equal(bare.properties.citations.items.properties.fact.type, "string");
  assert.equal(bare.properties.citations.items.properties.fact.enum, undefined);
  // the persona's factor list is not mutated; the result is built once per ids and frozen
  assert.deepEqual(persona.factors.map((f) => f.id), ["trend", "momentum", "volatility"]);
  assert.equal(decisionJsonSchema(persona, ["ret_5"]), decisionJsonSchema(persona, ["ret_5"]));
  assert.notEqual(decisionJsonSchema(persona, ["ret_5"]), decisionJsonSchema(persona, ["close"]));
  assert.ok(Object.isFrozen(schema.properties.factors.items.properties.id.enum));
});
