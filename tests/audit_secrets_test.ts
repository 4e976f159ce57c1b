// No secret enters the audit log: a fake API key planted in the environment and in a run's options never shows up
// in the database files or in any output of `deno task audit` (verify, show, show --json, export).
import assert from "node:assert/strict";
import { type AuditEventInput, AuditLog } from "../lib/audit/mod.ts";

const CLI = new URL("../cli/audit.ts", import.meta.url).pathname;

Deno.test("secrets: a planted API key never reaches the log files or any CLI output", async () => {
  const key = `sk-test-${crypto.randomUUID().replaceAll("-", "")}`;
  const secret = `whsec-${crypto.randomUUID()}`;
  const dir = await Deno.makeTempDir({ prefix: "audit-secrets-" });
  const env = { SENTINEL_DATA_DIR: dir, NO_COLOR: "1", EXCHANGE_API_KEY: key, EXCHANGE_SECRET: secret };
  Deno.env.set("EXCHANGE_API_KEY", key);
  try {
    // A run's options as a careless runner might hold them: credentials beside the params.
    const runOptions = {
      mode: "paper" as const,
      strategy: "sma_cross",
      params: { fast: 10, slow: 50, note: `using key ${key}` },
      exchange: { id: "binance", apiKey: key, secret },
    };
    using log = AuditLog.open({
      dataDir: dir,
      account: "paper-1",
      secrets: [Deno.env.get("EXCHANGE_API_KEY")!, secret],
    });
    // The schemas have no field for credentials: the whole options object is refused, naming the field, not the value.
    assert.throws(
      () => log.append({ kind: "run_started", runId: "r1", payload: runOptions as never }),
      (e: Error) => e instanceof TypeError && /exchange/.test(e.message) && !e.message.includes(key),
    );
    const events: AuditEventInput[] = [
      {
        kind: "run_started",
        runId: "r1",
        payload: { mode: runOptions.mode, strategy: runOptions.strategy, params: runOptions.params, startingCash: 1e4 },
      },
      {
        kind: "config_change",
        runId: "r1",
        payload: { target: "account", after: { exchange: runOptions.exchange }, configHash: "e".repeat(64) },
      },
      { kind: "order_rejected", runId: "r1", payload: { clientOrderId: "o1", reason: `401: invalid key ${key}` } },
      { kind: "run_stopped", runId: "r1", payload: { reason: "error", error: `auth failed (${secret})` } },
    ];
    log.appendMany(events);
    const stored = JSON.stringify(log.query());
    assert.ok(stored.includes("[redacted]"));

    const dec = new TextDecoder();
    const outputs: string[] = [];
    for (
      const args of [
        ["verify", "--account", "paper-1"],
        ["verify", "--account", "paper-1", "--json"],
        ["show", "--account", "paper-1"],
        ["show", "--account", "paper-1", "--json"],
        ["export", "--account", "paper-1", "--out", `${dir}/export.parquet`],
        ["show", "--account", "nope"],
      ]
    ) {
      const r = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CLI, ...args],
        env,
        stdout: "piped",
        stderr: "piped",
      })
        .output();
      outputs.push(dec.decode(r.stdout), dec.decode(r.stderr));
    }
    const files = [...Deno.readDirSync(`${dir}/_accounts/paper-1`)].map((e) => `${dir}/_accounts/paper-1/${e.name}`);
    files.push(`${dir}/export.parquet`);
    assert.ok(files.some((f) => f.endsWith("audit.sqlite-wal") || f.endsWith("audit.sqlite")));
    for (const f of files) {
      const bytes = Deno.readFileSync(f);
      const text = dec.decode(bytes);
      const latin = Array.from(bytes, (b) => String.fromCharCode(b)).join("");
      for (const s of [key, secret]) {
        assert.ok(!text.includes(s) && !latin.includes(s), `${f} holds a secret`);
      }
    }
    for (const o of outputs) {
      for (const s of [key, secret]) assert.ok(!o.includes(s), `an output holds a secret:\n${o}`);
    }
    assert.ok(outputs.join("").includes("[redacted]"));
  } finally {
    Deno.env.delete("EXCHANGE_API_KEY");
    await Deno.remove(dir, { recursive: true });
  }
});
