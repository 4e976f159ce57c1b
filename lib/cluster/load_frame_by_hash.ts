import { hashFrame } from "../backtest/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { frameFromArrow } from "./_frame_ipc.ts";
import { framePath } from "./_frame_path.ts";
import { FrameHashMismatchError } from "./frame_hash_mismatch_error.ts";
import { publishFrame } from "./publish_frame.ts";

/** Options of {@link loadFrameByHash}. */
export interface LoadFrameByHashOptions {
  /** The worker's data dir: looked in first (a shared store), and where a fetched frame is cached. */
  dataDir?: string;
  /** Base URL that serves `GET <dataUrl>/<hash>.arrow` (the coordinator), or null. */
  dataUrl?: string | null;
  signal?: AbortSignal;
}

/**
 * The frame whose `hashFrame` is `hash`: from `<dataDir>/_cluster/frames/<hash>.arrow` when the worker shares the
 * coordinator's store, else fetched once from the coordinator as Arrow IPC and cached there. The decoded frame is
 * hashed again: a mismatch is a {@link FrameHashMismatchError} (a damaged cache file is not used, a bad download is not
 * cached), never a silent run on other data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { hashFrame } from "../backtest/mod.ts";
 * import { loadFrameByHash, publishFrame } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * const frame = new Frame(new Float64Array([0, 60_000]), { close: new Float64Array([1, 2]) });
 * await publishFrame(dir, frame);
 * const back = await loadFrameByHash(await hashFrame(frame), { dataDir: dir });
 * assert.deepEqual(back.close, frame.close);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadFrameByHash(hash: string, options: LoadFrameByHashOptions = {}): Promise<Frame> {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new TypeError(`frame hash ${JSON.stringify(hash)} is not a SHA-256 hex`);
  const { dataDir, dataUrl } = options;
  if (dataDir !== undefined) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await Deno.readFile(framePath(dataDir, hash));
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (bytes !== undefined) return await checked(bytes, hash, framePath(dataDir, hash));
  }
  if (!dataUrl) {
    throw new TypeError(
      `frame ${hash.slice(0, 12)} is not in ${
        dataDir ? framePath(dataDir, hash) : "(no data dir)"
      } and no data URL is known: share the coordinator's data dir (--data-dir) or let it serve the data`,
    );
  }
  const url = `${dataUrl.replace(/\/$/, "")}/${hash}.arrow`;
  const res = await fetch(url, options.signal ? { signal: options.signal } : {});
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`fetching frame ${hash.slice(0, 12)} from ${url} failed: HTTP ${res.status}`);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  const frame = await checked(bytes, hash, url);
  if (dataDir !== undefined) await publishFrame(dataDir, frame, hash);
  return frame;
}

async function checked(bytes: Uint8Array, hash: string, where: string): Promise<Frame> {
  const frame = frameFromArrow(bytes);
  const got = await hashFrame(frame);
  if (got !== hash) {
    throw new FrameHashMismatchError(
      `data from ${where} hashes to ${got.slice(0, 12)}, not ${hash.slice(0, 12)}: refusing to evaluate on other ` +
        `data (delete the file or check the coordinator)`,
    );
  }
  return frame;
}
