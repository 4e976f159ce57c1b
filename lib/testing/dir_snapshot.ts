import { join } from "node:path";

/**
 * Every file and folder under `root`: a file's SHA-256, size and modification time, a folder as `"dir"`. Two
 * snapshots are equal only if nothing was written, touched, added or removed (see {@link snapshotChanges}), which is
 * how the read-only surfaces (the MCP server, read-only stores, registries and audit logs) prove they write nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dirSnapshot, snapshotChanges } from "./dir_snapshot.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "a");
 * const before = await dirSnapshot(dir);
 * await Deno.readTextFile(`${dir}/a.txt`);
 * assert.deepEqual(snapshotChanges(before, await dirSnapshot(dir)), []);
 * await Deno.writeTextFile(`${dir}/b.txt`, "b");
 * assert.deepEqual(snapshotChanges(before, await dirSnapshot(dir)), [`added ${dir}/b.txt`]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function dirSnapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for await (const e of Deno.readDir(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) {
        out.set(path, "dir");
        await walk(path);
      } else if (e.isFile) {
        const [bytes, st] = await Promise.all([Deno.readFile(path), Deno.lstat(path)]);
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
        out.set(path, `${hex}:${bytes.length}:${st.mtime?.getTime()}`);
      } else out.set(path, "other");
    }
  };
  await walk(root);
  return out;
}

/** What differs between two {@link dirSnapshot}s, one line per path (`changed`, `added`, `removed`); empty if none. */
export function snapshotChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [path, v] of before) {
    const now = after.get(path);
    if (now === undefined) out.push(`removed ${path}`);
    else if (now !== v) out.push(`changed ${path}`);
  }
  for (const path of after.keys()) if (!before.has(path)) out.push(`added ${path}`);
  return out;
}
