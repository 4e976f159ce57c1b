// Where `deno task lab` gets its token: --token-file, $SENTINEL_TOKEN, --token (warned), or a
// generated one in <data dir>/lab.token (mode 0600) when the lab listens beyond loopback.
import { checkToken, generateToken, isLoopback } from "../lib/http/_auth.ts";
import { ConfigError } from "../lib/types/mod.ts";

/** Inputs of {@link resolveLabToken}. */
export interface LabTokenOptions {
  /** The address the lab listens on. */
  host: string;
  /** The store directory; a generated token goes to `<dataDir>/lab.token`. */
  dataDir: string;
  /** `--token` (visible in `ps` and the task banner: accepted with a warning). */
  token?: string;
  /** `--token-file PATH`. */
  tokenFile?: string;
  /** `$SENTINEL_TOKEN`. */
  env?: string;
  /** Where warnings go; default `console.error`. */
  warn?: (message: string) => void;
}

/** The token the lab runs with and where it came from (never the token in `source`). */
export interface LabToken {
  token: string | undefined;
  /** `--token-file /path`, `SENTINEL_TOKEN`, `--token`, `generated`, or `none`. */
  source: string;
  /** The file holding the token when it was read from or written to one. */
  path?: string;
}

/**
 * Picks the lab token. Order: `--token-file`, then `--token`, then `$SENTINEL_TOKEN`; giving both
 * flags is an error. A lab on a non-loopback host with none of them reuses `<dataDir>/lab.token`
 * or writes a fresh random one there (mode 0600), so the token itself is never printed. Every
 * token is checked by the lab's policy (24 characters or more); errors name the source, never
 * the value.
 */
export async function resolveLabToken(o: LabTokenOptions): Promise<LabToken> {
  const warn = o.warn ?? ((m: string) => console.error(m));
  if (o.token !== undefined && o.tokenFile !== undefined) {
    throw new ConfigError("give --token-file or --token, not both (prefer --token-file or SENTINEL_TOKEN)");
  }
  if (o.tokenFile !== undefined) {
    let token: string;
    try {
      token = await readTokenFile(o.tokenFile, `--token-file ${o.tokenFile}`, warn);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new ConfigError(`--token-file ${o.tokenFile}: no such file; write the token there (chmod 600) first`);
      }
      throw e;
    }
    return { token, source: `--token-file ${o.tokenFile}`, path: o.tokenFile };
  }
  if (o.token !== undefined) {
    checkToken(o.token, "--token");
    warn(
      "warning: --token shows in `ps` and in the deno task banner; prefer SENTINEL_TOKEN or --token-file PATH",
    );
    return { token: o.token, source: "--token" };
  }
  if (o.env !== undefined && o.env !== "") {
    checkToken(o.env, "SENTINEL_TOKEN");
    return { token: o.env, source: "SENTINEL_TOKEN" };
  }
  if (isLoopback(o.host)) return { token: undefined, source: "none" };
  const path = `${o.dataDir.replace(/\/+$/, "")}/lab.token`;
  try {
    const token = await readTokenFile(path, path, warn);
    return { token, source: path, path };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  await Deno.mkdir(o.dataDir, { recursive: true });
  const token = generateToken();
  // createNew: never overwrite a file that appeared meanwhile; mode 0600: only this user reads it.
  await Deno.writeTextFile(path, `${token}\n`, { mode: 0o600, createNew: true });
  await Deno.chmod(path, 0o600); // the umask may have narrowed it further, never widened; be exact
  return { token, source: "generated", path };
}

async function readTokenFile(path: string, where: string, warn: (m: string) => void): Promise<string> {
  const stat = await Deno.stat(path);
  if (stat.mode !== null && (stat.mode & 0o077) !== 0) {
    warn(`warning: ${path} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}); chmod 600 ${path}`);
  }
  const token = (await Deno.readTextFile(path)).replace(/\r?\n$/, "");
  checkToken(token, where);
  return token;
}
