import { join } from "node:path";

/** Where cluster frames live under a data dir: `<dir>/_cluster/frames/<hash>.arrow` (the store skips `_` folders). */
export function framePath(dataDir: string, hash: string): string {
  return join(dataDir, "_cluster", "frames", `${hash}.arrow`);
}
