import { basename, dirname, join } from "node:path";

/**
 * Writes text atomically: a temp file in the same folder, fsync, then into place, then fsync of the folder; a crash
 * leaves the old file or the new one, never half of one. `noReplace`: the temp file is hard-linked to `path`, which
 * fails with `AlreadyExists` when `path` exists (no window between a check and the write).
 */
export function writeTextAtomic(path: string, text: string, options: { noReplace?: boolean } = {}): void {
  const rand = crypto.getRandomValues(new Uint32Array(2));
  const tmp = join(
    dirname(path),
    `.tmp-${Deno.pid}-${rand[0]!.toString(36)}${rand[1]!.toString(36)}-${basename(path)}`,
  );
  try {
    const f = Deno.openSync(tmp, { write: true, createNew: true, mode: 0o600 });
    try {
      const bytes = new TextEncoder().encode(text);
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
  const d = Deno.openSync(dirname(path), { read: true });
  try {
    d.syncSync();
  } catch (e) {
    // Some platforms cannot fsync a folder; the rename is still atomic there.
    if (!(e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotSupported)) throw e;
  } finally {
    d.close();
  }
}
