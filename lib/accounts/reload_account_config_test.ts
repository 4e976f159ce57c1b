import assert from "node:assert/strict";
import { AuditLog } from "../audit/mod.ts";
import { ConfigError } from "../types/mod.ts";
import { accountStatus, createAccount, loadAccount, reloadAccountConfig } from "./mod.ts";
import { accountBytes, withDataDir } from "./_test_helpers.ts";

function write(path: string, c: unknown): void {
  Deno.writeTextFileSync(path, JSON.stringify(c, null, 2));
}

Deno.test("reloadAccountConfig: a valid edit is logged with before/after hash and a diff, and returned", () =>
  withDataDir((dataDir) => {
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
    assert.equal(reloadAccountConfig(a).status, "unchanged");
    const c = structuredClone(a.config);
    c.risk.rules.dailyLoss.limit = 0.05;
    c.risk.flattenOnKill = true;
    write(a.path, c);
    const r = reloadAccountConfig(a, { now: 1_000 });
    assert.equal(r.status, "changed");
    assert.equal(r.account.config.risk.rules.dailyLoss.limit, 0.05);
    assert.notEqual(r.account.configHash, a.configHash);
    using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    const ev = log.query({ kind: "config_change" }).at(-1)!;
    assert.ok(r.status === "changed" && ev.seq === r.seq);
    assert.ok(ev.kind === "config_change");
    assert.deepEqual(ev.payload.before, { configHash: a.configHash });
    assert.equal(ev.payload.configHash, r.account.configHash);
    assert.deepEqual(ev.payload.diff, [
      { path: "risk.flattenOnKill", before: false, after: true },
      { path: "risk.rules.dailyLoss.limit", before: 0.03, after: 0.05 },
    ]);
    // Reloading again: nothing new.
    assert.equal(reloadAccountConfig(r.account).status, "unchanged");
    assert.equal(log.head().seq, 2);
    assert.equal(log.verify().ok, true);
  }));

Deno.test("reloadAccountConfig: a malformed file keeps the old config in force, logs nothing, returns the error", () =>
  withDataDir((dataDir) => {
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
    Deno.writeTextFileSync(a.path, Deno.readTextFileSync(a.path).replace('"limit": 0.2,', '"limit": "20%",'));
    const r = reloadAccountConfig(a);
    assert.equal(r.status, "invalid");
    assert.ok(r.status === "invalid" && r.error instanceof ConfigError);
    assert.match(r.error.message, /risk\.rules\.maxDrawdown\.limit: .*\(got "20%"\)/);
    assert.equal(r.account, a);
    assert.equal(r.account.config.risk.rules.maxDrawdown.limit, 0.2);

    Deno.writeTextFileSync(a.path, "{ not json");
    const r2 = reloadAccountConfig(r.account);
    assert.ok(r2.status === "invalid" && /not valid JSON/.test(r2.error.message));
    assert.equal(r2.account, a);

    const c = structuredClone(a.config) as Record<string, any>;
    c.risk.rules.orderRate.perSecond = 1;
    write(a.path, c);
    const r3 = reloadAccountConfig(a);
    assert.ok(r3.status === "invalid" && /risk\.rules\.orderRate: unknown field "perSecond"/.test(r3.error.message));

    Deno.removeSync(a.path);
    assert.equal(reloadAccountConfig(a).status, "invalid");
    using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    assert.equal(log.head().seq, 1);
  }));

Deno.test("reloadAccountConfig: fields fixed at creation (startingCash, quote, ...) cannot change", () =>
  withDataDir((dataDir) => {
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
    write(a.path, { ...a.config, startingCash: 20_000 });
    const r = reloadAccountConfig(a);
    assert.ok(r.status === "invalid");
    assert.match(r.error.message, /startingCash: fixed at creation, cannot change from 10000 to 20000/);
    write(a.path, { ...a.config, quote: "EUR" });
    assert.match(String((reloadAccountConfig(a) as { error?: Error }).error), /quote: fixed at creation/);
  }));

Deno.test("no webhook URL or header token enters the audit log, an error or a status answer", () =>
  withDataDir((dataDir) => {
    const token = "T0AAAAAAA/B0BBBBBBB/xoxb5ecretW3bh00kT0ken";
    const url = `https://hooks.example.com/services/${token}`;
    const bearer = "bearer-secret-0123456789abcdef";
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
    const c = structuredClone(a.config) as Record<string, any>;
    c.notify.webhooks = [{ url, minLevel: "pause", headers: { Authorization: `Bearer ${bearer}` } }];
    write(a.path, c);
    const r = reloadAccountConfig(a);
    assert.equal(r.status, "changed");
    // A changed URL on the same origin is still a visible change (its fingerprint), without the token.
    write(a.path, { ...c, notify: { ...c.notify, webhooks: [{ ...c.notify.webhooks[0], url: url + "x" }] } });
    const r2 = reloadAccountConfig(r.account);
    assert.equal(r2.status, "changed");
    // A bad value under notify: the error does not quote it.
    write(a.path, { ...c, notify: { ...c.notify, webhooks: [{ url: `http://evil.example/${token}` }] } });
    const bad = reloadAccountConfig(r2.account);
    assert.ok(bad.status === "invalid");
    assert.match(bad.error.message, /notify\.webhooks\.0\.url: must be an https:\/\/ URL/);

    using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    const events = JSON.stringify([...log.events()]);
    const status = JSON.stringify(accountStatus({ dataDir, name: "paper-1" }));
    for (
      const [where, text] of [
        ["events", events],
        ["files", accountBytes(dataDir, "paper-1")],
        ["status", status],
        ["error", bad.error.message],
      ]
    ) {
      for (const secret of [token, bearer, "xoxb5ecretW3bh00kT0ken", "/services/T0AAAAAAA"]) {
        assert.ok(!text!.includes(secret), `${secret} found in ${where}`);
      }
    }
    assert.match(events, /https:\/\/hooks\.example\.com\/\[redacted sha256:[0-9a-f]{12}\]/);
    const diff = log.query({ kind: "config_change" }).at(-1)!;
    assert.ok(diff.kind === "config_change");
    assert.equal((diff.payload.diff as { path: string }[])[0]?.path, "notify.webhooks");
    assert.equal(r2.account.config.notify.webhooks[0]?.url, url + "x");
    assert.match(JSON.parse(status).configError, /notify\.webhooks\.0\.url/);
    write(a.path, r2.account.config);
    assert.equal(loadAccount({ dataDir, name: "paper-1" }).configHash, r2.account.configHash);
  }));
