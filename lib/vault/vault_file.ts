import { join } from "node:path";
import { z } from "zod";
import { CREDENTIAL_FIELDS } from "./exchange_credentials.ts";

/** The file format version this code writes and reads. */
export const VAULT_VERSION = 1;

const b64 = (min: number, max: number): z.ZodString =>
  z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64").min(min).max(max);

/** A key name: 1-64 characters of a-z, 0-9, `-` and `_`, starting with a letter or digit (as account names). */
export const VaultKeyNameSchema: z.ZodString = z.string().regex(
  /^[a-z0-9][a-z0-9_-]{0,63}$/,
  "a key name is 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit",
);

/** A ccxt exchange id: lower-case letters and digits, starting with a letter (`binance`, `okx`, `binanceusdm`). */
export const ExchangeIdSchema: z.ZodString = z.string().regex(
  /^[a-z][a-z0-9]{1,31}$/,
  "an exchange is a ccxt id: 2-32 lower-case letters and digits, such as binance or okx",
);

/** AES-256-GCM output: a 96-bit IV and the ciphertext with its 128-bit tag, both base64. */
const SealedSchema = z.strictObject({ iv: b64(16, 16), data: b64(24, 200_000) });

/** One stored key: public metadata in clear, the credential fields sealed. */
export const VaultEntrySchema = z.strictObject({
  exchange: ExchangeIdSchema,
  /** ISO time the name was added. */
  createdAt: z.iso.datetime(),
  /** ISO time of the last `rotate`, null before the first. */
  rotatedAt: z.iso.datetime().nullable(),
  /** 1 when added, +1 per rotation: which key material an audit event refers to. */
  generation: z.number().int().min(1),
  /** The credential fields the sealed data holds (names only). */
  fields: z.array(z.enum(CREDENTIAL_FIELDS)).min(2).max(4),
  iv: SealedSchema.shape.iv,
  data: SealedSchema.shape.data,
});
export type VaultEntry = z.output<typeof VaultEntrySchema>;

/**
 * `<data dir>/vault/vault.json`: versioned, strict. `kdf` (scrypt parameters and salt) derives the AES-256-GCM key
 * from the passphrase; `verifier` is a known block sealed under that key, so a wrong passphrase is found before any
 * entry is read or the file rewritten; each entry is sealed with its name and exchange as associated data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VaultFileSchema } from "./vault_file.ts";
 * assert.equal(VaultFileSchema.safeParse({ format: "sentinel-vault", version: 2 }).success, false);
 * ```
 */
export const VaultFileSchema = z.strictObject({
  format: z.literal("sentinel-vault"),
  version: z.literal(VAULT_VERSION),
  kdf: z.strictObject({
    name: z.literal("scrypt"),
    N: z.number().int().min(2 ** 10).max(2 ** 24).refine((n) => (n & (n - 1)) === 0, "N must be a power of two"),
    r: z.number().int().min(1).max(64),
    p: z.number().int().min(1).max(16),
    salt: b64(16, 128),
  }),
  cipher: z.literal("AES-256-GCM"),
  verifier: SealedSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  entries: z.record(VaultKeyNameSchema, VaultEntrySchema),
});
export type VaultFile = z.output<typeof VaultFileSchema>;

/**
 * The vault's folder, file and lock under a data dir.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vaultPaths } from "./vault_file.ts";
 * assert.equal(vaultPaths("/srv/lab").file, "/srv/lab/vault/vault.json");
 * ```
 */
export function vaultPaths(dataDir: string): { dir: string; file: string; lock: string } {
  const dir = join(dataDir, "vault");
  return { dir, file: join(dir, "vault.json"), lock: join(dir, "vault.lock") };
}
