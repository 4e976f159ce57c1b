import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { hashFrame } from "./hash_frame.ts";

Deno.test("hashFrame is deterministic, order-independent over columns, and sensitive to every byte", async () => {
  const ts = new Float64Array([0, 60_000]);
  const a = new Frame(ts, { close: new Float64Array([1, 2]), open: new Float64Array([1, 2]) });
  const b = new Frame(ts, { open: new Float64Array([1, 2]), close: new Float64Array([1, 2]) });
  assert.equal(await hashFrame(a), await hashFrame(b));
  const c = new Frame(ts, { close: new Float64Array([1, 2]), open: new Float64Array([1, 2.0000000000000004]) });
  assert.notEqual(await hashFrame(a), await hashFrame(c));
  // Renaming a column changes the hash even with the same bytes.
  const d = new Frame(ts, { close: new Float64Array([1, 2]), opem: new Float64Array([1, 2]) });
  assert.notEqual(await hashFrame(a), await hashFrame(d));
  // A view over a larger buffer hashes its own rows only.
  const big = new Frame(new Float64Array([0, 60_000, 120_000]), {
    close: new Float64Array([1, 2, 3]),
    open: new Float64Array([1, 2, 3]),
  });
  assert.equal(await hashFrame(big.slice(0, 2)), await hashFrame(a));
});

Deno.test("hashFrame of an empty frame is the sha256 of the ts header", async () => {
  // "ts", NUL, float64 length 0 (8 zero bytes): 11 bytes, hashed independently here.
  const bytes = new Uint8Array([0x74, 0x73, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const want = Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
    (x) => x.toString(16).padStart(2, "0"),
  )
    .join("");
  assert.equal(await hashFrame(new Frame(new Float64Array(0), {})), want);
});

Deno.test("hashFrame hashes the bytes defined above (one streamed digest equals WebCrypto over the concatenation)", async () => {
  const ts = Float64Array.of(0, 60_000, 120_000);
  const f = new Frame(ts, { volume: Float64Array.of(1, 2, 3), close: Float64Array.of(10, 11, NaN) });
  const head = (name: string, n: number): Uint8Array => {
    const h = new Uint8Array(name.length + 9);
    h.set(new TextEncoder().encode(name));
    new DataView(h.buffer).setFloat64(name.length + 1, n, true);
    return h;
  };
  const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const parts = [head("ts", 3), bytes(ts), head("close", 3), bytes(f.close), head("volume", 3), bytes(f.volume)];
  const all = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((k, p) => (all.set(p, k), k + p.length), 0);
  const want = Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", all)),
    (x) => x.toString(16).padStart(2, "0"),
  ).join("");
  assert.equal(await hashFrame(f), want);
});

Deno.test("hashFrame is memoized per frame; a changed last row or a new Frame is rehashed", async () => {
  const close = Float64Array.of(10, 11, 12);
  const f = new Frame(Float64Array.of(0, 1, 2), { close });
  const first = hashFrame(f);
  assert.equal(hashFrame(f), first); // the same promise: hashed once
  const h = await first;
  close[2] = 13; // unsupported, but an edited last row (a live bar updated in place) is noticed
  const h2 = await hashFrame(f);
  assert.notEqual(h2, h);
  assert.equal(h2, await hashFrame(new Frame(Float64Array.of(0, 1, 2), { close: Float64Array.of(10, 11, 13) })));
  close[1] = 99; // a middle row is not noticed on f; a new Frame over the arrays sees it
  assert.equal(await hashFrame(f), h2);
  assert.notEqual(await hashFrame(f.slice()), h2);
});
