import assert from "node:assert/strict";
import { hashFrame } from "../backtest/mod.ts";
import { Frame } from "../frame/mod.ts";
import { frameToArrow } from "./_frame_ipc.ts";
import { framePath } from "./_frame_path.ts";
import { FrameHashMismatchError, loadFrameByHash, publishFrame, serveFrames } from "./mod.ts";

const frameOf = (x: number): Frame =>
  new Frame(new Float64Array([0, 60_000, 120_000]), { close: new Float64Array([x, x + 1, NaN]) });

Deno.test("loadFrameByHash: fetched once, cached, bit for bit (NaN included)", async () => {
  const dir = await Deno.makeTempDir();
  const server = serveFrames();
  try {
    const frame = frameOf(1);
    const hash = await server.add(frame);
    const got = await loadFrameByHash(hash, { dataDir: dir, dataUrl: server.url });
    assert.equal(await hashFrame(got), hash);
    await server.close();
    // The server is gone: the cache answers.
    assert.equal(await hashFrame(await loadFrameByHash(hash, { dataDir: dir, dataUrl: server.url })), hash);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadFrameByHash: other data under a hash is an error, never used nor cached", async () => {
  const dir = await Deno.makeTempDir();
  const hash = await hashFrame(frameOf(1));
  const liar = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(frameToArrow(frameOf(2)) as Uint8Array<ArrayBuffer>),
  );
  try {
    const dataUrl = `http://127.0.0.1:${(liar.addr as Deno.NetAddr).port}/api/data`;
    await assert.rejects(loadFrameByHash(hash, { dataDir: dir, dataUrl }), FrameHashMismatchError);
    await assert.rejects(Deno.stat(framePath(dir, hash)), Deno.errors.NotFound);
    // A damaged file in a shared data dir: refused too.
    await publishFrame(dir, frameOf(3), hash);
    await assert.rejects(loadFrameByHash(hash, { dataDir: dir }), /hashes to [0-9a-f]{12}, not /);
    await assert.rejects(loadFrameByHash(hash, { dataDir: `${dir}/none` }), /no data URL is known/);
  } finally {
    await liar.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
