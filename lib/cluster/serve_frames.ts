import { hashFrame } from "../backtest/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { frameToArrow } from "./_frame_ipc.ts";

/** Options of {@link serveFrames}. */
export interface ServeFramesOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  hostname?: string;
  /** Port. Default 0 (any free port). */
  port?: number;
  /** Host name workers use to reach this server (when `hostname` is 0.0.0.0). Default `hostname`. */
  advertise?: string;
}

/** A running frame server: `GET <url>/<hash>.arrow`. */
export interface FrameServer {
  /** Base URL for {@link ClusterSweepSpec.dataUrl}: `http://HOST:PORT/api/data`. */
  url: string;
  /** Makes a frame available by its hash; returns the hash. */
  add(frame: Frame): Promise<string>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * The coordinator's data route for workers that do not share its store: `GET /api/data/<hash>.arrow` answers the
 * frame added under that hash as Arrow IPC (404 for any other hash). Frames are encoded on first request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { loadFrameByHash, serveFrames } from "./mod.ts";
 * await using server = serveFrames();
 * const hash = await server.add(new Frame(new Float64Array([0, 1]), { close: new Float64Array([5, 6]) }));
 * const frame = await loadFrameByHash(hash, { dataUrl: server.url });
 * assert.deepEqual([...frame.close], [5, 6]);
 * ```
 */
export function serveFrames(options: ServeFramesOptions = {}): FrameServer {
  const frames = new Map<string, Frame>();
  const encoded = new Map<string, Uint8Array>();
  const hostname = options.hostname ?? "127.0.0.1";
  const server = Deno.serve({ hostname, port: options.port ?? 0, onListen: () => {} }, (req) => {
    const m = /^\/api\/data\/([0-9a-f]{64})\.arrow$/.exec(new URL(req.url).pathname);
    if (req.method !== "GET" || m === null) return new Response("not found\n", { status: 404 });
    const hash = m[1]!;
    const frame = frames.get(hash);
    if (frame === undefined) return new Response(`no frame ${hash}\n`, { status: 404 });
    let bytes = encoded.get(hash);
    if (bytes === undefined) encoded.set(hash, bytes = frameToArrow(frame));
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": "application/vnd.apache.arrow.file" },
    });
  });
  const port = (server.addr as Deno.NetAddr).port;
  const host = options.advertise ?? hostname;
  const close = async (): Promise<void> => {
    await server.shutdown().catch(() => {});
  };
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/api/data`,
    async add(frame) {
      const hash = await hashFrame(frame);
      frames.set(hash, frame);
      return hash;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
