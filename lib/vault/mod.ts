/**
 * The credential vault: exchange API keys encrypted at rest, read only by brokers.
 *
 * - **File**: `<data dir>/vault/vault.json` ({@link VaultFileSchema}: versioned, strict, zod-checked), mode 0600 in
 *   a 0700 folder, replaced atomically (temp file, fsync, rename, folder fsync) under an exclusive OS lock on
 *   `vault.lock`, so two writers never lose each other's change.
 * - **Cipher**: AES-256-GCM through WebCrypto, a fresh random 96-bit IV per encryption, and the entry's name and
 *   exchange as associated data (an entry copied under another name does not decrypt).
 * - **Key**: derived from the passphrase (typed, or `SENTINEL_VAULT_PASSPHRASE` for unattended runs) by scrypt from
 *   `@noble/hashes` (audited, no dependencies). A new vault gets {@link DEFAULT_KDF_PARAMS}: N=2^17, r=8, p=1
 *   (128 MiB) and a random 16-byte salt, both recorded in the file, so `vault rotate --passphrase` can raise the
 *   cost later. A **verifier** (a known block sealed under the key, with the KDF parameters as associated data)
 *   detects a wrong passphrase before anything is decrypted or written.
 * - **Metadata in clear**: names, exchanges, field names, times and generations (what `vault list` shows without a
 *   passphrase); only the values are sealed.
 *
 * KDF choice: measured on the lab's 2-core machine while other sessions kept its load average at 3-5, so the figures
 * are noisy; three runs (two of `./denow bench -A lib/vault/kdf_bench.ts`, one one-off script that also timed
 * hash-wasm 4.13.0), seconds per derivation, fastest single derivation and the runs' averages:
 *
 * | KDF, cost | fastest | averages |
 * |---|---|---|
 * | noble scrypt N=2^15 r=8 p=1 (32 MiB) | 0.19 | 0.26, 0.40, 0.52 |
 * | noble scrypt N=2^16 r=8 p=1 (64 MiB) | 0.40 | 0.50, 0.57, 0.72 |
 * | noble scrypt N=2^17 r=8 p=1 (128 MiB), sync | 0.74 | 0.77, 1.1, 3.5 (the busiest run) |
 * | **noble scryptAsync N=2^17 r=8 p=1 (128 MiB), the vault's** | 0.83 | 0.92, 1.05, 1.2 |
 * | noble argon2id m=19 MiB t=2 p=1 | 0.37 | 0.43, 0.49, 0.60 |
 * | noble argon2id m=64 MiB t=3 p=1 | 1.6 | 1.7, 2.8, 3.9 |
 * | hash-wasm argon2id m=64 MiB t=3 p=1 (one run) | 0.78 | 0.82 |
 * | hash-wasm argon2id m=128 MiB t=3 p=1 (one run) | 1.36 | 1.47 |
 * | hash-wasm scrypt N=2^17 r=8 p=1 (one run) | 1.36 | 1.53 |
 *
 * scrypt at 128 MiB costs about what hash-wasm's argon2id costs at 64 MiB, and pure-JS argon2id needs twice the time
 * for half the memory, so the vault uses noble's scrypt: twice the memory per guess of the argon2id option, one
 * audited package already in the lock (ccxt's dependencies), no WebAssembly. The async form yields to the event loop
 * every few milliseconds, so a live process's sockets stay served while it opens the vault.
 *
 * **For brokers**: `Vault.open({ dataDir, passphrase })` once at start (or with the passphrase in the environment),
 * then `vault.credentials(name)` when building the ccxt exchange: pass the fields straight into it and keep no other
 * copy (the exchange object is the one long-lived holder; JS strings cannot be wiped). Open the account's audit log
 * with `AuditLog.open({ ..., secrets: await vault.secrets(name) })`. Printing an {@link ExchangeCredentials} shows
 * `[redacted]`.
 *
 * **Audit**: `add`, `rotate`, `remove` and `changePassphrase` append a `config_change` (`target: "vault_key"`,
 * `after: { key, exchange, action, generation, at }`) to the audit log of every account whose `account.json` names
 * the key in its `key` field ({@link ACCOUNT_KEY_FIELD}); never a value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Vault, VaultError } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * const passphrase = "correct horse battery staple";
 * {
 *   // The first add creates the vault; kdf lowers the cost for this example only.
 *   using vault = await Vault.open({ dataDir, passphrase, create: true, kdf: { N: 2 ** 10 } });
 *   await vault.add("okx-main", "okx", { apiKey: "key-0123456789", secret: "sec-0123456789", password: "pw-42" });
 *   await vault.rotate("okx-main", { apiKey: "key-9876543210", secret: "sec-9876543210", password: "pw-43" });
 * }
 * const [info] = (await Vault.info({ dataDir }))!;
 * assert.equal(info!.generation, 2);
 * using vault = await Vault.open({ dataDir, passphrase });
 * const creds = await vault.credentials("okx-main");
 * assert.equal(creds.secret, "sec-9876543210");
 * assert.equal(JSON.stringify(creds), '{"apiKey":"[redacted]","secret":"[redacted]","password":"[redacted]"}');
 * await assert.rejects(vault.credentials("nope"), (e: VaultError) => e.code === "missing_key");
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 * @module
 */
export * from "./accounts_naming_key.ts";
export * from "./exchange_credentials.ts";
export * from "./kdf_params.ts";
export * from "./parse_credentials_input.ts";
export * from "./read_secret_line.ts";
export * from "./vault.ts";
export * from "./vault_error.ts";
export * from "./vault_file.ts";
