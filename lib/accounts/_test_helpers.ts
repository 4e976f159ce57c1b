// Test helpers: a temp data dir per test, and the raw bytes of an account's files for secret scans.
import { join } from "node:path";

export async function withDataDir(fn: (dataDir: string) => Promise<void> | void): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "accounts-" });
  try {
    await fn(dataDir);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** Every file of the account folder (database, WAL, anchor, config) as latin1 text, for substring scans. */
export function accountBytes(dataDir: string, name: string): string {
  const dir = join(dataDir, "_accounts", name);
  let out = "";
  for (const e of Deno.readDirSync(dir)) {
    if (e.isFile && e.name !== "account.json") {
      out += new TextDecoder("latin1").decode(Deno.readFileSync(join(dir, e.name)));
    }
  }
  return out;
}
