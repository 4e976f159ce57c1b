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

/** Writes a file and fsyncs it. */
export async function writeSynced(path: string, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const f = await Deno.open(path, { write: true, createNew: true });
  try {
    let off = 0;
    while (off < bytes.length) off += await f.write(bytes.subarray(off));
    await f.sync();
  } finally {
    f.close();
  }
}
