import { Vault, VaultError } from "../vault/mod.ts";
import { LlmConfigError } from "./llm_errors.ts";

/** The environment variable read first. */
export const ANTHROPIC_KEY_ENV = "ANTHROPIC_API_KEY";
/** The vault entry read next: its `secret` field is the key. */
export const ANTHROPIC_VAULT_ENTRY = "anthropic";

/** Options of {@link anthropicKey}. */
export interface AnthropicKeyOptions {
  /** The data dir holding the vault (default `resolveDataDir()`). */
  dataDir?: string;
  /** The vault passphrase (default env `SENTINEL_VAULT_PASSPHRASE`, as for brokers; no prompt is shown). */
  passphrase?: string;
  /** The vault entry's name. Default {@link ANTHROPIC_VAULT_ENTRY}. */
  vaultEntry?: string;
  /** Read `ANTHROPIC_API_KEY` (default true; false in tests that need the vault path). */
  env?: boolean;
}

/**
 * The Anthropic API key: `ANTHROPIC_API_KEY` from the environment, else the `secret` of the vault entry named
 * `anthropic` (added with `deno task vault add anthropic --exchange anthropic`). Neither is an
 * {@link LlmConfigError} (`missing_key`) naming both places and the fix; a vault that holds the entry but cannot be
 * opened (no passphrase, a wrong one) says so. No message ever carries the key. Only live and record modes need it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { anthropicKey } from "./anthropic_key.ts";
 * const dataDir = await Deno.makeTempDir();
 * await assert.rejects(anthropicKey({ dataDir, env: false }), /ANTHROPIC_API_KEY.*vault/);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function anthropicKey(options: AnthropicKeyOptions = {}): Promise<string> {
  if (options.env !== false) {
    let fromEnv: string | undefined;
    try {
      fromEnv = Deno.env.get(ANTHROPIC_KEY_ENV)?.trim() || undefined;
    } catch { /* no --allow-env: the vault */ }
    if (fromEnv) return fromEnv;
  }
  const name = options.vaultEntry ?? ANTHROPIC_VAULT_ENTRY;
  const missing = (why: string) =>
    new LlmConfigError(
      "missing_key",
      `no Anthropic API key: ${ANTHROPIC_KEY_ENV} is not set and ${why}: set ${ANTHROPIC_KEY_ENV}, or add the key ` +
        `to the vault as entry "${name}" (deno task vault add ${name} --exchange anthropic, the key as its secret); ` +
        "--llm-cache replay needs no key",
    );
  let keys;
  try {
    keys = await Vault.info(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  } catch (e) {
    if (e instanceof VaultError) throw missing(`the vault cannot be read (${e.code})`);
    throw e;
  }
  if (keys === null) throw missing("there is no vault");
  if (!keys.some((k) => k.name === name)) throw missing(`the vault has no entry "${name}"`);
  try {
    using vault = await Vault.open({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
    });
    return (await vault.credentials(name)).secret;
  } catch (e) {
    // VaultError messages name files, keys and fixes, never values.
    if (e instanceof VaultError) throw missing(`the vault entry "${name}" cannot be read: ${e.message}`);
    throw e;
  }
}
