import assert from "node:assert/strict";
import { AuditLog, replay } from "../audit/mod.ts";
import { DEFAULT_RISK_CONFIG } from "../risk/mod.ts";
import { createAccount, loadAccount } from "./mod.ts";
import { withDataDir } from "./_test_helpers.ts";

Deno.test("createAccount writes account.json with the default limits and logs it as the first event", () =>
  withDataDir((dataDir) => {
    const now = Date.UTC(2026, 0, 5, 9);
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 25_000, quote: "USD", now });
    const file = JSON.parse(Deno.readTextFileSync(a.path));
    assert.deepEqual(file, {
      version: 1,
      name: "paper-1",
      kind: "paper",
      startingCash: 25_000,
      quote: "USD",
      createdAt: "2026-01-05T09:00:00.000Z",
      risk: DEFAULT_RISK_CONFIG,
      notify: { console: true, webhooks: [] },
    });
    // Indented, one field per line: the user reads and edits it.
    assert.match(Deno.readTextFileSync(a.path), /\n {6}"maxDrawdown": \{\n/);
    assert.equal(Deno.statSync(a.path).mode! & 0o777, 0o600);
    assert.deepEqual([...Deno.readDirSync(a.dir)].filter((e) => e.name.startsWith(".tmp")), []);
    assert.equal(loadAccount({ dataDir, name: "paper-1" }).configHash, a.configHash);

    using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    const events = [...log.events()];
    assert.equal(events.length, 1);
    const first = events[0]!;
    assert.equal(first.kind, "config_change");
    assert.equal(first.ts, now);
    assert.ok(first.kind === "config_change");
    assert.equal(first.payload.target, "account");
    assert.equal(first.payload.configHash, a.configHash);
    assert.deepEqual(first.payload.after, file);
    const s = replay(events);
    assert.equal(s.startingCash, 25_000);
    assert.equal(s.cash, 25_000);
    assert.equal(s.tradingState, "active");
    assert.equal(log.verify().ok, true);
  }));

Deno.test("createAccount refuses an existing account and leaves it untouched", () =>
  withDataDir((dataDir) => {
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 1_000 });
    const before = Deno.readTextFileSync(a.path);
    assert.throws(
      () => createAccount({ dataDir, name: "paper-1", kind: "live", cash: 5 }),
      (e: Error) => e instanceof Deno.errors.AlreadyExists && /account "paper-1" already exists/.test(e.message),
    );
    assert.equal(Deno.readTextFileSync(a.path), before);
    using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    assert.equal(log.head().seq, 1);
  }));

Deno.test("createAccount refuses a folder that has an audit log with events but no account.json", () =>
  withDataDir((dataDir) => {
    using log = AuditLog.open({ dataDir, account: "legacy" });
    log.append({ kind: "run_started", runId: "r1", payload: { mode: "paper", startingCash: 10 } });
    assert.throws(() => createAccount({ dataDir, name: "legacy", kind: "paper", cash: 10 }), /audit log with events/);
  }));

Deno.test("createAccount: bad name, cash or quote are refused naming the value, and nothing is written", () =>
  withDataDir((dataDir) => {
    assert.throws(() => createAccount({ dataDir, name: "Paper 1", kind: "paper", cash: 10 }), /"Paper 1"/);
    assert.throws(() => createAccount({ dataDir, name: "p", kind: "paper", cash: 0 }), /Invalid cash 0/);
    assert.throws(() => createAccount({ dataDir, name: "p", kind: "paper", cash: NaN }), /Invalid cash NaN/);
    assert.throws(
      () => createAccount({ dataDir, name: "p", kind: "paper", cash: 10, quote: "usdt" }),
      /quote: a quote currency is 2-16 characters of A-Z and 0-9.*got "usdt"/,
    );
    assert.throws(() => createAccount({ dataDir, name: "p", kind: "paperz" as "paper", cash: 10 }), /kind/);
    let entries: string[] = [];
    try {
      entries = [...Deno.readDirSync(`${dataDir}/_accounts`)].map((e) => e.name);
    } catch { /* none */ }
    assert.deepEqual(entries, []);
  }));
