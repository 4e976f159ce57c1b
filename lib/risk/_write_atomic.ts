import { basename, dirname, join } from "node:path";

/** Writes text atomically: a temp file in the same folder, fsync, rename over `path`, fsync of the folder. */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
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
    await Deno.rename(tmp, path);
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
