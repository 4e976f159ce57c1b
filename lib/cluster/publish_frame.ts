import { join } from "node:path";
import { hashFrame } from "../backtest/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { frameToArrow } from "./_frame_ipc.ts";
import { framePath } from "./_frame_path.ts";

/**
 * Writes a frame as Arrow IPC to `<dataDir>/_cluster/frames/<hash>.arrow` (the store skips `_` folders), atomically;
 * a file already there is kept. Resolves to its path. Workers that share `dataDir` read it with loadFrameByHash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { publishFrame } from "./publish_frame.ts";
 * const dir = await Deno.makeTempDir();
 * const path = await publishFrame(dir, new Frame(new Float64Array([0]), { close: new Float64Array([1]) }));
 * assert.match(path, /_cluster\/frames\/[0-9a-f]{64}\.arrow$/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function publishFrame(dataDir: string, frame: Frame, hash?: string): Promise<string> {
  const h = hash ?? await hashFrame(frame);
  const path = framePath(dataDir, h);
  try {
    await Deno.stat(path);
    return path;
  } catch {
    // not there yet
  }
  await Deno.mkdir(join(dataDir, "_cluster", "frames"), { recursive: true });
  const tmp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeFile(tmp, frameToArrow(frame));
  await Deno.rename(tmp, path);
  return path;
}
