// The server's answers never name the local data dir: a client (and the model behind it) has no use for this
// machine's folders, and a path is a fact about the user that it was never asked to share. Messages from libraries
// (DuckDB's "File '/home/…/part-1.parquet' too small", the runs registry's "Unknown run id … in /…/_runs") are
// rewritten here, once, for tools, resources and prompts alike.

import { resolve } from "node:path";

/** What the data dir's path becomes in an answer. */
export const DATA_DIR_LABEL = "<data dir>";

/** Rewrites text and JSON values so that no spelling of one data dir's path is left in them. */
export interface Redactor {
  /** `text` with the data dir's path (as given, absolute and real) replaced by {@link DATA_DIR_LABEL}. */
  text(text: string): string;
  /** `value` if no string in it names the data dir, else a copy with each such string rewritten by `text`. */
  json<T>(value: T): T;
  /**
   * An error's message for a client: the path rewritten, and cut before an echo of SQL (DuckDB appends the query
   * after a blank line), which names our tables, not the client's mistake.
   */
  message(e: unknown): string;
}

/**
 * The redactor of `dataDir`: its spelling as given, its absolute path and, when it exists, its real path (a temp dir
 * behind a symlink is read through either).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactor } from "./_redact.ts";
 * const r = redactor("/srv/lab/data");
 * assert.equal(r.text("File '/srv/lab/data/_runs/x/equity.parquet' too small"), "File '<data dir>/_runs/x/equity.parquet' too small");
 * assert.deepEqual(r.json({ a: ["in /srv/lab/data"] }), { a: ["in <data dir>"] });
 * assert.equal(r.message(new Error("bad parquet\n\nLINE 1: SELECT * FROM read_parquet($1)")), "bad parquet");
 * ```
 */
export function redactor(dataDir: string): Redactor {
  const spellings = new Set<string>();
  for (const p of [dataDir, resolve(dataDir), realPath(dataDir)]) {
    if (p === undefined) continue;
    const trimmed = p.replace(/[\\/]+$/, "");
    // A root or empty dir would rewrite every slash; such a data dir names nothing private.
    if (trimmed.length > 1) spellings.add(trimmed);
  }
  // Longest first, so a real path that extends the given one is replaced whole.
  const paths = [...spellings].sort((a, b) => b.length - a.length);
  const names = (s: string): boolean => paths.some((p) => s.includes(p));
  const text = (s: string): string => {
    let out = s;
    for (const p of paths) if (out.includes(p)) out = out.replaceAll(p, DATA_DIR_LABEL);
    return out;
  };
  const deep = (v: unknown): unknown => {
    if (typeof v === "string") return names(v) ? text(v) : v;
    if (Array.isArray(v)) return v.map(deep);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = deep(x);
      return out;
    }
    return v;
  };
  return {
    text,
    // One serialisation to look: most answers name no path, and those keep their identity (no copy).
    json: <T>(value: T): T => (value !== undefined && names(JSON.stringify(value)) ? deep(value) as T : value),
    message(e: unknown): string {
      const raw = e instanceof Error ? e.message : String(e);
      const cut = raw.indexOf("\n\nLINE ");
      return text(cut >= 0 ? raw.slice(0, cut) : raw);
    },
  };
}

function realPath(p: string): string | undefined {
  try {
    return Deno.realPathSync(p);
  } catch {
    return undefined;
  }
}
