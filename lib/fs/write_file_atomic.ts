import { dirname } from "node:path";
import { syncDir } from "./sync_dir.ts";
import { tempPathFor } from "./temp_path_for.ts";

/** Options of {@link writeFileAtomic} and {@link writeFileAtomicSync}. */
export interface WriteFileAtomicOptions {
  /**
   * Refuse to replace an existing file: the temp file is hard-linked to the path, which fails with `AlreadyExists`
   * when it exists (no window between a check and the write). Default false (renamed over it).
   */
  noReplace?: boolean;
  /** File mode of a new file, e.g. `0o600` for a file that may hold something private. Default: the umask's. */
  mode?: number;
}

/**
 * Writes `data` to `path` atomically: temp file, fsync, rename (or link with `noReplace`), fsync of the folder. A
 * crash at any point leaves the old file or the new one; the temp file is removed on failure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFileAtomic } from "./write_file_atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/x.bin`, new Uint8Array([1, 2, 3]), { mode: 0o600 });
 * assert.deepEqual([...await Deno.readFile(`${dir}/x.bin`)], [1, 2, 3]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const tmp = tempPathFor(path);
  try {
    const f = await Deno.open(tmp, { write: true, createNew: true, mode: options.mode });
    try {
      let off = 0;
      while (off < bytes.length) off += await f.write(bytes.subarray(off));
      await f.sync();
    } finally {
      f.close();
    }
    if (options.noReplace) {
      await Deno.link(tmp, path);
      await Deno.remove(tmp);
    } else {
      await Deno.rename(tmp, path);
    }
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  await syncDir(dirname(path));
}
