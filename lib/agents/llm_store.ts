import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { resolveDataDir } from "../fs/mod.ts";
import { canonicalJson } from "../types/mod.ts";
import type { LlmRequest } from "./llm_gateway.ts";
import type { LlmUsage } from "./outcome.ts";
import { canonicalRequestJson, requestHash } from "./request_hash.ts";
import { sha256Hex } from "./_gateway_hash.ts";

/** The API's message body as stored: what the Messages API returned, minus nothing the pipeline reads. */
export interface LlmRawMessage {
  id?: string;
  type?: string;
  role?: string;
  model: string;
  content: unknown[];
  stop_reason: string | null;
  stop_sequence?: string | null;
  usage: Record<string, unknown>;
  [key: string]: unknown;
}

/** One stored call. */
export interface LlmStoreEntry {
  requestHash: string;
  /** The canonical request JSON that hashes to `requestHash`. */
  requestJson: string;
  response: LlmRawMessage;
  /** sha256 hex of the canonical JSON of `response`. */
  responseHash: string;
  model: string;
  stopReason: string;
  usage: LlmUsage;
  /** The call's price when recorded (batch discount included). */
  costUsd: number;
  /** Answered through Message Batches. */
  batch: boolean;
  /** Epoch ms it was stored. */
  createdAt: number;
}

/** A stored call without its request text: what {@link LlmStore.answer} reads for a replay. */
export type LlmStoreAnswer = Omit<LlmStoreEntry, "requestJson">;

/** What {@link LlmStore.put} takes. */
export interface LlmStorePut {
  request: LlmRequest;
  response: LlmRawMessage;
  usage: LlmUsage;
  costUsd: number;
  batch?: boolean;
}

/** Counts over the whole store. */
export interface LlmStoreStats {
  entries: number;
  usage: LlmUsage;
  costUsd: number;
  /** Entries per model. */
  models: Record<string, number>;
}

/** Options of {@link LlmStore.open}. */
export interface LlmStoreOptions {
  /** The SQLite file (`:memory:` for a throwaway store). Default `<dataDir>/agents/llm_store.sqlite`. */
  path?: string;
  /** The data dir for the default path (default `resolveDataDir()`). */
  dataDir?: string;
  /** Clock for `createdAt`. Default `Date.now`. */
  now?: () => number;
}

const SCHEMA_VERSION = 2;
const ANSWERS_CHUNK = 16;

/**
 * The content-addressed store of model calls: one row per request hash holding the canonical request, the API's
 * message body, its hash, usage and cost. Rows are never overwritten (`put` of a known hash keeps the first answer),
 * so a replay returns exactly what was recorded. SQLite in WAL mode with `synchronous=FULL`; every `put` is one
 * transaction, so a crash keeps a row whole or not at all. Only requests and responses enter it, never a credential.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LlmStore } from "./llm_store.ts";
 * using store = LlmStore.open({ path: ":memory:" });
 * const request = {
 *   model: "claude-haiku-4-5", maxTokens: 256, system: "s", messages: [{ role: "user" as const, content: "u" }],
 *   outputSchema: {}, templateVersion: "1",
 * };
 * const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 };
 * const response = { model: "claude-haiku-4-5", content: [{ type: "text", text: "{}" }], stop_reason: "end_turn", usage: {} };
 * const a = store.put({ request, response, usage, costUsd: 0.1 });
 * const b = store.put({ request, response: { ...response, stop_reason: "refusal" }, usage, costUsd: 0.1 });
 * assert.equal(a.inserted, true);
 * assert.equal(b.inserted, false); // the first answer is kept
 * assert.equal(store.get(a.entry.requestHash)?.stopReason, "end_turn");
 * assert.equal(store.stats().entries, 1);
 * ```
 */
export class LlmStore {
  /** The SQLite file. */
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  readonly #get: StatementSync;
  readonly #answer: StatementSync;
  readonly #has: StatementSync;
  readonly #insert: StatementSync;
  readonly #insertRequest: StatementSync;
  /** `IN (...)` reads of {@link answers} by key count. */
  readonly #answersBy = new Map<number, StatementSync>();

  private constructor(path: string, db: DatabaseSync, now: () => number) {
    this.path = path;
    this.#db = db;
    this.#now = now;
    this.#get = db.prepare(
      "SELECT c.*, r.request_json FROM llm_calls c JOIN llm_requests r USING (request_hash) WHERE c.request_hash = ?",
    );
    // A replay reads only the answer: the request text (8 KB for a debate prompt) stays in its overflow pages.
    this.#answer = db.prepare(
      `SELECT request_hash, response_json, response_hash, model, stop_reason, input_tokens, output_tokens,
         cache_read_tokens, cache_write_tokens, cost_usd, batch, created_at FROM llm_calls WHERE request_hash = ?`,
    );
    this.#has = db.prepare("SELECT 1 FROM llm_calls WHERE request_hash = ?");
    this.#insert = db.prepare(
      `INSERT INTO llm_calls (request_hash, response_json, response_hash, model, stop_reason,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, batch, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_hash) DO NOTHING`,
    );
    this.#insertRequest = db.prepare(
      "INSERT INTO llm_requests (request_hash, request_json) VALUES (?, ?) ON CONFLICT (request_hash) DO NOTHING",
    );
  }

  /** Opens (creating when needed) the store at `options.path` or `<dataDir>/agents/llm_store.sqlite`. */
  static open(options: LlmStoreOptions = {}): LlmStore {
    const path = options.path ?? join(resolveDataDir(options.dataDir), "agents", "llm_store.sqlite");
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path);
    try {
      // A replayed backtest reads tens of thousands of rows at random keys: with SQLite's 2 MB default page cache
      // and no mmap each read went through the kernel (260 us a read on a 650 MB store, 60 us with these, measured).
      db.exec(
        "PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;" +
          " PRAGMA mmap_size=1073741824;",
      );
      db.exec(`CREATE TABLE IF NOT EXISTS llm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS llm_calls (
          request_hash TEXT PRIMARY KEY,
          response_json TEXT NOT NULL,
          response_hash TEXT NOT NULL,
          model TEXT NOT NULL,
          stop_reason TEXT NOT NULL,
          input_tokens INTEGER NOT NULL,
          output_tokens INTEGER NOT NULL,
          cache_read_tokens INTEGER NOT NULL,
          cache_write_tokens INTEGER NOT NULL,
          cost_usd REAL NOT NULL,
          batch INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        );
        -- The request text (8 KB for a debate prompt) lives apart: a replay reads only answers, and rows that small
        -- keep a lookup to a few pages instead of a walk through overflow pages (schema 1 kept both in one row).
        CREATE TABLE IF NOT EXISTS llm_requests (request_hash TEXT PRIMARY KEY, request_json TEXT NOT NULL);
        INSERT OR IGNORE INTO llm_meta (key, value) VALUES ('schema_version', '${SCHEMA_VERSION}');`);
      const row = db.prepare("SELECT value FROM llm_meta WHERE key = 'schema_version'").get() as { value: string };
      if (Number(row.value) !== SCHEMA_VERSION) {
        const older = Number(row.value) < SCHEMA_VERSION;
        throw new RangeError(
          `${path}: LLM store schema version ${row.value}, this build reads ${SCHEMA_VERSION}: ` +
            (older
              ? "the store was written by an earlier build; move it aside (or pass --llm-store NEW_FILE) and record again"
              : "use a newer Sentinel, or pass --llm-store with another file"),
        );
      }
    } catch (e) {
      db.close();
      throw e;
    }
    return new LlmStore(path, db, options.now ?? Date.now);
  }

  /** The entry stored under `hash`, or undefined. */
  get(hash: string): LlmStoreEntry | undefined {
    const row = this.#get.get(hash) as Row | undefined;
    return row === undefined ? undefined : entryOf(row);
  }

  /** The entry stored under `hash` without its request text (what a replay needs), or undefined. */
  answer(hash: string): LlmStoreAnswer | undefined {
    const row = this.#answer.get(hash) as Omit<Row, "request_json"> | undefined;
    return row === undefined ? undefined : answerOf(row);
  }

  /**
   * The stored answers of several hashes in one query per 16 (absent ones are missing from the map): a debate round
   * asks every persona at once, and one `IN (...)` read costs about what one single-key read does (26 us for four
   * against 53 us, measured on a 59,400-entry store), node:sqlite's per-call cost being most of a read.
   */
  answers(hashes: readonly string[]): Map<string, LlmStoreAnswer> {
    const out = new Map<string, LlmStoreAnswer>();
    const unique = [...new Set(hashes)];
    for (let i = 0; i < unique.length; i += ANSWERS_CHUNK) {
      const chunk = unique.slice(i, i + ANSWERS_CHUNK);
      let st = this.#answersBy.get(chunk.length);
      if (st === undefined) {
        st = this.#db.prepare(
          `SELECT request_hash, response_json, response_hash, model, stop_reason, input_tokens, output_tokens,
             cache_read_tokens, cache_write_tokens, cost_usd, batch, created_at FROM llm_calls
           WHERE request_hash IN (${chunk.map(() => "?").join(", ")})`,
        );
        this.#answersBy.set(chunk.length, st);
      }
      for (const row of st.all(...chunk) as Omit<Row, "request_json">[]) out.set(row.request_hash, answerOf(row));
    }
    return out;
  }

  /** Whether `hash` is stored. */
  has(hash: string): boolean {
    return this.#has.get(hash) !== undefined;
  }

  /**
   * Stores a call under the hash of its request, in one transaction. A hash already present keeps its first entry
   * (`inserted: false`, and `entry` is the stored one), so a replayed run can never change a recorded answer.
   */
  put(call: LlmStorePut): { inserted: boolean; entry: LlmStoreEntry } {
    const hash = requestHash(call.request);
    const responseJson = canonicalJson(call.response);
    const u = call.usage;
    const createdAt = this.#now();
    const batch = call.batch === true;
    this.#db.exec("BEGIN IMMEDIATE");
    let inserted: boolean;
    try {
      const r = this.#insert.run(
        hash,
        responseJson,
        sha256Hex(responseJson),
        call.request.model,
        call.response.stop_reason ?? "",
        u.inputTokens,
        u.outputTokens,
        u.cacheReadTokens,
        u.cacheWriteTokens,
        call.costUsd,
        batch ? 1 : 0,
        createdAt,
      );
      inserted = Number(r.changes) === 1;
      if (inserted) this.#insertRequest.run(hash, canonicalRequestJson(call.request));
      this.#db.exec("COMMIT");
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    }
    return { inserted, entry: this.get(hash)! };
  }

  /** Entries, usage and cost over the whole store. */
  stats(): LlmStoreStats {
    const t = this.#db.prepare(
      `SELECT count(*) AS n, coalesce(sum(input_tokens), 0) AS i, coalesce(sum(output_tokens), 0) AS o,
         coalesce(sum(cache_read_tokens), 0) AS r, coalesce(sum(cache_write_tokens), 0) AS w,
         coalesce(sum(cost_usd), 0) AS c FROM llm_calls`,
    ).get() as Record<string, number>;
    const models: Record<string, number> = {};
    for (
      const m of this.#db.prepare("SELECT model, count(*) AS n FROM llm_calls GROUP BY model ORDER BY model").all()
    ) {
      models[String(m.model)] = Number(m.n);
    }
    return {
      entries: Number(t.n),
      usage: {
        inputTokens: Number(t.i),
        outputTokens: Number(t.o),
        cacheReadTokens: Number(t.r),
        cacheWriteTokens: Number(t.w),
      },
      costUsd: Number(t.c),
      models,
    };
  }

  /** Closes the database (idempotent). */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

interface Row {
  request_hash: string;
  request_json: string;
  response_json: string;
  response_hash: string;
  model: string;
  stop_reason: string;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
  batch: number;
  created_at: number;
}

function entryOf(row: Row): LlmStoreEntry {
  return { ...answerOf(row), requestJson: row.request_json };
}

function answerOf(row: Omit<Row, "request_json">): LlmStoreAnswer {
  return {
    requestHash: row.request_hash,
    response: JSON.parse(row.response_json) as LlmRawMessage,
    responseHash: row.response_hash,
    model: row.model,
    stopReason: row.stop_reason,
    usage: {
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cacheReadTokens: Number(row.cache_read_tokens),
      cacheWriteTokens: Number(row.cache_write_tokens),
    },
    costUsd: Number(row.cost_usd),
    batch: Number(row.batch) === 1,
    createdAt: Number(row.created_at),
  };
}
