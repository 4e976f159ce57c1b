/**
 * Crash-safe file writes shared by every module that keeps state on disk (the store, the runs registry, account and
 * risk configs): a temp file in the same folder, fsync, an atomic rename (or a hard link that refuses to replace),
 * then an fsync of the folder, so a crash leaves the old file or the new one, never half of one. Temp files are named
 * `.tmp-<pid>-<random>-<name>`, which the store's cleanup recognises.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFileAtomic } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/a.json`, '{"v":1}');
 * await writeFileAtomic(`${dir}/a.json`, '{"v":2}');
 * assert.equal(await Deno.readTextFile(`${dir}/a.json`), '{"v":2}');
 * await assert.rejects(writeFileAtomic(`${dir}/a.json`, "{}", { noReplace: true }), Deno.errors.AlreadyExists);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
export * from "./resolve_data_dir.ts";
export * from "./sync_dir.ts";
export * from "./temp_path_for.ts";
export * from "./write_file_atomic.ts";
export * from "./write_file_atomic_sync.ts";
