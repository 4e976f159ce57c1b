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
