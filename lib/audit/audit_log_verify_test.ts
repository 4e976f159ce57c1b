// Tampering: each way of altering the file is detected by verify() with the right first bad seq.
import assert from "node:assert/strict";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { AuditLog, type AuditVerifyResult, hashEvent } from "./mod.ts";
import { sampleEvents } from "./_test_events.ts";

/** A clean 10-event log, then `tamper` on the raw SQLite file with the triggers dropped (as an attacker would). */
async function tampered(
  tamper: (db: DatabaseSync, log: { path: string; headPath: string }) => void,
  keepTriggers = false,
): Promise<AuditVerifyResult> {
  const dataDir = await Deno.makeTempDir({ prefix: "audit-tamper-" });
  try {
    const log = AuditLog.open({ dataDir, account: "paper-1" });
    log.appendMany(sampleEvents(5));
    for (const e of sampleEvents(10).slice(5)) log.append(e);
    log.close();
    const db = new DatabaseSync(log.path);
    try {
      if (!keepTriggers) db.exec("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;");
      tamper(db, log);
    } finally {
      db.close();
    }
    using ro = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    return ro.verify();
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

function assertBad(r: AuditVerifyResult, seq: number, reason: RegExp): void {
  assert.equal(r.ok, false, `expected a broken chain, got ${JSON.stringify(r)}`);
  if (r.ok) return;
  assert.equal(r.firstBadSeq, seq, r.reason);
  assert.match(r.reason, reason);
}

type Row = Record<string, SQLInputValue>;
const row = (db: DatabaseSync, seq: number): Row =>
  ({ ...db.prepare("SELECT * FROM events WHERE seq = ?").get(seq) }) as Row;

Deno.test("verify: a clean log verifies (and its triggers are intact)", async () => {
  const r = await tampered(() => {}, true);
  assert.equal(r.ok, true);
  assert.equal(r.events, 10);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.ok && r.head.seq, 10);
});

Deno.test("verify: an edited payload is named at its seq", async () => {
  const r = await tampered((db) =>
    db.exec(`UPDATE events SET payload = replace(payload, '"qty":1', '"qty":2') WHERE seq = 4`)
  );
  assertBad(r, 4, /hash does not match the event's content/);
});

Deno.test("verify: an edited hash is named at its seq", async () => {
  const r = await tampered((db) => db.exec(`UPDATE events SET hash = '${"b".repeat(64)}' WHERE seq = 5`));
  assertBad(r, 5, /hash does not match/);
});

Deno.test("verify: an edited time, run id, kind or account is named", async () => {
  assertBad(await tampered((db) => db.exec("UPDATE events SET ts = ts + 1 WHERE seq = 2")), 2, /hash does not match/);
  assertBad(await tampered((db) => db.exec("UPDATE events SET run_id = 'x' WHERE seq = 3")), 3, /hash does not match/);
  assertBad(
    await tampered((db) => db.exec("UPDATE events SET kind = 'order_cancelled' WHERE seq = 7")),
    7,
    /hash does not match/,
  );
  assertBad(await tampered((db) => db.exec("UPDATE events SET account = 'other' WHERE seq = 6")), 6, /account/);
  assertBad(await tampered((db) => db.exec("UPDATE events SET payload = '{' WHERE seq = 7")), 7, /not JSON/);
});

Deno.test("verify: a naively inserted row (appended at the end with a made-up hash) is named", async () => {
  const r = await tampered((db) => {
    const last = row(db, 10);
    db.prepare("INSERT INTO events VALUES (11, ?, ?, ?, ?, ?, ?, ?, ?)").run(
      last.ts!,
      last.account!,
      last.run_id!,
      last.kind!,
      last.correlation_id!,
      last.payload!,
      last.hash!,
      "c".repeat(64),
    );
  });
  assertBad(r, 11, /hash does not match/);
});

Deno.test("verify: a row inserted in the middle with a correct hash breaks the link of the next event", async () => {
  const r = await tampered((db) => {
    db.exec("UPDATE events SET seq = -seq WHERE seq >= 6; UPDATE events SET seq = 1 - seq WHERE seq < 0");
    const prev = row(db, 5);
    const fake = {
      seq: 6,
      ts: Number(prev.ts),
      account: "paper-1",
      runId: "run-1",
      kind: "pause" as const,
      payload: { by: "operator" as const, reason: "inserted" },
      prevHash: String(prev.hash),
    };
    db.prepare("INSERT INTO events VALUES (6, ?, 'paper-1', 'run-1', 'pause', NULL, ?, ?, ?)").run(
      fake.ts,
      JSON.stringify(fake.payload),
      fake.prevHash,
      hashEvent(fake),
    );
  });
  // Event 6 is self-consistent; the chain breaks at 7 (the old 6, whose prevHash and seq no longer fit).
  assertBad(r, 7, /prevHash does not link to event 6/);
});

Deno.test("verify: a deleted middle row is named as missing", async () => {
  const r = await tampered((db) => db.exec("DELETE FROM events WHERE seq = 5"));
  assertBad(r, 5, /event 5 is missing \(deleted\): the next stored event is 6/);
});

Deno.test("verify: two reordered rows are named at the first", async () => {
  const r = await tampered((db) => {
    db.exec("UPDATE events SET seq = 100 WHERE seq = 3; UPDATE events SET seq = 3 WHERE seq = 4");
    db.exec("UPDATE events SET seq = 4 WHERE seq = 100");
  });
  assertBad(r, 3, /prevHash does not link to event 2/);
});

Deno.test("verify: a truncated tail is named by the head anchor", async () => {
  const r = await tampered((db) => db.exec("DELETE FROM events WHERE seq >= 9"));
  assertBad(r, 9, /tail was truncated: the chain ends at seq 8 but the head anchor records seq 10/);
});

Deno.test("verify: dropping the triggers and editing is detected, and the missing triggers are reported", async () => {
  const r = await tampered((db) =>
    db.exec(`UPDATE events SET payload = replace(payload, 'fast above slow', 'slow') WHERE seq = 3`)
  );
  assertBad(r, 3, /hash does not match/);
  assert.match(r.warnings.join(), /append-only triggers are missing/);
});

Deno.test("verify: an anchor one commit behind (crash between commit and anchor write) is no false alarm", async () => {
  const r = await tampered((db, log) => {
    const h = row(db, 8);
    Deno.writeTextFileSync(log.headPath, JSON.stringify({ seq: 8, hash: h.hash }));
  }, true);
  assert.equal(r.ok, true);
  assert.deepEqual(r.anchor?.seq, 8);
});

Deno.test("verify: an anchor whose hash is not in the chain, or an unreadable anchor, is named", async () => {
  assertBad(
    await tampered((_db, log) =>
      Deno.writeTextFileSync(log.headPath, JSON.stringify({ seq: 7, hash: "d".repeat(64) }))
    ),
    7,
    /anchor's hash for seq 7 differs/,
  );
  assertBad(await tampered((_db, log) => Deno.writeTextFileSync(log.headPath, "{")), 11, /anchor .* is unreadable/);
});

Deno.test("verify: LIMIT: a whole chain rewritten consistently with its anchor is not detected (needs an external head)", async () => {
  const r = await tampered((db, log) => {
    // Truncate to 8 and rewrite the anchor to the new head: self-consistent, so verify passes.
    db.exec("DELETE FROM events WHERE seq >= 9");
    Deno.writeTextFileSync(log.headPath, JSON.stringify({ seq: 8, hash: row(db, 8).hash }));
  });
  assert.equal(r.ok, true);
  assert.match(r.warnings.join(), /triggers are missing/); // only the dropped triggers give it away
});

Deno.test("verify: a deleted anchor is named (a new log has one before its first event)", async () => {
  assertBad(await tampered((_db, log) => Deno.removeSync(log.headPath)), 11, /head anchor .* is missing/);
  assertBad(
    await tampered((db, log) => {
      db.exec("DELETE FROM events WHERE seq >= 9");
      Deno.removeSync(log.headPath);
    }),
    9,
    /head anchor .* is missing/,
  );
});

Deno.test("verify with an HMAC key: a chain truncated with its anchor rewritten is caught; without the key it is not", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "audit-hmac-" });
  const hmacKey = "k".repeat(32);
  try {
    const log = AuditLog.open({ dataDir, account: "paper-1", hmacKey });
    log.appendMany(sampleEvents(10));
    log.close();
    const check = (key?: string): AuditVerifyResult => {
      using ro = AuditLog.open({ dataDir, account: "paper-1", readOnly: true, hmacKey: key });
      return ro.verify();
    };
    assert.equal(check(hmacKey).ok, true);
    const unkeyed = check();
    assert.equal(unkeyed.ok, true);
    assert.match(unkeyed.warnings.join(), /anchor is signed: pass its HMAC key/);
    assertBad(check("x".repeat(32)), 10, /signature does not match/);

    // The forger truncates to 8 and rewrites the anchor, without the key: once unsigned, once with a made-up MAC.
    const db = new DatabaseSync(`${dataDir}/_accounts/paper-1/audit.sqlite`);
    db.exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq >= 9");
    const h8 = String(row(db, 8).hash);
    db.close();
    const headPath = `${dataDir}/_accounts/paper-1/audit.head`;
    Deno.writeTextFileSync(headPath, JSON.stringify({ seq: 8, hash: h8 }));
    assert.equal(check().ok, true); // the documented limit without a key
    assertBad(check(hmacKey), 8, /anchor is not signed though a key was given/);
    Deno.writeTextFileSync(headPath, JSON.stringify({ seq: 8, hash: h8, mac: "0".repeat(64) }));
    assertBad(check(hmacKey), 8, /signature does not match: the anchor was forged/);

    assert.throws(() => AuditLog.open({ dataDir, account: "paper-1", hmacKey: "short" }), /hmacKey is too short/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
