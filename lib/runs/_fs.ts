// File-system helpers for atomic writes: fsync files and folders so a rename is durable.

/** Flushes a file's data to disk. */
export async function syncFile(path: string): Promise<void> {
  const f = await Deno.open(path, { read: true });
  try {
    await f.sync();
  } finally {
    f.close();
  }
}

export { syncDir } from "../fs/mod.ts";
