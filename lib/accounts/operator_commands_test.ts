// pauseAccount, resumeAccount and killAccount together: the transitions, their events, and restarts.
import assert from "node:assert/strict";
import { AuditLog, replay } from "../audit/mod.ts";
import { accountStatus, createAccount, killAccount, pauseAccount, resumeAccount } from "./mod.ts";
import { withDataDir } from "./_test_helpers.ts";

function operatorEvents(dataDir: string): unknown[] {
  using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
  return log.query({ kinds: ["pause", "resume", "kill"] }).map((e) => ({ kind: e.kind, runId: e.runId, ...e.payload }));
}

Deno.test("pauseAccount: active -> reducing with a pause event by the operator; again is a no-op", () =>
  withDataDir((dataDir) => {
    createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
    const r = pauseAccount({ dataDir, name: "paper-1", reason: "FOMC", now: 5 });
    assert.deepEqual({ ...r, message: undefined }, {
      account: "paper-1",
      changed: true,
      before: "active",
      tradingState: "reducing",
      seq: 2,
      message: undefined,
    });
    const again = pauseAccount({ dataDir, name: "paper-1" });
    assert.equal(again.changed, false);
    assert.match(again.message, /already paused \(reducing: FOMC\)/);
    assert.deepEqual(operatorEvents(dataDir), [{ kind: "pause", runId: "operator", by: "operator", reason: "FOMC" }]);
  }));

Deno.test("kill -> resume without confirmation refused -> wrong name refused -> with confirmation OK", () =>
  withDataDir((dataDir) => {
    createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
    const k = killAccount({ dataDir, name: "paper-1", reason: "exchange incident" });
    assert.equal(k.tradingState, "halted");
    assert.match(k.message, /positions kept/); // the default config's flattenOnKill is false
    assert.throws(
      () => resumeAccount({ dataDir, name: "paper-1", reason: "oops" }),
      (e: Error) =>
        e instanceof RangeError &&
        /account "paper-1" was killed \(exchange incident\); .*--confirm-account paper-1/.test(e.message),
    );
    assert.throws(
      () => resumeAccount({ dataDir, name: "paper-1", confirmAccount: "paper-2" }),
      /--confirm-account "paper-2" is not the account "paper-1"/,
    );
    // A pause does not lift a kill.
    assert.equal(pauseAccount({ dataDir, name: "paper-1" }).tradingState, "halted");
    assert.equal(accountStatus({ dataDir, name: "paper-1" }).tradingState, "halted");
    const r = resumeAccount({ dataDir, name: "paper-1", confirmAccount: "paper-1", reason: "incident over" });
    assert.equal(r.before, "halted");
    assert.equal(r.tradingState, "active");
    const again = resumeAccount({ dataDir, name: "paper-1" });
    assert.equal(again.changed, false);
    assert.match(again.message, /already active/);
    assert.deepEqual(operatorEvents(dataDir), [
      { kind: "kill", runId: "operator", by: "operator", reason: "exchange incident", flatten: false },
      { kind: "resume", runId: "operator", by: "operator", reason: "incident over" },
    ]);
    using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    assert.equal(log.verify().ok, true);
  }));

Deno.test("killAccount: flatten from the option, else from the account's flattenOnKill; a second kill is a no-op", () =>
  withDataDir((dataDir) => {
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
    const c = structuredClone(a.config);
    c.risk.flattenOnKill = true;
    Deno.writeTextFileSync(a.path, JSON.stringify(c));
    const k = killAccount({ dataDir, name: "paper-1" });
    assert.match(k.message, /flatten requested/);
    assert.equal(killAccount({ dataDir, name: "paper-1", flatten: false }).changed, false);
    resumeAccount({ dataDir, name: "paper-1", confirmAccount: "paper-1" });
    killAccount({ dataDir, name: "paper-1", flatten: false, reason: "drill" });
    assert.deepEqual(
      (operatorEvents(dataDir) as { flatten?: boolean }[]).filter((e) => e.flatten !== undefined).map((e) => e.flatten),
      [true, false],
    );
    assert.equal((operatorEvents(dataDir)[0] as { reason: string }).reason, "operator command (no reason given)");
  }));

Deno.test("a kill works with a broken account.json; an unknown account is refused", () =>
  withDataDir((dataDir) => {
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
    Deno.writeTextFileSync(a.path, "{ broken");
    assert.equal(killAccount({ dataDir, name: "paper-1", reason: "r" }).tradingState, "halted");
    assert.throws(() => killAccount({ dataDir, name: "nope" }), /no account "nope"/);
    assert.throws(() => pauseAccount({ dataDir, name: "../x" }), /Invalid account name/);
  }));

Deno.test("the trading state survives a restart: a fresh process's replay gives the same state", async () => {
  await withDataDir(async (dataDir) => {
    createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
    pauseAccount({ dataDir, name: "paper-1", reason: "r1" });
    killAccount({ dataDir, name: "paper-1", reason: "r2" });
    const code = `
      import { accountStatus } from ${JSON.stringify(new URL("./mod.ts", import.meta.url).href)};
      const s = accountStatus({ dataDir: ${JSON.stringify(dataDir)}, name: "paper-1" });
      console.log(JSON.stringify({ state: s.tradingState, reason: s.reason, ok: s.audit.ok }));`;
    const out = await new Deno.Command(Deno.execPath(), { args: ["eval", code], stdout: "piped", stderr: "piped" })
      .output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), { state: "halted", reason: "r2", ok: true });
    using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    assert.equal(replay(log.events()).tradingState, "halted");
  });
});

Deno.test("an operator reason quoting a webhook URL is scrubbed in the event and in the returned message", () =>
  withDataDir((dataDir) => {
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
    const url = "https://hooks.example.com/services/T0/B0/s3cr3t-t0ken-abcdef";
    const c = structuredClone(a.config);
    c.notify.webhooks = [{
      url,
      minLevel: "pause",
      format: "json",
      maxQueue: 10,
      timeoutMs: 1_000,
      retry: {
        attempts: 1,
        baseMs: 0,
        maxMs: 0,
      },
    }];
    Deno.writeTextFileSync(a.path, JSON.stringify(c));
    const r = pauseAccount({ dataDir, name: "paper-1", reason: `hook ${url} down` });
    assert.equal(r.message.includes("s3cr3t"), false, r.message);
    assert.deepEqual(operatorEvents(dataDir), [
      { kind: "pause", runId: "operator", by: "operator", reason: "hook [redacted] down" },
    ]);
  }));

Deno.test("an audit log without account.json (written by a runner alone) can still be killed and shown", () =>
  withDataDir((dataDir) => {
    {
      using log = AuditLog.open({ dataDir, account: "runner-only" });
      log.append({ kind: "run_started", runId: "r1", payload: { mode: "paper", startingCash: 500 } });
    }
    const k = killAccount({ dataDir, name: "runner-only", reason: "no config" });
    assert.equal(k.tradingState, "halted");
    assert.match(k.message, /positions kept/);
    const s = accountStatus({ dataDir, name: "runner-only" });
    assert.equal(s.tradingState, "halted");
    assert.equal(s.equity, 500);
    assert.match(s.configError!, /no account "runner-only"/);
  }));
