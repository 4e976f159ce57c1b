import { dirname } from "node:path";
import { syncDirSync } from "./sync_dir.ts";
import { tempPathFor } from "./temp_path_for.ts";
import type { WriteFileAtomicOptions } from "./write_file_atomic.ts";

/**
 * {@link writeFileAtomic} without awaiting, for callers whose API is synchronous (an account created next to a
 * synchronous SQLite audit append).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFileAtomicSync } from "./write_file_atomic_sync.ts";
 * const dir = Deno.makeTempDirSync();
 * writeFileAtomicSync(`${dir}/a.txt`, "one");
 * assert.throws(() => writeFileAtomicSync(`${dir}/a.txt`, "two", { noReplace: true }), Deno.errors.AlreadyExists);
 * assert.equal(Deno.readTextFileSync(`${dir}/a.txt`), "one");
 * Deno.removeSync(dir, { recursive: true });
 * ```
 */
export function writeFileAtomicSync(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): void {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const tmp = tempPathFor(path);
  try {
    const f = Deno.openSync(tmp, { write: true, createNew: true, mode: options.mode });
    try {
      let off = 0;
      while (off < bytes.length) off += f.writeSync(bytes.subarray(off));
      f.syncSync();
    } finally {
      f.close();
    }
    if (options.noReplace) {
      Deno.linkSync(tmp, path);
      Deno.removeSync(tmp);
    } else {
      Deno.renameSync(tmp, path);
    }
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch { /* already gone */ }
    throw e;
  }
  syncDirSync(dirname(path));
}
