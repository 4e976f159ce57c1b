import { createHash } from "node:crypto";
import type { Frame } from "../frame/mod.ts";
import { frameMemo } from "./_frame_memo.ts";

/**
 * SHA-256 (hex) of a frame's data, for the run manifest: the `ts` column, then every other
 * column in name order, each as its name, its length and its raw float64 bytes (little-endian
 * on every platform Deno runs on). Equal data gives equal hashes, whatever the column order or
 * whether the arrays are views; one changed bit changes the hash.
 *
 * Memoized per Frame object, since a frame is hashed by every run made on it: frames are
 * immutable by convention, and writing into a frame's arrays after hashing it is unsupported (a
 * changed length or first or last row is noticed and rehashed; other edits are not). Hash
 * `frame.slice()` (a new Frame over the same arrays) to force a fresh hash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { hashFrame } from "./hash_frame.ts";
 * const f = new Frame(new Float64Array([0, 1]), { close: new Float64Array([10, 11]) });
 * const g = new Frame(new Float64Array([0, 1]), { close: new Float64Array([10, 11.000000000000002]) });
 * assert.equal(await hashFrame(f), await hashFrame(f.slice()));
 * assert.notEqual(await hashFrame(f), await hashFrame(g));
 * assert.match(await hashFrame(f), /^[0-9a-f]{64}$/);
 * ```
 */
export function hashFrame(frame: Frame): Promise<string> {
  const memo = frameMemo(frame);
  // Synchronous on purpose: node:crypto hashes the columns where they lie, in one streamed digest,
  // 2-3x faster than WebCrypto, which needs them copied into one buffer first (and copies it again).
  return memo.hash ??= Promise.resolve(hashColumns(frame));
}

function hashColumns(frame: Frame): string {
  const h = createHash("sha256");
  const enc = new TextEncoder();
  const add = (name: string, col: Float64Array): void => {
    const nameBytes = enc.encode(name);
    const head = new Uint8Array(nameBytes.length + 9);
    head.set(nameBytes);
    // A NUL and the length separate name from data, so ("ab", [..]) and ("a", "b"+..) differ.
    new DataView(head.buffer).setFloat64(head.length - 8, col.length, true);
    h.update(head);
    h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  };
  add("ts", frame.ts);
  for (const name of Object.keys(frame.columns).sort()) add(name, frame.columns[name]!);
  return h.digest("hex");
}
