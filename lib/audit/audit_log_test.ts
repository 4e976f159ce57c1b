import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { AuditLog, GENESIS_HASH, listAccounts } from "./mod.ts";
import { sampleEvents } from "./_test_events.ts";

async function withDir(fn: (dataDir: string) => Promise<void> | void): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "audit-" });
  try {
    await fn(dataDir);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

Deno.test("AuditLog: append chains seq 1, 2, 3 from 64 zeros, stores under _accounts/<account>, verifies", () =>
  withDir((dataDir) => {
    using log = AuditLog.open({ dataDir, account: "paper-1" });
    assert.deepEqual(log.head(), { seq: 0, hash: GENESIS_HASH });
    const [a, b] = sampleEvents(2);
    const e1 = log.append(a!);
    const e2 = log.append(b!);
    assert.equal(e1.seq, 1);
    assert.equal(e1.prevHash, GENESIS_HASH);
    assert.equal(e2.seq, 2);
    assert.equal(e2.prevHash, e1.hash);
    assert.equal(e1.account, "paper-1");
    assert.equal(log.path, `${dataDir}/_accounts/paper-1/audit.sqlite`);
    assert.deepEqual(log.head(), { seq: 2, hash: e2.hash });
    assert.deepEqual(JSON.parse(Deno.readTextFileSync(log.headPath)), { seq: 2, hash: e2.hash });
    assert.deepEqual(log.query(), [e1, e2]);
    const v = log.verify();
    assert.equal(v.ok, true);
    assert.equal(v.events, 2);
    assert.deepEqual(listAccounts(dataDir), ["paper-1"]);
  }));

Deno.test("AuditLog: the database is in WAL mode while a writer has it open, in rollback mode once it closed", () =>
  withDir((dataDir) => {
    const mode = (): unknown => {
      const db = new DatabaseSync(`${dataDir}/_accounts/a/audit.sqlite`, { readOnly: true });
      try {
        return db.prepare("PRAGMA journal_mode").get()?.journal_mode;
      } finally {
        db.close();
      }
    };
    const log = AuditLog.open({ dataDir, account: "a" });
    assert.equal(mode(), "wal");
    log.close();
    assert.equal(mode(), "delete");
  }));

Deno.test("AuditLog: appendMany is one transaction: one bad event writes nothing and names its index and field", () =>
  withDir((dataDir) => {
    using log = AuditLog.open({ dataDir, account: "paper-1" });
    log.appendMany(sampleEvents(3));
    const batch = sampleEvents(8);
    (batch[5]!.payload as { clientOrderId: string }).clientOrderId = "";
    assert.throws(() => log.appendMany(batch), (e: Error) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, /event 5 \(kind order_submitted\): payload\.clientOrderId/);
      return true;
    });
    assert.equal(log.head().seq, 3);
    assert.equal(log.query().length, 3);
    assert.equal(log.appendMany(sampleEvents(8)).at(-1)!.seq, 11);
    assert.equal(log.verify().ok, true);
  }));

Deno.test("AuditLog: unknown kinds, malformed payloads and extra fields are refused with a TypeError naming the field", () =>
  withDir((dataDir) => {
    using log = AuditLog.open({ dataDir, account: "paper-1" });
    const bad: [unknown, RegExp][] = [
      [{ kind: "teleport", runId: "r", payload: {} }, /kind "teleport" is not a known kind; use one of run_started/],
      [{ kind: "kill", runId: "r", payload: { by: "cat", reason: "x", flatten: true } }, /payload\.by/],
      [{ kind: "order_filled", runId: "r", payload: { ...sampleEvents(8)[7]!.payload, qty: -1 } }, /payload\.qty/],
      [{ kind: "pause", runId: "r", payload: { by: "operator", reason: "x", apiKey: "k" } }, /payload: .*apiKey/],
      [{ kind: "pause", runId: "", payload: { by: "operator", reason: "x" } }, /runId/],
      [{ kind: "run_stopped", runId: "r", payload: { reason: "x".repeat(5_000) } }, /payload\.reason/],
      [null, /expected an object/],
    ];
    for (const [event, re] of bad) {
      assert.throws(() => log.append(event as never), (e: Error) => e instanceof TypeError && re.test(e.message));
    }
    assert.equal(log.head().seq, 0);
  }));

Deno.test("AuditLog: the database refuses UPDATE and DELETE of events (triggers)", () =>
  withDir((dataDir) => {
    using log = AuditLog.open({ dataDir, account: "paper-1" });
    log.appendMany(sampleEvents(4));
    const db = new DatabaseSync(log.path);
    try {
      assert.throws(() => db.exec("UPDATE events SET ts = 0 WHERE seq = 2"), /append-only: UPDATE refused/);
      assert.throws(() => db.exec("DELETE FROM events WHERE seq = 4"), /append-only: DELETE refused/);
    } finally {
      db.close();
    }
    assert.equal(log.verify().ok, true);
  }));

Deno.test("AuditLog: a read-only handle reads while the writer writes, and SQLite refuses its writes", () =>
  withDir((dataDir) => {
    using log = AuditLog.open({ dataDir, account: "paper-1" });
    log.appendMany(sampleEvents(3));
    using ro = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    assert.equal(ro.head().seq, 3);
    log.append(sampleEvents(4)[3]!);
    assert.equal(ro.head().seq, 4); // sees the new commit
    assert.throws(
      () => ro.append(sampleEvents(1)[0]!),
      (e: Error) =>
        e instanceof TypeError && /read-only \(.*readonly database\)/.test(e.message) && /paper-1/.test(e.message),
    );
    assert.equal(log.head().seq, 4);
    assert.equal(ro.verify().ok, true);
  }));

Deno.test("AuditLog: a read-only open of an unknown account names the known accounts", () =>
  withDir((dataDir) => {
    assert.throws(
      () => AuditLog.open({ dataDir, account: "nope", readOnly: true }),
      /No audit log for account "nope" .*there are no accounts yet/,
    );
    AuditLog.open({ dataDir, account: "paper-1" }).close();
    AuditLog.open({ dataDir, account: "paper-2" }).close();
    assert.throws(
      () => AuditLog.open({ dataDir, account: "nope", readOnly: true }),
      (e: Error) => e instanceof RangeError && /known accounts: paper-1, paper-2/.test(e.message),
    );
    assert.throws(() => AuditLog.open({ dataDir, account: "../etc" }), /Invalid account "\.\.\/etc"/);
  }));

Deno.test("AuditLog: query filters by kind(s), time, correlation id and symbol, and pages by seq", () =>
  withDir((dataDir) => {
    using log = AuditLog.open({ dataDir, account: "paper-1" });
    log.appendMany(sampleEvents(24)); // 3 cycles of 8
    assert.deepEqual(log.query({ kind: "bar" }).map((e) => e.seq), [1, 9, 17]);
    assert.deepEqual(log.query({ kinds: ["bar", "order_filled"] }).map((e) => e.seq), [1, 8, 9, 16, 17, 24]);
    assert.deepEqual(log.query({ correlationId: "c1" }).map((e) => e.seq), [9, 10, 11, 12, 13, 14, 15, 16]);
    const t1 = 1_700_000_000_000 + 60_000;
    assert.deepEqual(log.query({ from: t1, to: t1 + 60_000 }).map((e) => e.seq), [9, 10, 11, 12, 13, 14, 15, 16]);
    assert.deepEqual(log.query({ symbol: "BTC/USDT", kind: "order_intent" }).map((e) => e.seq), [4, 12, 20]);
    const page1 = log.query({ limit: 10 });
    const page2 = log.query({ limit: 10, afterSeq: page1.at(-1)!.seq });
    assert.deepEqual(
      [...page1, ...page2, ...log.query({ afterSeq: 20 })].map((e) => e.seq),
      [...Array(24)].map((_, i) => i + 1),
    );
    assert.deepEqual([...log.events({ pageSize: 5 })].map((e) => e.seq).length, 24);
    assert.throws(() => log.query({ kind: "nope" as never }), /Unknown audit event kind "nope"/);
  }));

Deno.test("AuditLog: two handles in one process interleave appends and keep one chain (head read inside the lock)", () =>
  withDir((dataDir) => {
    using a = AuditLog.open({ dataDir, account: "paper-1" });
    using b = AuditLog.open({ dataDir, account: "paper-1" });
    const events = sampleEvents(20);
    events.forEach((e, i) => (i % 2 ? a : b).append(e));
    assert.equal(a.head().seq, 20);
    assert.equal(a.verify().ok, true);
  }));

Deno.test("AuditLog: the head anchor follows every commit, with and without anchorSync; a new log starts at seq 0", () =>
  withDir((dataDir) => {
    for (const anchorSync of [false, true]) {
      using log = AuditLog.open({ dataDir, account: `a-${anchorSync}`, anchorSync });
      const anchor = (): unknown => JSON.parse(Deno.readTextFileSync(log.headPath));
      assert.deepEqual(anchor(), { seq: 0, hash: GENESIS_HASH });
      assert.equal(Deno.statSync(log.headPath).size, 256);
      const [e] = log.appendMany(sampleEvents(3)).slice(-1);
      assert.deepEqual(anchor(), { seq: 3, hash: e!.hash });
      assert.equal(Deno.statSync(log.headPath).size, 256);
    }
  }));
