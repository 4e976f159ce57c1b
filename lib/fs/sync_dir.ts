/**
 * fsyncs a folder so a rename or unlink in it is durable. Platforms that cannot fsync a folder (Windows) are let
 * through: the rename is still atomic there, only its durability is weaker.
 *
 * @example
 * ```ts
 * import { syncDir, syncDirSync } from "./sync_dir.ts";
 * const dir = await Deno.makeTempDir();
 * await syncDir(dir);
 * syncDirSync(dir);
 * await Deno.remove(dir);
 * ```
 */
export async function syncDir(dir: string): Promise<void> {
  const d = await Deno.open(dir, { read: true });
  try {
    await d.sync();
  } catch (e) {
    if (!unsupported(e)) throw e;
  } finally {
    d.close();
  }
}

/** {@link syncDir} without awaiting: for writers that must finish before returning (synchronous APIs). */
export function syncDirSync(dir: string): void {
  const d = Deno.openSync(dir, { read: true });
  try {
    d.syncSync();
  } catch (e) {
    if (!unsupported(e)) throw e;
  } finally {
    d.close();
  }
}

function unsupported(e: unknown): boolean {
  return e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotSupported;
}
