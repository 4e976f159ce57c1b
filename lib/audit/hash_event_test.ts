import assert from "node:assert/strict";
import { AuditLog, GENESIS_HASH, hashEvent } from "./mod.ts";

async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("hashEvent: sha256(prevHash + RFC 8785 JSON without the hash), checked against a hand-written canonical text", async () => {
  const event = {
    seq: 1,
    ts: 1_700_000_000_000,
    account: "paper-1",
    runId: "r1",
    kind: "kill" as const,
    payload: { reason: "drawdown 12%", flatten: true, by: "rule" as const },
    correlationId: "c-1",
    prevHash: GENESIS_HASH,
  };
  // Keys sorted by UTF-16 code units, no spaces, ECMAScript number text.
  const canonical = `{"account":"paper-1","correlationId":"c-1","kind":"kill",` +
    `"payload":{"by":"rule","flatten":true,"reason":"drawdown 12%"},"prevHash":"${GENESIS_HASH}",` +
    `"runId":"r1","seq":1,"ts":1700000000000}`;
  assert.equal(hashEvent(event), await sha256Hex(GENESIS_HASH + canonical));
  assert.equal(hashEvent({ ...event, hash: "ignored" } as never), hashEvent(event));
});

Deno.test("AuditLog: optional fields given as undefined and unicode text hash the same after the JSON round trip", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "audit-hash-" });
  try {
    using log = AuditLog.open({ dataDir, account: "paper-1" });
    log.append({
      kind: "run_started",
      runId: "r1",
      correlationId: undefined,
      payload: { mode: "paper", strategy: undefined, params: { note: "é 📈 \u2028", x: -0, big: 1e21, tiny: 5e-324 } },
    });
    assert.equal(log.verify().ok, true);
    assert.deepEqual(log.query()[0]!.payload, {
      mode: "paper",
      params: { note: "é 📈 \u2028", x: 0, big: 1e21, tiny: 5e-324 },
    });
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
