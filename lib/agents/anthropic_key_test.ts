import assert from "node:assert/strict";
import { Vault } from "../vault/mod.ts";
import { anthropicKey } from "./anthropic_key.ts";
import { LlmConfigError } from "./llm_errors.ts";

const PLANTED = "sk-ant-PLANTED-xyz";

Deno.test("anthropicKey: the environment first", async () => {
  const before = Deno.env.get("ANTHROPIC_API_KEY");
  Deno.env.set("ANTHROPIC_API_KEY", PLANTED);
  try {
    assert.equal(await anthropicKey({ dataDir: "/nonexistent" }), PLANTED);
  } finally {
    if (before === undefined) Deno.env.delete("ANTHROPIC_API_KEY");
    else Deno.env.set("ANTHROPIC_API_KEY", before);
  }
});

Deno.test("anthropicKey: the vault entry's secret, else an error naming both places", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    await assert.rejects(anthropicKey({ dataDir, env: false }), (e: LlmConfigError) => {
      assert.equal(e.code, "missing_key");
      assert.match(e.message, /ANTHROPIC_API_KEY.*no vault.*vault add anthropic/);
      return true;
    });
    const passphrase = "correct horse battery staple";
    {
      using vault = await Vault.open({ dataDir, passphrase, create: true, kdf: { N: 2 ** 10 } });
      await vault.add("okx-main", "okx", { apiKey: "key-0123456789", secret: "sec-0123456789" });
    }
    await assert.rejects(anthropicKey({ dataDir, env: false, passphrase }), /no entry "anthropic"/);
    {
      using vault = await Vault.open({ dataDir, passphrase });
      await vault.add("anthropic", "anthropic", { apiKey: "anthropic-console", secret: PLANTED });
    }
    assert.equal(await anthropicKey({ dataDir, env: false, passphrase }), PLANTED);
    await assert.rejects(anthropicKey({ dataDir, env: false, passphrase: "wrong passphrase!" }), (e: Error) => {
      assert.ok(e instanceof LlmConfigError);
      assert.match(e.message, /cannot be read.*wrong vault passphrase/);
      assert.ok(!e.message.includes(PLANTED));
      return true;
    });
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
