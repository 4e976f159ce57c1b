import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { dirname } from "node:path";
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  AUDIT_KINDS,
  type AuditEvent,
  type AuditEventInput,
  AuditEventInputSchema,
  type AuditKind,
} from "./audit_event.ts";
import { GENESIS_HASH, hashEvent } from "./hash_event.ts";
import { redactSecrets } from "./redact_secrets.ts";
import { accountPaths, resolveDataDir } from "./_paths.ts";
import { listAccounts } from "./list_accounts.ts";

/** Options of {@link AuditLog.open}. */
export interface AuditLogOptions {
  /** The data dir. Default: env `SENTINEL_DATA_DIR`, else `data/store`. The log is `<dataDir>/_accounts/<account>/`. */
  dataDir?: string;
  /** The account (lower-case letters, digits, `-`, `_`). */
  account: string;
  /**
   * Open for reading only (SQLite `readOnly`): never blocks a writer, and any write through it fails. The log must
   * exist. Default false: the log is created if missing.
   */
  readOnly?: boolean;
  /** Strings replaced by `[redacted]` anywhere in a payload before it is stored (API keys, tokens). */
  secrets?: readonly string[];
  /** How long a writer waits for another process's append (SQLite busy timeout), ms. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * fdatasync the head anchor after every commit. Default false: the anchor is written after each commit (the page
   * cache keeps it across a process crash) and reaches the disk with the OS's writeback, so after a power cut it may
   * lag the chain by the last few seconds of commits (verify accepts a lagging anchor; a truncation of those events
   * would go unseen). True closes that window for a second fsync per append (about twice the append latency).
   */
  anchorSync?: boolean;
  /**
   * A secret key (16 bytes or more, kept outside the data dir) that signs the head anchor:
   * `HMAC-SHA256(key, "<account>:<seq>:<hash>")`. With it, verify also refuses an anchor that was rewritten to match
   * a rewritten or truncated chain, unless the forger holds the key. (It cannot refuse an older genuine anchor put
   * back after a truncation: keep an external copy of the head for that.) Writers and verifiers must use the same key.
   */
  hmacKey?: string | Uint8Array;
}

/** Filters of {@link AuditLog.query}; every filter narrows, results are ordered by `seq`. */
export interface AuditQuery {
  /** One kind. */
  kind?: AuditKind;
  /** Several kinds. */
  kinds?: readonly AuditKind[];
  /** Events with `ts >= from` (epoch ms). */
  from?: number;
  /** Events with `ts < to` (epoch ms, exclusive). */
  to?: number;
  /** Events with `seq > afterSeq` (the paging cursor). Default 0. */
  afterSeq?: number;
  /** At most this many events. Default 1000. */
  limit?: number;
  /** Events of one decision. */
  correlationId?: string;
  /** Events whose payload has this `symbol` (bars, signals, intents, fills; a `bars` event when it holds it). */
  symbol?: string;
}

/** Options of {@link AuditLog.tail}. */
export interface AuditTailOptions {
  /** Start after this seq (the last one the follower saw). Default 0: from the first event. */
  afterSeq?: number;
  /** Stops the iterator (it returns, no error). */
  signal?: AbortSignal;
  /** Poll interval when there is nothing new, ms. Default 100. */
  pollMs?: number;
}

/** The head of the chain: the last event's seq and hash (`seq` 0 and 64 zeros when empty). */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** The outcome of {@link AuditLog.verify}. */
export type AuditVerifyResult =
  | { ok: true; events: number; head: AuditHead; anchor: AuditHead | null; warnings: string[] }
  | { ok: false; events: number; firstBadSeq: number; reason: string; anchor: AuditHead | null; warnings: string[] };

interface Row {
  seq: number;
  ts: number;
  account: string;
  run_id: string;
  kind: string;
  correlation_id: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  account TEXT NOT NULL,
  run_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  correlation_id TEXT,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_kind ON events (kind, seq);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE INDEX IF NOT EXISTS events_correlation ON events (correlation_id) WHERE correlation_id IS NOT NULL;
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused'); END;
`;

const KINDS: ReadonlySet<string> = new Set(AUDIT_KINDS);

const COLUMNS = "seq, ts, account, run_id, kind, correlation_id, payload, prev_hash, hash";

/**
 * One account's append-only, hash-chained event log (SQLite through `node:sqlite`, WAL, `synchronous=FULL`).
 *
 * - **Durable when it returns**: {@link append} and {@link appendMany} commit (SQLite fsyncs the WAL) before they
 *   return the stored event(s). `appendMany` is one transaction: all events or none.
 * - **One process**: `append` and `appendMany` are synchronous, so the appends of one process are serialised.
 * - **Several writers**: every append runs in `BEGIN IMMEDIATE` (SQLite's write lock) and reads the head inside the
 *   transaction, so two processes appending to one account interleave whole events and the chain stays intact;
 *   a writer waits up to `busyTimeoutMs` for the other.
 * - **Append-only in the database too**: triggers abort any UPDATE or DELETE of `events`.
 * - **Head anchor**: after each commit the head `(seq, hash)` is written to `audit.head` (one 256-byte record
 *   overwritten in place; fdatasynced too with `anchorSync`),
 *   outside the events table, so {@link verify} sees a truncated tail. A crash between the commit and the anchor
 *   leaves the anchor one commit behind, which verify accepts: the anchor must be in the chain, and the chain must
 *   reach it.
 *
 * Open with `readOnly: true` to read (the lab, the MCP server, followers) without ever blocking the writer.
 *
 * - **No files left behind by readers**: SQLite gives any connection to a WAL database a `-wal` and a `-shm` file,
 *   creating them if missing, and only a connection that can write deletes them. So a writer that closes as the
 *   log's last connection checkpoints and switches it back to rollback-journal mode (`journal_mode=DELETE`): the
 *   closed log is the one `audit.sqlite` file, and a read-only open reads it and creates nothing. The next writer's
 *   open switches it to WAL again. If any other connection is open (a reader, a second writer), SQLite refuses the
 *   switch at once (busy timeout 0, so closing never waits): the log stays in WAL mode, which every connection
 *   reads, and the last writer to close switches it. A killed writer leaves the WAL mode and its files for the next
 *   writer, as before. A writer killed inside one of the two switches (about 1 ms each, at its open and its close)
 *   may leave a hot rollback journal: no event is lost, but read-only opens refuse, saying so, until a writer opens
 *   the log once and rolls it back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuditLog } from "./audit_log.ts";
 * const dataDir = await Deno.makeTempDir();
 * using writer = AuditLog.open({ dataDir, account: "paper-1" });
 * writer.append({ kind: "pause", runId: "r1", payload: { by: "rule", reason: "daily loss limit", rule: "daily_loss" } });
 * // A follower in another process resumes from the last seq it saw.
 * using reader = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
 * const stop = new AbortController();
 * setTimeout(() => writer.append({ kind: "resume", runId: "r1", payload: { by: "operator", reason: "checked" } }), 20);
 * const seen: string[] = [];
 * for await (const e of reader.tail({ afterSeq: 0, signal: stop.signal, pollMs: 10 })) {
 *   seen.push(`${e.seq} ${e.kind}`);
 *   if (e.seq === 2) stop.abort();
 * }
 * assert.deepEqual(seen, ["1 pause", "2 resume"]);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export class AuditLog {
  /** The account. */
  readonly account: string;
  /** The SQLite file. */
  readonly path: string;
  /** The head anchor file. */
  readonly headPath: string;
  /** True when opened with `readOnly`. */
  readonly readOnly: boolean;
  /**
   * The error of the last head-anchor write, if it failed (disk full, ...); cleared by the next successful one. The
   * append itself succeeded; only truncation detection lags until the anchor is written again.
   */
  anchorError: Error | undefined = undefined;
  #db: DatabaseSync;
  #secrets: readonly string[];
  #head: StatementSync;
  #insert: StatementSync;
  #closed = false;
  #anchor?: Deno.FsFile;
  #anchorSync: boolean;
  #key?: Uint8Array;

  private constructor(
    db: DatabaseSync,
    account: string,
    paths: { db: string; head: string },
    options: AuditLogOptions,
  ) {
    this.#db = db;
    this.account = account;
    this.path = paths.db;
    this.headPath = paths.head;
    this.readOnly = options.readOnly ?? false;
    this.#secrets = options.secrets ?? [];
    redactSecrets("", this.#secrets); // refuses too-short secrets at open, not at the first append
    this.#head = db.prepare("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
    this.#anchorSync = options.anchorSync ?? false;
    this.#key = hmacKey(options.hmacKey);
    // Prepared on read-only handles too: SQLite itself then refuses the write (not only this class).
    this.#insert = db.prepare(`INSERT INTO events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    if (!this.readOnly) this.#anchor = openAnchor(paths.head);
  }

  /**
   * Opens an account's log: creates it (folder, database, schema, triggers) unless `readOnly`. A read-only open of
   * an account without a log throws a `RangeError` that lists the accounts there are.
   */
  static open(options: AuditLogOptions): AuditLog {
    const dataDir = resolveDataDir(options.dataDir);
    const paths = accountPaths(dataDir, options.account);
    const busy = options.busyTimeoutMs ?? 5000;
    if (!Number.isInteger(busy) || busy < 0) {
      throw new RangeError(`Invalid busyTimeoutMs ${busy}: use a whole number of milliseconds >= 0`);
    }
    let db: DatabaseSync;
    if (options.readOnly) {
      try {
        Deno.statSync(paths.db);
      } catch {
        const known = listAccounts(dataDir);
        throw new RangeError(
          `No audit log for account ${JSON.stringify(options.account)} in ${dataDir}: ` +
            (known.length ? `known accounts: ${known.join(", ")}` : "there are no accounts yet"),
        );
      }
      db = new DatabaseSync(paths.db, { readOnly: true });
      db.exec(`PRAGMA busy_timeout=${busy}`);
      try {
        db.prepare("SELECT 1 FROM events LIMIT 1").get();
      } catch (e) {
        db.close();
        // A writer killed inside a rollback-journal transaction (its open's or close's switch of journal mode, see
        // the class doc) leaves a hot journal that only a connection that can write may roll back.
        if (exists(`${paths.db}-journal`)) {
          throw new Error(
            `The audit log of ${options.account} has a rollback journal left by a writer that was killed while ` +
              `switching journal modes (${paths.db}-journal); a read-only open cannot roll it back. Its events are ` +
              "safe: start the account's runner (or any writer of the account) once, which rolls it back, then read again",
            { cause: e },
          );
        }
        throw e;
      }
    } else {
      Deno.mkdirSync(paths.dir, { recursive: true });
      db = new DatabaseSync(paths.db);
      try {
        db.exec(`PRAGMA busy_timeout=${busy}; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;`);
        db.exec("BEGIN IMMEDIATE");
        try {
          db.exec(SCHEMA);
          // A new log gets its anchor (seq 0) before any event can exist, so a missing anchor is always tampering.
          if (db.prepare("SELECT 1 FROM events LIMIT 1").get() === undefined && !exists(paths.head)) {
            createAnchor(paths.head, sign(hmacKey(options.hmacKey), options.account, { seq: 0, hash: GENESIS_HASH }));
          }
          db.exec("COMMIT");
        } catch (e) {
          db.exec("ROLLBACK");
          throw e;
        }
      } catch (e) {
        db.close();
        throw e;
      }
    }
    try {
      return new AuditLog(db, options.account, paths, options);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** The last event's seq and hash (seq 0 and 64 zeros when the log is empty). */
  head(): AuditHead {
    this.#open();
    const r = this.#head.get() as { seq: number; hash: string } | undefined;
    return r ? { seq: r.seq, hash: r.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Validates, redacts and appends one event; returns it as stored (with `seq`, `ts`, `prevHash`, `hash`). Durable
   * when it returns. A malformed event throws a `TypeError` naming the field, and nothing is written.
   */
  append(event: AuditEventInput): AuditEvent {
    return this.appendMany([event])[0]!;
  }

  /**
   * Appends several events in one transaction (one fsync: group commit). All or nothing: if any event is malformed,
   * a `TypeError` names its index and field, and none is written.
   */
  appendMany(events: readonly AuditEventInput[]): AuditEvent[] {
    this.#open();
    if (!Array.isArray(events)) throw new TypeError("appendMany: pass an array of events");
    const now = Date.now();
    const prepared = events.map((e, i) => this.#validate(e, events.length > 1 ? i : -1, now));
    if (prepared.length === 0) return [];
    const db = this.#db;
    const out: AuditEvent[] = [];
    try {
      db.exec("BEGIN IMMEDIATE");
      // Read inside the write lock: another process may have appended since our last look.
      let { seq, hash } = this.head();
      for (const p of prepared) {
        const body = {
          seq: seq + 1,
          ts: p.ts,
          account: this.account,
          runId: p.runId,
          kind: p.kind,
          payload: p.payload,
        };
        const event = (p.correlationId === undefined
          ? { ...body, prevHash: hash }
          : { ...body, correlationId: p.correlationId, prevHash: hash }) as AuditEvent;
        event.hash = hashEvent(event);
        this.#insert.run(
          event.seq,
          event.ts,
          event.account,
          event.runId,
          event.kind,
          event.correlationId ?? null,
          JSON.stringify(event.payload),
          event.prevHash,
          event.hash,
        );
        out.push(event);
        seq = event.seq;
        hash = event.hash;
      }
      db.exec("COMMIT");
    } catch (e) {
      if (db.isTransaction) db.exec("ROLLBACK");
      if (this.readOnly) {
        throw new TypeError(
          `The audit log of ${this.account} is open read-only (${
            (e as Error).message
          }); open it without readOnly to append`,
          { cause: e },
        );
      }
      throw e;
    }
    const last = out[out.length - 1]!;
    // After the commit, never before: a crash in between leaves the anchor behind the chain (accepted), never ahead.
    // A failed anchor write must not throw: the events are committed, and a caller that saw an error would append
    // them again. The anchor then lags (accepted by verify) and the error is kept for the runner to report.
    try {
      const head = { seq: last.seq, hash: last.hash };
      writeAnchor(this.#anchor!, sign(this.#key, this.account, head), this.#anchorSync);
      this.anchorError = undefined;
    } catch (e) {
      this.anchorError = e as Error;
    }
    return out;
  }

  /** Events matching `q`, ordered by seq; page with `afterSeq: last.seq`. */
  query(q: AuditQuery = {}): AuditEvent[] {
    this.#open();
    const where: string[] = ["seq > ?"];
    const args: SQLInputValue[] = [int("afterSeq", q.afterSeq ?? 0)];
    const kinds = [...(q.kinds ?? []), ...(q.kind === undefined ? [] : [q.kind])];
    for (const k of kinds) {
      if (!AUDIT_KINDS.includes(k)) {
        throw new TypeError(`Unknown audit event kind ${JSON.stringify(k)}: use one of ${AUDIT_KINDS.join(", ")}`);
      }
    }
    if (kinds.length) {
      where.push(`kind IN (${kinds.map(() => "?").join(", ")})`);
      args.push(...kinds);
    }
    if (q.from !== undefined) {
      where.push("ts >= ?");
      args.push(int("from", q.from));
    }
    if (q.to !== undefined) {
      where.push("ts < ?");
      args.push(int("to", q.to));
    }
    if (q.correlationId !== undefined) {
      where.push("correlation_id = ?");
      args.push(q.correlationId);
    }
    if (q.symbol !== undefined) {
      // A `bars` event (the runner's batch) holds its symbols in an array.
      where.push(
        "(json_extract(payload, '$.symbol') = ? OR (kind = 'bars' AND EXISTS " +
          "(SELECT 1 FROM json_each(payload, '$.bars') WHERE json_extract(value, '$.symbol') = ?)))",
      );
      args.push(q.symbol, q.symbol);
    }
    const limit = q.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`Invalid limit ${limit}: use a whole number >= 1`);
    }
    args.push(limit);
    const sql = `SELECT ${COLUMNS} FROM events WHERE ${where.join(" AND ")} ORDER BY seq LIMIT ?`;
    return (this.#db.prepare(sql).all(...args) as unknown as Row[]).map(fromRow);
  }

  /** Every event after `afterSeq` (default 0), in seq order, read in pages of `pageSize` (default 10,000). */
  *events(options: { afterSeq?: number; pageSize?: number } = {}): Generator<AuditEvent> {
    let after = int("afterSeq", options.afterSeq ?? 0);
    const page = options.pageSize ?? 10_000;
    if (!Number.isInteger(page) || page < 1) throw new RangeError(`Invalid pageSize ${page}: use a whole number >= 1`);
    const stmt = this.#db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`);
    while (true) {
      this.#open();
      const rows = stmt.all(after, page) as unknown as Row[];
      for (const r of rows) yield fromRow(r);
      if (rows.length < page) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  /**
   * Follows the log live: yields every event after `afterSeq`, then waits for new ones (polling every `pollMs`),
   * until `signal` aborts. Resume a follower after a restart with the last seq it saw: none is lost, none seen twice.
   */
  async *tail(options: AuditTailOptions = {}): AsyncGenerator<AuditEvent> {
    let after = int("afterSeq", options.afterSeq ?? 0);
    const pollMs = options.pollMs ?? 100;
    const stmt = this.#db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT 1000`);
    const signal = options.signal;
    while (!signal?.aborted && !this.#closed) {
      const rows = stmt.all(after) as unknown as Row[];
      for (const r of rows) {
        if (signal?.aborted) return;
        yield fromRow(r);
        after = r.seq;
      }
      if (rows.length === 0) await sleep(pollMs, signal);
    }
  }

  /**
   * Checks the whole chain and the head anchor. Detects an edited, inserted, deleted or reordered event (its recomputed
   * hash, its `prevHash` link or a seq gap), and a truncated tail (the anchor's seq is past the end of the chain, or
   * its hash differs); returns the first bad seq and why. What it cannot detect: someone who rewrites the whole
   * chain from some seq on AND the anchor file consistently (keep an external copy of a head to catch that), and
   * events lost in the instant between a commit and its anchor write (the anchor lags by design).
   */
  verify(): AuditVerifyResult {
    this.#open();
    const read = readAnchor(this.headPath);
    const anchor = read === "unreadable" || read === null ? null : { seq: read.seq, hash: read.hash };
    const warnings: string[] = [];
    const triggers = this.#db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ('events_no_update', 'events_no_delete')",
    ).all() as { name: string }[];
    if (triggers.length < 2) warnings.push("the append-only triggers are missing: the database was altered");
    let expected = 1;
    let prevHash = GENESIS_HASH;
    let n = 0;
    const bad = (seq: number, reason: string): AuditVerifyResult => ({
      ok: false,
      events: n,
      firstBadSeq: seq,
      reason,
      anchor,
      warnings,
    });
    for (const r of this.#rows()) {
      if (r.seq !== expected) {
        return r.seq > expected
          ? bad(expected, `event ${expected} is missing (deleted): the next stored event is ${r.seq}`)
          : bad(r.seq, `seq ${r.seq} is out of order after ${expected - 1}`);
      }
      let event: AuditEvent;
      try {
        event = fromRow(r);
      } catch (e) {
        return bad(r.seq, `the payload is not JSON (${(e as Error).message}): the event was edited`);
      }
      if (r.account !== this.account) {
        return bad(r.seq, `the event names account ${JSON.stringify(r.account)}, not ${this.account}`);
      }
      if (!KINDS.has(r.kind)) {
        return bad(r.seq, `unknown kind ${JSON.stringify(r.kind)}: the event was edited or inserted`);
      }
      if (r.prev_hash !== prevHash) {
        return bad(
          r.seq,
          `prevHash does not link to event ${r.seq - 1}'s hash: an event was inserted, deleted or reordered here`,
        );
      }
      if (hashEvent(event) !== r.hash) {
        return bad(r.seq, "the hash does not match the event's content: the event or its hash was edited");
      }
      prevHash = r.hash;
      expected++;
      n++;
    }
    const head = { seq: expected - 1, hash: prevHash };
    if (read === "unreadable") {
      // The anchor is one whole-record write, so a crash never leaves half of it: this is tampering.
      return bad(head.seq + 1, `the head anchor ${this.headPath} is unreadable: it was edited`);
    }
    if (anchor && read) {
      if (this.#key) {
        const want = sign(this.#key, this.account, anchor).mac!;
        if (read.mac === undefined) {
          return bad(
            anchor.seq,
            "the head anchor is not signed though a key was given: it was replaced (or written without the key)",
          );
        }
        if (read.mac.length !== want.length || !timingSafeEqual(enc.encode(read.mac), enc.encode(want))) {
          return bad(
            anchor.seq,
            "the head anchor's signature does not match: the anchor was forged (or the key is another one)",
          );
        }
      } else if (read.mac !== undefined) {
        warnings.push("the head anchor is signed: pass its HMAC key to check the signature");
      }
      if (anchor.seq > head.seq) {
        return bad(
          head.seq + 1,
          `the tail was truncated: the chain ends at seq ${head.seq} but the head anchor records seq ${anchor.seq}`,
        );
      }
      const at = anchor.seq === 0
        ? GENESIS_HASH
        : (this.#db.prepare("SELECT hash FROM events WHERE seq = ?").get(anchor.seq) as { hash: string }).hash;
      if (at !== anchor.hash) {
        return bad(anchor.seq, `the head anchor's hash for seq ${anchor.seq} differs: the chain was rewritten`);
      }
    } else if (head.seq > 0) {
      return bad(
        head.seq + 1,
        `the head anchor ${this.headPath} is missing: it was deleted (the tail may be truncated)`,
      );
    }
    return { ok: true, events: n, head, anchor, warnings };
  }

  /**
   * Closes the database; idempotent. A running {@link tail} ends. A writer that is the log's last connection leaves
   * it in rollback-journal mode (see the class doc), so readers of the closed log create no file.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#anchor?.close();
    if (!this.readOnly) leaveWal(this.#db);
    this.#db.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** Every row in seq order, read in pages (twice as fast as a row-by-row iterator). */
  *#rows(pageSize = 10_000): Generator<Row> {
    const stmt = this.#db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`);
    let after = 0;
    while (true) {
      this.#open();
      const rows = stmt.all(after, pageSize) as unknown as Row[];
      yield* rows;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  #open(): void {
    if (this.#closed) throw new TypeError(`The audit log of ${this.account} is closed; open it again`);
  }

  #validate(
    input: AuditEventInput,
    index: number,
    now: number,
  ): { ts: number; runId: string; kind: AuditKind; payload: unknown; correlationId?: string } {
    const at = index >= 0 ? `event ${index}` : "event";
    if (input === null || typeof input !== "object") {
      throw new TypeError(`Invalid audit ${at}: expected an object, got ${input === null ? "null" : typeof input}`);
    }
    const kind = (input as { kind?: unknown }).kind;
    if (!AUDIT_KINDS.includes(kind as AuditKind)) {
      throw new TypeError(
        `Invalid audit ${at}: kind ${JSON.stringify(kind)} is not a known kind; use one of ${AUDIT_KINDS.join(", ")}`,
      );
    }
    const clean = this.#secrets.length ? redactSecrets(input, this.#secrets) : input;
    const r = AuditEventInputSchema.safeParse(clean);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const field = issue.path.map(String).join(".") || "(event)";
      throw new TypeError(`Invalid audit ${at} (kind ${kind}): ${field}: ${issue.message}`);
    }
    const d = r.data as { ts?: number; runId: string; kind: AuditKind; payload: unknown; correlationId?: string };
    const out = { ts: d.ts ?? now, runId: d.runId, kind: d.kind, payload: d.payload };
    return d.correlationId === undefined ? out : { ...out, correlationId: d.correlationId };
  }
}

/**
 * Checkpoints the WAL into the database file and switches to rollback-journal mode, deleting the `-wal` and `-shm`
 * files. SQLite needs an exclusive lock on the database for that, which it gets only when no other connection is
 * open; otherwise the switch fails and the log stays in WAL mode (a later last writer switches it). The checkpoint
 * is synced (`synchronous=FULL`) before the WAL is deleted, so a crash in between loses no event: the database is
 * then in WAL mode with no WAL, or holds a rollback journal that the next writer's open rolls back.
 */
function leaveWal(db: DatabaseSync): void {
  try {
    db.exec("PRAGMA busy_timeout=0");
    db.exec("PRAGMA journal_mode=DELETE");
  } catch {
    // Another connection is open (SQLITE_BUSY): it, or the last writer to close, keeps the WAL.
  }
}

function fromRow(r: Row): AuditEvent {
  const e: Record<string, unknown> = {
    seq: r.seq,
    ts: r.ts,
    account: r.account,
    runId: r.run_id,
    kind: r.kind,
    payload: JSON.parse(r.payload),
  };
  if (r.correlation_id !== null) e.correlationId = r.correlation_id;
  e.prevHash = r.prev_hash;
  e.hash = r.hash;
  return e as AuditEvent;
}

function int(name: string, v: number): number {
  if (!Number.isSafeInteger(v)) throw new RangeError(`Invalid ${name} ${v}: use a whole number`);
  return v;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

const enc = new TextEncoder();

/** The anchor's record: the head, signed when the log has an HMAC key. */
interface SignedHead extends AuditHead {
  mac?: string;
}

function hmacKey(key: string | Uint8Array | undefined): Uint8Array | undefined {
  if (key === undefined) return undefined;
  const bytes = typeof key === "string" ? enc.encode(key) : key;
  if (!(bytes instanceof Uint8Array) || bytes.length < 16) {
    throw new RangeError("hmacKey is too short: use a random key of 16 bytes or more (e.g. `openssl rand -hex 32`)");
  }
  return bytes;
}

function sign(key: Uint8Array | undefined, account: string, head: AuditHead): SignedHead {
  if (key === undefined) return { seq: head.seq, hash: head.hash };
  const mac = createHmac("sha256", key).update(`${account}:${head.seq}:${head.hash}`).digest("hex");
  return { seq: head.seq, hash: head.hash, mac };
}

/** The anchor is one fixed-size record, so every write covers the whole file at offset 0 (no truncate, no rename). */
const ANCHOR_BYTES = 256;

/** Opens (creating if missing) the anchor file for in-place writes. */
function openAnchor(path: string): Deno.FsFile {
  return Deno.openSync(path, { read: true, write: true, create: true });
}

/**
 * Overwrites the anchor in place (and fdatasyncs it when `sync`). One 256-byte write at offset 0 of a file whose size
 * never changes: a killed process never leaves half of it (the kernel completes a write call), and a power cut leaves
 * the old or the new record on disks whose sector writes are atomic (SQLite's default "powersafe overwrite"
 * assumption), never a torn one. The write comes after the commit returned, so the anchor is never ahead of the chain.
 */
function writeAnchor(file: Deno.FsFile, head: SignedHead, sync: boolean): void {
  const bytes = enc.encode(JSON.stringify(head).padEnd(ANCHOR_BYTES - 1) + "\n");
  file.seekSync(0, Deno.SeekMode.Start);
  let off = 0;
  while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
  if (sync) file.syncDataSync();
}

/** Creates the anchor of a new log (seq 0) durably: the file, then its folder entry. */
function createAnchor(path: string, head: SignedHead): void {
  const f = openAnchor(path);
  try {
    writeAnchor(f, head, false);
    f.syncSync();
  } finally {
    f.close();
  }
  try {
    const d = Deno.openSync(dirname(path), { read: true });
    try {
      d.syncSync();
    } finally {
      d.close();
    }
  } catch {
    // Some file systems refuse to fsync a folder; the anchor then may be lost by a power cut before the first event.
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function readAnchor(path: string): SignedHead | null | "unreadable" {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  try {
    const v = JSON.parse(text) as SignedHead;
    if (Number.isSafeInteger(v.seq) && v.seq >= 0 && typeof v.hash === "string") {
      return typeof v.mac === "string" ? { seq: v.seq, hash: v.hash, mac: v.mac } : { seq: v.seq, hash: v.hash };
    }
  } catch {
    // not JSON
  }
  return "unreadable";
}
