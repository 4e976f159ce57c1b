// Stat rows in Redis: base64 of the Float64Array's bytes (bit-exact, NaN included; JSON would turn NaN into null).
import { Buffer } from "node:buffer";

export function rowsToText(out: Float64Array): string {
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString("base64");
}

export function rowsFromText(text: string): Float64Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 8 !== 0) throw new RangeError(`stored rows have ${bytes.length} bytes, not a multiple of 8`);
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
