// The durable side of the job queue: one SQLite row per accepted job, written before the job is
// acknowledged, so a crash (kill -9, power loss) never loses a job that got its 202.
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { join, resolve } from "node:path";

/** A job as stored. `request` and `result` are JSON text (null when absent). */
export interface StoredJob {
  id: string;
  kind: string;
  label: string;
  state: "queued" | "running" | "done" | "failed" | "cancelled";
  /** The validated request the job was made from, JSON; null for jobs that cannot be re-made. */
  request: string | null;
  /** A small JSON summary of the result once done. */
  result: string | null;
  error: string | null;
  /** Times the job was started (a restart while running counts one). */
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Jobs kept in the store (finished ones beyond it are dropped when a lab starts). */
const KEEP = 10_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  state TEXT NOT NULL,
  request TEXT,
  result TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);
`;

/**
 * SQLite (`node:sqlite`) in WAL mode with `synchronous=FULL`: every write is fsynced before the
 * call returns, and the calls are synchronous, so {@link JobQueue.submit} stays synchronous and
 * a job is on disk before the request that made it is answered.
 */
export class JobStore {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #get: StatementSync;
  #open = true;

  /** Opens (creating) `<dir>/jobs.sqlite`, keeping the newest `keep` finished jobs. */
  constructor(dir: string, keep: number = KEEP) {
    if (typeof dir !== "string" || dir.length === 0 || dir.includes("\0")) {
      throw new TypeError(`Invalid jobs dir ${JSON.stringify(dir)}: pass a non-empty path without NUL bytes`);
    }
    Deno.mkdirSync(resolve(dir), { recursive: true });
    this.path = join(resolve(dir), "jobs.sqlite");
    this.#db = new DatabaseSync(this.path);
    // Another process (a second lab on the same data dir) may hold the write lock for a moment.
    this.#db.exec("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
    this.#db.exec(SCHEMA);
    // Finished jobs beyond the newest KEEP are dropped at open, so the file does not grow forever.
    this.#db.prepare(
      "DELETE FROM jobs WHERE state IN ('done', 'failed', 'cancelled') AND id NOT IN " +
        "(SELECT id FROM jobs ORDER BY rowid DESC LIMIT ?)",
    ).run(keep);
    this.#insert = this.#db.prepare(
      "INSERT INTO jobs (id, kind, label, state, request, attempts, created_at) VALUES (?, ?, ?, 'queued', ?, 0, ?)",
    );
    this.#get = this.#db.prepare("SELECT * FROM jobs WHERE id = ?");
  }

  /** Records a newly accepted job as queued. */
  insert(job: { id: string; kind: string; label: string; request: string | null; createdAt: Date }): void {
    this.#insert.run(job.id, job.kind, job.label, job.request, job.createdAt.toISOString());
  }

  /** Marks a job running (one more attempt). */
  started(id: string, at: Date): void {
    this.#db.prepare("UPDATE jobs SET state = 'running', started_at = ?, attempts = attempts + 1 WHERE id = ?")
      .run(at.toISOString(), id);
  }

  /** Records a final state. */
  finished(id: string, state: "done" | "failed" | "cancelled", at: Date, result: string | null, error: string | null) {
    this.#db.prepare("UPDATE jobs SET state = ?, finished_at = ?, result = ?, error = ? WHERE id = ?")
      .run(state, at.toISOString(), result, error, id);
  }

  /** Puts a job back to queued (the lab stopped before it finished; the next start resumes it). */
  requeue(id: string, undoAttempt: boolean): void {
    this.#db.prepare(
      `UPDATE jobs SET state = 'queued', started_at = NULL${
        undoAttempt ? ", attempts = MAX(attempts - 1, 0)" : ""
      } WHERE id = ?`,
    ).run(id);
  }

  /** One job, or undefined. */
  get(id: string): StoredJob | undefined {
    const row = this.#get.get(id) as Record<string, unknown> | undefined;
    return row === undefined ? undefined : toJob(row);
  }

  /** Jobs not finished (queued or running when the last process stopped), oldest first. */
  unfinished(): StoredJob[] {
    return (this.#db.prepare("SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY rowid")
      .all() as Record<string, unknown>[]).map(toJob);
  }

  /** The newest jobs, newest first. */
  recent(limit: number): StoredJob[] {
    return (this.#db.prepare("SELECT * FROM jobs ORDER BY rowid DESC LIMIT ?").all(limit) as Record<
      string,
      unknown
    >[]).map(toJob);
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#db.close();
  }
}

function toJob(r: Record<string, unknown>): StoredJob {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: String(r.id),
    kind: String(r.kind),
    label: String(r.label),
    state: String(r.state) as StoredJob["state"],
    request: text(r.request),
    result: text(r.result),
    error: text(r.error),
    attempts: Number(r.attempts),
    createdAt: String(r.created_at),
    startedAt: text(r.started_at),
    finishedAt: text(r.finished_at),
  };
}
