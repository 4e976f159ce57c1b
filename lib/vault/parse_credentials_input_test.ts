import assert from "node:assert/strict";
import { parseCredentialsInput, VaultError } from "./mod.ts";

Deno.test("parseCredentialsInput: lines (CRLF too, empty password line skipped) and JSON", () => {
  assert.deepEqual({ ...parseCredentialsInput("PLANT-k-123\r\nPLANT-s-123\r\n\r\nuid-7\r\n") }, {
    apiKey: "PLANT-k-123",
    secret: "PLANT-s-123",
    uid: "uid-7",
  });
  assert.deepEqual({ ...parseCredentialsInput('  {"apiKey":"PLANT-k-123","secret":"PLANT-s-123","password":"p"}\n') }, {
    apiKey: "PLANT-k-123",
    secret: "PLANT-s-123",
    password: "p",
  });
});

Deno.test("parseCredentialsInput: errors never quote the input", () => {
  for (
    const [text, re] of [
      ['{"apiKey":"PLANT-k-123","secret":"PLANT-s-12', /not valid JSON \(\d+ characters\)/],
      ['["PLANT-k-123"]', /must be an object/],
      ["PLANT-k-123\nPLANT-s-123\np\nu\nPLANT-extra", /5 lines/],
      ["PLANT-k-123", /secret is missing/],
      ["", /apiKey is missing/],
    ] as const
  ) {
    assert.throws(() => parseCredentialsInput(text), (e: Error) => {
      assert.ok(e instanceof VaultError && e.code === "bad_input");
      assert.match(e.message, re);
      assert.ok(!e.message.includes("PLANT"), e.message);
      return true;
    });
  }
});
