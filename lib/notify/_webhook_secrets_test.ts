import assert from "node:assert/strict";
import { webhookSecrets } from "./_webhook_secrets.ts";

Deno.test("webhookSecrets: the URL, its token-bearing parts and header tokens, not short words", () => {
  const got = webhookSecrets("https://user:p4ssw0rd-long@hooks.example/services/T0/B0/XXXX?sig=abcdefgh", {
    authorization: "Bearer tok-abcdefgh",
  });
  for (
    const s of [
      "https://user:p4ssw0rd-long@hooks.example/services/T0/B0/XXXX?sig=abcdefgh",
      "p4ssw0rd-long",
      "/services/T0/B0/XXXX?sig=abcdefgh",
      "/services/T0/B0/XXXX",
      "?sig=abcdefgh",
      "Bearer tok-abcdefgh",
      "tok-abcdefgh",
    ]
  ) assert.ok(got.includes(s), s);
  assert.ok(!got.includes("user") && !got.includes("Bearer"));
  assert.deepEqual([...new Set(webhookSecrets("https://h.example/hook"))], ["https://h.example/hook"]);
});
