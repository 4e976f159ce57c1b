import { basename, dirname, join } from "node:path";

/**
 * Writes text atomically: a temp file in the same folder, fsync, then into place, then fsync of the folder; a
 * crash leaves the old file or the new one. `noReplace`: the temp file is hard-linked to `path`, which fails
 * with `AlreadyExists` when `path` exists (no window between a check and the write); otherwise renamed over it.
 */
export async function writeTextAtomic(
  path: string,
  text: string,
  options: { noReplace?: boolean } = {},
): Promise<void> {
  const rand = crypto.getRandomValues(new Uint32Array(2));
  const tmp = join(
    dirname(path),
    `.tmp-${Deno.pid}-${rand[0]!.toString(36)}${rand[1]!.toString(36)}-${basename(path)}`,
  );
  const bytes = new TextEncoder().encode(text);
  try {
    const f = await Deno.open(tmp, { write: true, createNew: true });
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
  const d = await Deno.open(dirname(path), { read: true });
  try {
    await d.sync();
  } catch (e) {
    // Some platforms cannot fsync a folder; the rename is still atomic there.
    if (!(e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotSupported)) throw e;
  } finally {
    d.close();
  }
}
