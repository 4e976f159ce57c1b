import { basename, dirname, join } from "node:path";

/** Prefix of every temp file an atomic write makes: `.tmp-<pid>-<random>-<name>`. */
export const TEMP_PREFIX = ".tmp-";

/**
 * A fresh temp path next to `target` (same folder, so the rename into place is atomic).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tempPathFor } from "./temp_path_for.ts";
 * assert.match(tempPathFor("/d/a.json"), /^\/d\/\.tmp-\d+-[0-9a-z]+-a\.json$/);
 * ```
 */
export function tempPathFor(target: string): string {
  const rand = crypto.getRandomValues(new Uint32Array(2));
  return join(
    dirname(target),
    `${TEMP_PREFIX}${Deno.pid}-${rand[0]!.toString(36)}${rand[1]!.toString(36)}-${basename(target)}`,
  );
}
