// A closed log is one database file: readers of it create nothing (no -wal, no -shm), and the switch back to
// rollback-journal mode a closing writer makes never waits for, breaks or loses anything of the other connections.
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { AuditLog } from "./mod.ts";
import { sampleEvents } from "./_test_events.ts";

const CHILD = new URL("./_append_child.ts", import.meta.url).pathname;

async function withDir(fn: (dataDir: string) => Promise<void> | void): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "audit-sidecars-" });
  try {
    await fn(dataDir);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** The account folder's files, sorted, each with its bytes' SHA-256. */
async function files(dataDir: string, account = "paper-1"): Promise<string[]> {
  const dir = join(dataDir, "_accounts", account);
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(join(dir, e.name))));
    out.push(`${e.name} ${Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("")}`);
  }
  return out.sort();
}

const names = async (dataDir: string): Promise<string[]> => (await files(dataDir)).map((f) => f.split(" ")[0]!);

function journalMode(dataDir: string): string {
  const db = new DatabaseSync(join(dataDir, "_accounts", "paper-1", "audit.sqlite"), { readOnly: true });
  try {
    return String(db.prepare("PRAGMA journal_mode").get()?.journal_mode);
  } finally {
    db.close();
  }
}

Deno.test("sidecars: a read-only session of a closed log creates no file and changes no byte", () =>
  withDir(async (dataDir) => {
    {
      using w = AuditLog.open({ dataDir, account: "paper-1" });
      w.appendMany(sampleEvents(50));
    }
    const before = await files(dataDir);
    assert.deepEqual(before.map((f) => f.split(" ")[0]), ["audit.head", "audit.sqlite"]);
    {
      using r = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
      assert.equal(r.head().seq, 50);
      assert.equal(r.query({ kind: "order_filled", limit: 5 }).length, 5);
      assert.equal([...r.events()].length, 50);
      assert.equal(r.verify().ok, true);
      const stop = new AbortController();
      let n = 0;
      for await (const _ of r.tail({ afterSeq: 45, signal: stop.signal, pollMs: 5 })) if (++n === 5) stop.abort();
      assert.throws(() => r.append(sampleEvents(1)[0]!), /open read-only/);
    }
    assert.deepEqual(await files(dataDir), before);
    assert.equal(journalMode(dataDir), "delete");
  }));

Deno.test("sidecars: a writer closing while a reader is open does not wait; the log stays WAL until the last writer", () =>
  withDir(async (dataDir) => {
    const w = AuditLog.open({ dataDir, account: "paper-1", busyTimeoutMs: 5_000 });
    w.appendMany(sampleEvents(10));
    const r = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    assert.equal(r.head().seq, 10);
    const t0 = performance.now();
    w.close();
    const closeMs = performance.now() - t0;
    assert.ok(closeMs < 1_000, `close waited ${closeMs} ms for the reader`);
    assert.equal(journalMode(dataDir), "wal");
    assert.deepEqual(await names(dataDir), ["audit.head", "audit.sqlite", "audit.sqlite-shm", "audit.sqlite-wal"]);
    assert.equal([...r.events()].length, 10);
    assert.equal(r.verify().ok, true);
    r.close();
    // The next writer that closes alone puts the log back into one file.
    {
      using w2 = AuditLog.open({ dataDir, account: "paper-1" });
      w2.append(sampleEvents(11)[10]!);
    }
    assert.deepEqual(await names(dataDir), ["audit.head", "audit.sqlite"]);
    using r2 = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    assert.equal(r2.verify().ok, true);
    assert.equal(r2.head().seq, 11);
  }));

Deno.test("sidecars: a reader opened on the closed log reads on across a writer's switch to WAL and back", () =>
  withDir((dataDir) => {
    AuditLog.open({ dataDir, account: "paper-1" }).close();
    using r = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    assert.equal(r.head().seq, 0);
    const pool = sampleEvents(40);
    for (let round = 0; round < 4; round++) {
      const t0 = performance.now();
      const w = AuditLog.open({ dataDir, account: "paper-1" });
      assert.ok(performance.now() - t0 < 1_000, "the idle reader does not hold the writer's open");
      for (let i = 0; i < 10; i++) {
        const e = w.append(pool[round * 10 + i]!);
        assert.equal(r.head().seq, e.seq, "the reader sees each commit");
      }
      w.close();
      assert.equal(r.query({ limit: 1_000 }).length, (round + 1) * 10);
    }
    assert.equal(r.verify().ok, true);
  }));

Deno.test("sidecars: of two writers, the first to close leaves the WAL to the other, which keeps appending", () =>
  withDir(async (dataDir) => {
    const a = AuditLog.open({ dataDir, account: "paper-1" });
    const b = AuditLog.open({ dataDir, account: "paper-1" });
    const pool = sampleEvents(6);
    a.append(pool[0]!);
    b.append(pool[1]!);
    a.close();
    assert.equal(journalMode(dataDir), "wal");
    b.appendMany(pool.slice(2));
    b.close();
    assert.deepEqual(await names(dataDir), ["audit.head", "audit.sqlite"]);
    using r = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    const v = r.verify();
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.equal(v.events, 6);
  }));

Deno.test("sidecars: a writer killed mid-append leaves WAL files that readers use; the next clean close removes them", () =>
  withDir(async (dataDir) => {
    AuditLog.open({ dataDir, account: "paper-1" }).close();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CHILD, dataDir, "paper-1", "killed"],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = child.stdout.getReader();
    let seen = "";
    while (!/\n\d+\n/.test(seen)) seen += new TextDecoder().decode((await reader.read()).value);
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel();
    assert.ok((await names(dataDir)).includes("audit.sqlite-wal"));
    const acknowledged = Math.max(...seen.trim().split("\n").map(Number));
    {
      using r = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
      const v = r.verify();
      assert.equal(v.ok, true, JSON.stringify(v));
      assert.ok(v.events >= acknowledged);
    }
    AuditLog.open({ dataDir, account: "paper-1" }).close();
    assert.deepEqual(await names(dataDir), ["audit.head", "audit.sqlite"]);
    const before = await files(dataDir);
    {
      using r = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
      assert.equal(r.verify().ok, true);
    }
    assert.deepEqual(await files(dataDir), before);
  }));

// A writer killed inside a rollback-journal transaction (the ~1 ms switch of journal mode at a writer's open or
// close) leaves a hot journal. Simulated here by a raw SQLite writer killed after its cache spilled into the file.
const HOT_JOURNAL_WRITER = `
import { DatabaseSync } from "node:sqlite";
const db = new DatabaseSync(Deno.args[0]);
db.exec("PRAGMA cache_size=2; BEGIN IMMEDIATE");
const ins = db.prepare("INSERT INTO events (seq, ts, account, run_id, kind, payload, prev_hash, hash) VALUES (?, 0, 'paper-1', 'x', 'bar', ?, '', '')");
for (let i = 0; i < 2000; i++) ins.run(1000000 + i, "x".repeat(500));
Deno.statSync(Deno.args[0] + "-journal");
console.log("spilled");
// A timer keeps the process alive until the SIGKILL: a bare pending promise would let it exit, and a normal exit
// closes the database, rolling the transaction back and deleting the journal this test needs.
setTimeout(() => {}, 600_000);
`;

Deno.test("sidecars: a hot journal of a killed writer: read-only opens say how to recover, the next writer rolls it back", () =>
  withDir(async (dataDir) => {
    {
      using w = AuditLog.open({ dataDir, account: "paper-1" });
      w.appendMany(sampleEvents(20));
    }
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", HOT_JOURNAL_WRITER, join(dataDir, "_accounts", "paper-1", "audit.sqlite")],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = child.stdout.getReader();
    assert.match(new TextDecoder().decode((await reader.read()).value), /spilled/);
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel();
    assert.ok((await names(dataDir)).includes("audit.sqlite-journal"), (await names(dataDir)).join());
    assert.throws(
      () => AuditLog.open({ dataDir, account: "paper-1", readOnly: true }),
      /rollback journal left by a writer that was killed .* start the account's runner \(or any writer/,
    );
    AuditLog.open({ dataDir, account: "paper-1" }).close();
    assert.deepEqual(await names(dataDir), ["audit.head", "audit.sqlite"]);
    using r = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    const v = r.verify();
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.equal(v.events, 20, "the killed transaction was rolled back");
  }));
