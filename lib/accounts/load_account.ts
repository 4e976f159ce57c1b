import { ConfigError } from "../types/mod.ts";
import type { Account } from "./account.ts";
import { configHash, parseAccountConfig } from "./_config.ts";
import { accountFiles, resolveDataDir } from "./_paths.ts";
import { listAccountConfigs } from "./list_account_configs.ts";

/** Options of {@link loadAccount}. */
export interface LoadAccountOptions {
  /** Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
  name: string;
}

/**
 * Reads and strictly parses an account's `account.json`. A missing account throws a `RangeError` listing the known
 * ones; malformed JSON, an unknown field or a bad value throws a `ConfigError` naming the file, the field path and
 * the reason; a file whose `name` is not its folder's is refused too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAccount, loadAccount } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * const made = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 5_000, quote: "USD" });
 * const acct = loadAccount({ dataDir, name: "paper-1" });
 * assert.equal(acct.configHash, made.configHash);
 * assert.equal(acct.config.startingCash, 5_000);
 * assert.throws(() => loadAccount({ dataDir, name: "nope" }), /no account "nope"/);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function loadAccount(options: LoadAccountOptions): Account {
  const dataDir = resolveDataDir(options.dataDir);
  const files = accountFiles(dataDir, options.name);
  let text: string;
  try {
    text = Deno.readTextFileSync(files.config);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      const known = listAccountConfigs({ dataDir }).map((a) => a.name);
      throw new RangeError(
        `no account ${JSON.stringify(options.name)} in ${dataDir} (${
          known.length ? `known: ${known.join(", ")}` : "no accounts yet"
        }); create it with \`deno task account create --name ${options.name}\``,
      );
    }
    throw new ConfigError(`account config ${files.config}: ${(e as Error).message}`);
  }
  const config = parseAccountConfig(text, `account config ${files.config}`);
  if (config.name !== options.name) {
    throw new ConfigError(
      `account config ${files.config}: name: ${JSON.stringify(config.name)} is not the account's folder ` +
        `${JSON.stringify(options.name)}; set it back to ${JSON.stringify(options.name)}`,
    );
  }
  return { dataDir, name: options.name, dir: files.dir, path: files.config, config, configHash: configHash(config) };
}
