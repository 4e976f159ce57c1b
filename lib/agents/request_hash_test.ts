import assert from "node:assert/strict";
import { canonicalJson } from "../types/mod.ts";
import { canonicalRequestJson, REQUEST_HASH_FORMAT, requestHash } from "./request_hash.ts";
import { fixtureRequest } from "./_gateway_fixtures.ts";

Deno.test("requestHash: stable across key order and copies, covers the format version", () => {
  const a = fixtureRequest();
  const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
  assert.equal(requestHash(a), requestHash(reordered));
  assert.equal(requestHash(a), requestHash(structuredClone(a)));
  assert.ok(canonicalRequestJson(a).includes(REQUEST_HASH_FORMAT));
  assert.match(requestHash(a), /^[0-9a-f]{64}$/);
});

Deno.test("requestHash: changes with each field", () => {
  const base = fixtureRequest();
  const h = requestHash(base);
  const schema = structuredClone(base.outputSchema) as Record<string, any>;
  schema.properties.factors.items.properties.id.enum = ["trend"];
  const variants = {
    model: { model: "claude-sonnet-4-5" },
    maxTokens: { maxTokens: 1025 },
    temperature: { temperature: 0.1 },
    noTemperature: { temperature: undefined },
    system: { system: base.system + "." },
    message: { messages: [{ role: "user" as const, content: base.messages[0]!.content + " " }] },
    extraMessage: { messages: [...base.messages, { role: "assistant" as const, content: "{" }] },
    role: { messages: [{ role: "assistant" as const, content: base.messages[0]!.content }] },
    schema: { outputSchema: schema },
    templateVersion: { templateVersion: "2" },
  };
  const seen = new Set([h]);
  for (const [name, patch] of Object.entries(variants)) {
    const v = requestHash({ ...base, ...patch });
    assert.ok(!seen.has(v), `${name} must change the hash`);
    seen.add(v);
  }
});

Deno.test("canonicalRequestJson: equals canonicalJson of { format, request } (schema text memoised)", () => {
  for (const r of [fixtureRequest(), fixtureRequest(1, { temperature: undefined }), fixtureRequest(2)]) {
    const expected = canonicalJson({ format: REQUEST_HASH_FORMAT, request: r });
    assert.equal(canonicalRequestJson(r), expected);
    assert.equal(canonicalRequestJson(r), expected); // second time from the memo
  }
  const weird = { ...fixtureRequest(), system: 'é \u2028 "q" 😀', maxTokens: 1e21 };
  assert.equal(canonicalRequestJson(weird), canonicalJson({ format: REQUEST_HASH_FORMAT, request: weird }));
  // The fast paths (strings, numbers, { role, content } messages) against the generic serialiser.
  const repair = {
    ...fixtureRequest(3),
    messages: [
      { role: "user" as const, content: "facts \u0000 \ud800 \t é" },
      { role: "assistant" as const, content: '{"action":"buy"}' },
      { role: "user" as const, content: 'fix: 😀 \\ "' },
    ],
    temperature: 0.30000000000000004,
  };
  assert.equal(canonicalRequestJson(repair), canonicalJson({ format: REQUEST_HASH_FORMAT, request: repair }));
  const odd = { ...fixtureRequest(4), messages: [{ role: "user", content: [{ type: "text", text: "x" }] }] };
  assert.equal(
    canonicalRequestJson(odd as never),
    canonicalJson({ format: REQUEST_HASH_FORMAT, request: odd }),
  );
});
