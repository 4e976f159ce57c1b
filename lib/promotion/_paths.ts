import { isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root folder (where deno.json is): two levels above this module. */
export const PROJECT_ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** Where notebook strategies are saved by default: `<project>/strategies`. */
export const DEFAULT_STRATEGIES_DIR: string = join(PROJECT_ROOT, "strategies");

/** A path as recorded in an event: relative to the project root when inside it (portable), else absolute. */
export function recordedPath(path: string): string {
  const rel = relative(PROJECT_ROOT, resolve(path));
  return rel.startsWith("..") || isAbsolute(rel) ? resolve(path) : rel;
}

/** A recorded path back to an absolute one. */
export function absolutePath(path: string): string {
  return isAbsolute(path) ? path : join(PROJECT_ROOT, path);
}

/** Lower-case hex SHA-256 of text. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}
