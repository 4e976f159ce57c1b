/**
 * `url` with its password replaced by `***`, for lines and records people read (`redis://:secret@host:6379` gives
 * `redis://:***@host:6379`); a URL that does not parse keeps its text but loses whatever stands between `//` and `@`
 * (the caller's error still names it, without a password typed with a stray character).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactRedisUrl } from "./mod.ts";
 * assert.equal(redactRedisUrl("redis://app:s3cret@10.0.0.5:6379/2"), "redis://app:***@10.0.0.5:6379/2");
 * assert.equal(redactRedisUrl("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
 * assert.equal(redactRedisUrl("redis://:s3cret@host:port"), "redis://***@host:port"); // not a URL: still masked
 * ```
 */
export function redactRedisUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//***@");
  }
  if (u.password === "") return url;
  u.password = "***";
  return u.href.replace("%2A%2A%2A@", "***@");
}
