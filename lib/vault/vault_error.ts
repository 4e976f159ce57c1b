/** What went wrong with the vault; the CLI maps every code to one line and exit code 2. */
export type VaultErrorCode =
  /** The passphrase does not decrypt the vault's verifier block. */
  | "wrong_passphrase"
  /** No passphrase was given and `SENTINEL_VAULT_PASSPHRASE` is not set, or a new one is too short. */
  | "no_passphrase"
  /** A new passphrase shorter than 8 characters. */
  | "weak_passphrase"
  /** `remove` of a key that accounts name in their config, without `force`. */
  | "in_use"
  /** The vault file is not valid JSON, fails its schema, or an entry does not decrypt (bad tag, truncated). */
  | "corrupt"
  /** There is no vault file yet. */
  | "no_vault"
  /** The vault holds no key of that name. */
  | "missing_key"
  /** `add` of a name the vault already holds. */
  | "key_exists"
  /** Key material that is not usable (empty, too long, not the expected shape). */
  | "bad_input"
  /** Another process holds the vault's write lock past the wait. */
  | "locked"
  /** The file changed under an open vault in a way it cannot follow (the passphrase was changed elsewhere). */
  | "stale";

/**
 * A vault failure the user can fix: the message names the file or key and the fix, and never a key value (messages
 * are built from names, paths and counts only, so nothing secret reaches a log or a stack trace).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VaultError } from "./vault_error.ts";
 * const e = new VaultError("missing_key", "no key named x in the vault");
 * assert.equal(e.name, "VaultError");
 * assert.equal(e.code, "missing_key");
 * ```
 */
export class VaultError extends Error {
  override name = "VaultError";
  /** The kind of failure, for callers that branch on it. */
  readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
