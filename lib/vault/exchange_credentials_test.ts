import assert from "node:assert/strict";
import { inspect } from "node:util";
import { ExchangeCredentials, VaultError } from "./mod.ts";

const SECRET = "PLANT-secret-9999";

Deno.test("ExchangeCredentials: printing shows [redacted] every way; spreading gives ccxt the plain fields", () => {
  const c = ExchangeCredentials.from({ apiKey: " PLANT-api-9999\n", secret: SECRET, password: "", uid: "1234" });
  assert.deepEqual({ ...c }, { apiKey: "PLANT-api-9999", secret: SECRET, uid: "1234" }, "trimmed; empty is absent");
  assert.deepEqual(c.fields(), ["apiKey", "secret", "uid"]);
  for (const shown of [String(c), `${c}`, JSON.stringify(c), JSON.stringify({ c }), Deno.inspect(c), inspect(c)]) {
    assert.ok(!shown.includes("PLANT") && !shown.includes("1234"), shown);
    assert.match(shown, /redacted/);
  }
  assert.deepEqual(c.toPlain(), { apiKey: "PLANT-api-9999", secret: SECRET, uid: "1234" });
});

Deno.test("ExchangeCredentials: bad input is a VaultError naming the field and rule, never the value", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ secret: SECRET }, /apiKey is missing/],
    [{ apiKey: "PLANT-a", secret: SECRET }, /apiKey is 7 characters/],
    [{ apiKey: "PLANT-api-9999", secret: 42 }, /secret must be a string/],
    [{ apiKey: "PLANT-api-9999", secret: SECRET, privateKey: SECRET }, /unknown credential field "privateKey"/],
    [{ apiKey: "PLANT-api-9999", secret: SECRET, [SECRET + "-9"]: 1 }, /a field name of 19 characters/],
    [{ apiKey: "PLANT-api-9999", secret: "x".repeat(20_000) }, /at most 16384/],
  ];
  for (const [input, re] of cases) {
    assert.throws(() => ExchangeCredentials.from(input), (e: Error) => {
      assert.ok(e instanceof VaultError && e.code === "bad_input");
      assert.match(e.message, re);
      assert.ok(!e.message.includes("PLANT-"), e.message);
      return true;
    });
  }
});
