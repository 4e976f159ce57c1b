import assert from "node:assert/strict";
import { exchangeClientId } from "./_client_id.ts";

Deno.test("exchangeClientId: short ids pass, long or odd ones map deterministically within 36 characters", () => {
  assert.equal(exchangeClientId("acct-sma-lx3k-e"), "acct-sma-lx3k-e");
  const long = "a".repeat(30) + "-sleeve-with-a-long-name-" + "b".repeat(9);
  const id = exchangeClientId(long);
  assert.equal(id.length, 36);
  assert.match(id, /^[.A-Z:/a-z0-9_-]{1,36}$/);
  assert.equal(exchangeClientId(long), id);
  assert.notEqual(exchangeClientId(long + "x"), id);
  assert.match(exchangeClientId("has space+plus"), /^has_space_plus-[0-9a-f]{16}$/);
});
