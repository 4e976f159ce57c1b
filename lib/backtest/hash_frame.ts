import type { Frame } from "../frame/mod.ts";

/**
 * SHA-256 (hex) of a frame's data, for the run manifest: the `ts` column, then every other
 * column in name order, each as its name, its length and its raw float64 bytes (little-endian
 * on every platform Deno runs on). Equal data gives equal hashes, whatever the column order or
 * whether the arrays are views; one changed bit changes the hash.
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
export async function hashFrame(frame: Frame): Promise<string> {
  const names = Object.keys(frame.columns).sort();
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  const add = (name: string, col: Float64Array): void => {
    const head = new Uint8Array(enc.encode(name).length + 9);
    head.set(enc.encode(name));
    // A NUL and the length separate name from data, so ("ab", [..]) and ("a", "b"+..) differ.
    new DataView(head.buffer).setFloat64(head.length - 8, col.length, true);
    parts.push(head, new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  };
  add("ts", frame.ts);
  for (const name of names) add(name, frame.columns[name]!);
  let total = 0;
  for (const p of parts) total += p.length;
  const all = new Uint8Array(total);
  let k = 0;
  for (const p of parts) {
    all.set(p, k);
    k += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
