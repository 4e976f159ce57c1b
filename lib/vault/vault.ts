import { resolveDataDir, writeFileAtomic } from "../fs/mod.ts";
import { formatZodIssues } from "../types/mod.ts";
import { checkVerifier, deriveKey, entryAad, open, randomSalt, seal, sealVerifier } from "./_crypto.ts";
import { logKeyChange } from "./_audit.ts";
import { withWriteLock } from "./_lock.ts";
import { accountsNamingKey } from "./accounts_naming_key.ts";
import { type CredentialField, type ExchangeCredentialFields, ExchangeCredentials } from "./exchange_credentials.ts";
import { DEFAULT_KDF_PARAMS, type KdfParams } from "./kdf_params.ts";
import { VaultError } from "./vault_error.ts";
import {
  ExchangeIdSchema,
  VAULT_VERSION,
  type VaultEntry,
  type VaultFile,
  VaultFileSchema,
  VaultKeyNameSchema,
  vaultPaths,
} from "./vault_file.ts";

/** The environment variable an unattended run takes the passphrase from. */
export const VAULT_PASSPHRASE_ENV = "SENTINEL_VAULT_PASSPHRASE";

/** The shortest passphrase a new vault (or a passphrase change) accepts. */
export const MIN_PASSPHRASE_LENGTH = 8;

/** Options of {@link Vault.open}. */
export interface VaultOpenOptions {
  /** The data dir (the vault is `<dataDir>/vault/vault.json`). Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
  /** The passphrase. Default: env `SENTINEL_VAULT_PASSPHRASE`; neither is a `VaultError` (`no_passphrase`). */
  passphrase?: string;
  /**
   * When there is no vault file: open an empty vault that the first `add` writes (true), or fail with `no_vault`
   * (false, the default: a broker must not create a vault).
   */
  create?: boolean;
  /** scrypt cost of a vault created now (default {@link DEFAULT_KDF_PARAMS}); an existing vault keeps its own. */
  kdf?: Partial<Pick<KdfParams, "N" | "r" | "p">>;
  /** How long a write waits for another writer's lock, ms. Default 10,000. */
  lockTimeoutMs?: number;
  /** The clock (epoch ms) for created/rotated times and audit events. Default `Date.now`. */
  now?: () => number;
}

/** Options of {@link Vault.info}. */
export interface VaultInfoOptions {
  /** As {@link VaultOpenOptions.dataDir}. */
  dataDir?: string;
}

/** A key's public facts: what `vault list` shows. Never a value. */
export interface VaultKeyInfo {
  name: string;
  exchange: string;
  /** ISO time it was added. */
  createdAt: string;
  /** ISO time of the last rotation, null before the first. */
  rotatedAt: string | null;
  /** 1 when added, +1 per rotation. */
  generation: number;
  /** Which credential fields it holds. */
  fields: CredentialField[];
}

/** The outcome of a change: the key, its generation now, and the accounts whose audit log got the event. */
export interface VaultChangeResult {
  name: string;
  generation: number;
  accounts: string[];
}

/** Options of {@link Vault.remove}. */
export interface VaultRemoveOptions {
  /** Remove the key even when accounts name it in their config (they can no longer trade live). Default false. */
  force?: boolean;
}

/** Options of {@link Vault.changePassphrase}. */
export interface VaultChangePassphraseOptions {
  /** scrypt cost under the new passphrase. Default {@link DEFAULT_KDF_PARAMS} (so a change also raises an old cost). */
  kdf?: Partial<Pick<KdfParams, "N" | "r" | "p">>;
}

function envPassphrase(): string | undefined {
  try {
    return Deno.env.get(VAULT_PASSPHRASE_ENV) || undefined;
  } catch {
    return undefined; // no --allow-env
  }
}

function checkNewPassphrase(passphrase: string): void {
  if ([...passphrase.normalize("NFC")].length < MIN_PASSPHRASE_LENGTH) {
    throw new VaultError(
      "weak_passphrase",
      `a vault passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters (a few words are best); choose a ` +
        "longer one",
    );
  }
}

function checkName(name: string): void {
  if (!VaultKeyNameSchema.safeParse(name).success) {
    // The text given is not echoed: a key pasted where a name belongs must not reach the terminal or a log.
    throw new VaultError(
      "bad_input",
      `the key name given (${name.length} characters) is not a key name: use 1-64 characters of a-z, 0-9, '-' ` +
        "and '_', starting with a letter or digit",
    );
  }
}

function kdfOf(o: Partial<Pick<KdfParams, "N" | "r" | "p">> | undefined): KdfParams {
  const k = { ...DEFAULT_KDF_PARAMS, ...o, name: "scrypt" as const, salt: randomSalt() };
  const r = VaultFileSchema.shape.kdf.safeParse(k);
  if (!r.success) throw new RangeError(`vault kdf: ${formatZodIssues(r.error, k)}`);
  return r.data;
}

/** Reads and validates the file; null when it does not exist. Errors say what is wrong with it, never a value. */
async function readVaultFile(path: string): Promise<VaultFile | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new VaultError(
      "corrupt",
      `the vault file ${path} is not valid JSON (truncated or damaged, ${text.length} characters): restore it from ` +
        "a backup, or move it away and add the keys again",
    );
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > VAULT_VERSION) {
    throw new VaultError(
      "corrupt",
      `the vault file ${path} is version ${version}, newer than this code reads (${VAULT_VERSION}): update Sentinel`,
    );
  }
  const r = VaultFileSchema.safeParse(json);
  if (!r.success) {
    throw new VaultError(
      "corrupt",
      `the vault file ${path} is damaged (${formatZodIssues(r.error)}): restore it from a backup, or move it ` +
        "away and add the keys again",
    );
  }
  return r.data;
}

function info(name: string, e: VaultEntry): VaultKeyInfo {
  return {
    name,
    exchange: e.exchange,
    createdAt: e.createdAt,
    rotatedAt: e.rotatedAt,
    generation: e.generation,
    fields: [...e.fields],
  };
}

/** Values worth scrubbing from a log: the redactor refuses strings under 4 characters (they would garble text). */
function secretList(c: ExchangeCredentialFields): string[] {
  return [c.apiKey, c.secret, c.password, c.uid].filter((s): s is string => s !== undefined && s.length >= 4);
}

/**
 * The credential vault: exchange API keys encrypted at rest in `<data dir>/vault/vault.json` (AES-256-GCM under a
 * key scrypt derives from the passphrase; see the module doc). Open it with the passphrase (or
 * `SENTINEL_VAULT_PASSPHRASE`); a wrong one fails at once on the verifier block, before anything is decrypted or
 * written. Reads ({@link credentials}, {@link secrets}) re-read the file, so a key rotated by `deno task vault` in
 * another process is what the next read returns. Writes take the vault's OS lock, re-read the file under it, and
 * replace it atomically (temp file, fsync, rename, folder fsync; mode 0600).
 *
 * For brokers: call {@link credentials} when building the ccxt exchange and pass the fields straight in; keep no
 * other copy. Open the account's audit log with {@link secrets} so a key that slips into an event is redacted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Vault } from "./vault.ts";
 * const dataDir = await Deno.makeTempDir();
 * const kdf = { N: 2 ** 10 }; // a cheap cost for the example; new vaults default to 2^17
 * {
 *   using vault = await Vault.open({ dataDir, passphrase: "correct horse battery", create: true, kdf });
 *   await vault.add("bn-main", "binance", { apiKey: "AKIA-example-1", secret: "s3cr3t-example-1" });
 * }
 * using vault = await Vault.open({ dataDir, passphrase: "correct horse battery" });
 * const creds = await vault.credentials("bn-main");
 * assert.equal(creds.apiKey, "AKIA-example-1");
 * assert.deepEqual(await vault.secrets("bn-main"), ["AKIA-example-1", "s3cr3t-example-1"]);
 * await assert.rejects(Vault.open({ dataDir, passphrase: "wrong passphrase" }), /wrong vault passphrase/);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export class Vault {
  /** The data dir. */
  readonly dataDir: string;
  /** The vault file. */
  readonly path: string;
  #key: CryptoKey | null;
  #file: VaultFile;
  #lock: string;
  #dir: string;
  #lockTimeoutMs: number;
  #now: () => number;

  private constructor(dataDir: string, key: CryptoKey, file: VaultFile, options: VaultOpenOptions) {
    const p = vaultPaths(dataDir);
    this.dataDir = dataDir;
    this.path = p.file;
    this.#lock = p.lock;
    this.#dir = p.dir;
    this.#key = key;
    this.#file = file;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Opens the vault, checking the passphrase against the verifier block. */
  static async open(options: VaultOpenOptions = {}): Promise<Vault> {
    const dataDir = resolveDataDir(options.dataDir);
    const { file: path } = vaultPaths(dataDir);
    const file = await readVaultFile(path);
    if (file === null && !options.create) {
      throw new VaultError(
        "no_vault",
        `there is no vault at ${path}: add a key first (deno task vault add NAME --exchange ID)`,
      );
    }
    const passphrase = options.passphrase ?? envPassphrase();
    if (passphrase === undefined || passphrase === "") {
      throw new VaultError(
        "no_passphrase",
        `no vault passphrase: set ${VAULT_PASSPHRASE_ENV} or type it at the prompt (a terminal is needed for that)`,
      );
    }
    if (file === null) {
      checkNewPassphrase(passphrase);
      const kdf = kdfOf(options.kdf);
      const key = await deriveKey(passphrase, kdf);
      const now = new Date((options.now ?? Date.now)()).toISOString();
      const fresh: VaultFile = {
        format: "sentinel-vault",
        version: VAULT_VERSION,
        kdf,
        cipher: "AES-256-GCM",
        verifier: await sealVerifier(key, kdf),
        createdAt: now,
        updatedAt: now,
        entries: {},
      };
      return new Vault(dataDir, key, fresh, options);
    }
    const key = await deriveKey(passphrase, file.kdf);
    if (!(await checkVerifier(key, file.kdf, file.verifier))) {
      throw new VaultError(
        "wrong_passphrase",
        `wrong vault passphrase for ${path} (its verifier block does not decrypt): check what was typed or ` +
          `${VAULT_PASSPHRASE_ENV}; nothing was read or changed`,
      );
    }
    return new Vault(dataDir, key, file, options);
  }

  /**
   * The keys of the vault under `dataDir` without opening it (names, exchanges and times are stored in clear; only
   * the credential values are sealed), or null when there is no vault. A damaged file is a `VaultError` (`corrupt`).
   */
  static async info(options: VaultInfoOptions = {}): Promise<VaultKeyInfo[] | null> {
    const file = await readVaultFile(vaultPaths(resolveDataDir(options.dataDir)).file);
    if (file === null) return null;
    return Object.entries(file.entries).map(([n, e]) => info(n, e)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The scrypt parameters and salt in force (public, recorded in the file). */
  get kdf(): Readonly<KdfParams> {
    return { ...this.#file.kdf };
  }

  /** The keys as last read or written by this object, sorted by name. */
  list(): VaultKeyInfo[] {
    return Object.entries(this.#file.entries).map(([n, e]) => info(n, e)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Whether the vault (as last read or written) holds `name`. */
  has(name: string): boolean {
    return Object.hasOwn(this.#file.entries, name);
  }

  /**
   * The credentials stored under `name`, read fresh from the file. A missing name is `missing_key`; an entry that
   * does not decrypt (damaged, or moved from another name or exchange) is `corrupt`.
   */
  async credentials(name: string): Promise<ExchangeCredentials> {
    checkName(name);
    await this.#refresh();
    return await this.#decrypt(this.#file, name);
  }

  /** The values of `name` (4 characters or more) for `AuditLog.open({ secrets })`, read fresh from the file. */
  async secrets(name: string): Promise<string[]> {
    return secretList(await this.credentials(name));
  }

  /** Adds a key under a new name (`key_exists` if the name is taken: rotate it instead). */
  async add(
    name: string,
    exchange: string,
    credentials: ExchangeCredentials | ExchangeCredentialFields,
  ): Promise<VaultChangeResult> {
    checkName(name);
    if (!ExchangeIdSchema.safeParse(exchange).success) {
      throw new VaultError(
        "bad_input",
        `--exchange ${JSON.stringify(exchange.slice(0, 40))} is not a ccxt exchange id: use lower-case letters and ` +
          "digits, such as binance, okx or kraken",
      );
    }
    const creds = credentials instanceof ExchangeCredentials
      ? credentials
      : ExchangeCredentials.from({ ...credentials });
    const at = this.#now();
    const iso = new Date(at).toISOString();
    await this.#mutate(async (file) => {
      if (Object.hasOwn(file.entries, name)) {
        throw new VaultError(
          "key_exists",
          `the vault already holds a key named ${name} (${file.entries[name]!.exchange}): replace its key material ` +
            `with \`deno task vault rotate ${name}\`, or pick another name`,
        );
      }
      const sealed = await this.#seal(name, exchange, creds);
      file.entries[name] = {
        exchange,
        createdAt: iso,
        rotatedAt: null,
        generation: 1,
        fields: creds.fields(),
        ...sealed,
      };
      return file;
    });
    const accounts = logKeyChange(
      this.dataDir,
      { key: name, exchange, action: "added", generation: 1, at: iso },
      secretList(creds),
      at,
    );
    return { name, generation: 1, accounts };
  }

  /**
   * Replaces the key material of `name` (the exchange stays), sealed under a fresh IV, and logs a `config_change`
   * to every account naming the key.
   */
  async rotate(name: string, credentials: ExchangeCredentials | ExchangeCredentialFields): Promise<VaultChangeResult> {
    checkName(name);
    const creds = credentials instanceof ExchangeCredentials
      ? credentials
      : ExchangeCredentials.from({ ...credentials });
    const at = this.#now();
    const iso = new Date(at).toISOString();
    let old: ExchangeCredentials | undefined;
    let entry: VaultEntry | undefined;
    await this.#mutate(async (file) => {
      old = await this.#decrypt(file, name);
      const prev = file.entries[name]!;
      const sealed = await this.#seal(name, prev.exchange, creds);
      entry = { ...prev, rotatedAt: iso, generation: prev.generation + 1, fields: creds.fields(), ...sealed };
      file.entries[name] = entry;
      return file;
    });
    const accounts = logKeyChange(
      this.dataDir,
      { key: name, exchange: entry!.exchange, action: "rotated", generation: entry!.generation, at: iso },
      [...secretList(old!), ...secretList(creds)],
      at,
    );
    return { name, generation: entry!.generation, accounts };
  }

  /**
   * Removes `name`. A key that accounts name in their config is refused (`in_use`) unless `force`; each of them
   * gets a `config_change` event either way.
   */
  async remove(name: string, options: VaultRemoveOptions = {}): Promise<VaultChangeResult> {
    checkName(name);
    await this.#refresh();
    if (!this.has(name)) throw this.#missing(this.#file, name);
    const users = accountsNamingKey(this.dataDir, name);
    if (users.length > 0 && !options.force) {
      throw new VaultError(
        "in_use",
        `key ${name} is named by account ${users.join(", ")}: those accounts could no longer trade live; remove it ` +
          "with --force, or point the accounts at another key first",
      );
    }
    const at = this.#now();
    let old: ExchangeCredentials | undefined;
    let entry: VaultEntry | undefined;
    await this.#mutate(async (file) => {
      old = await this.#decrypt(file, name);
      entry = file.entries[name]!;
      delete file.entries[name];
      return file;
    });
    const accounts = logKeyChange(
      this.dataDir,
      {
        key: name,
        exchange: entry!.exchange,
        action: "removed",
        generation: entry!.generation,
        at: new Date(at).toISOString(),
      },
      secretList(old!),
      at,
    );
    return { name, generation: entry!.generation, accounts };
  }

  /**
   * Re-encrypts every key under a new passphrase, a fresh salt and `kdf` (default: today's cost), each under a fresh
   * IV, and logs a `reencrypted` event per key to the accounts naming it. Returns the number of keys.
   */
  async changePassphrase(newPassphrase: string, options: VaultChangePassphraseOptions = {}): Promise<number> {
    checkNewPassphrase(newPassphrase);
    const kdf = kdfOf(options.kdf);
    const newKey = await deriveKey(newPassphrase, kdf);
    const at = this.#now();
    const iso = new Date(at).toISOString();
    const changed: { name: string; entry: VaultEntry; secrets: string[] }[] = [];
    await this.#mutate(async (file) => {
      const entries: Record<string, VaultEntry> = {};
      for (const [name, e] of Object.entries(file.entries)) {
        const creds = await this.#decrypt(file, name);
        entries[name] = { ...e, ...(await sealWith(newKey, name, e.exchange, creds)) };
        changed.push({ name, entry: e, secrets: secretList(creds) });
      }
      return { ...file, kdf, verifier: await sealVerifier(newKey, kdf), entries };
    });
    this.#key = newKey;
    for (const c of changed) {
      logKeyChange(
        this.dataDir,
        { key: c.name, exchange: c.entry.exchange, action: "reencrypted", generation: c.entry.generation, at: iso },
        c.secrets,
        at,
      );
    }
    return changed.length;
  }

  /** Drops the key; later calls fail. */
  close(): void {
    this.#key = null;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #keyOrThrow(): CryptoKey {
    if (this.#key === null) throw new VaultError("stale", `the vault ${this.path} was closed: open it again`);
    return this.#key;
  }

  #seal(name: string, exchange: string, creds: ExchangeCredentials): Promise<{ iv: string; data: string }> {
    return sealWith(this.#keyOrThrow(), name, exchange, creds);
  }

  async #decrypt(file: VaultFile, name: string): Promise<ExchangeCredentials> {
    const e = Object.hasOwn(file.entries, name) ? file.entries[name] : undefined;
    if (e === undefined) throw this.#missing(file, name);
    const damaged = (): VaultError =>
      new VaultError(
        "corrupt",
        `vault key ${name} in ${this.path} does not decrypt (damaged bytes, or an entry moved from another name or ` +
          `exchange): restore vault.json from a backup, or remove the key and add it again`,
      );
    const plain = await open(this.#keyOrThrow(), e, entryAad(name, e.exchange));
    if (plain === null) throw damaged();
    try {
      return ExchangeCredentials.from(JSON.parse(new TextDecoder().decode(plain)));
    } catch {
      throw damaged(); // the parse error would quote the plaintext
    } finally {
      plain.fill(0);
    }
  }

  #missing(file: VaultFile, name: string): VaultError {
    const names = Object.keys(file.entries).sort();
    return new VaultError(
      "missing_key",
      `the vault has no key named ${JSON.stringify(name)}: ${
        names.length ? `its keys are ${names.join(", ")}` : "it holds no keys"
      } (deno task vault list)`,
    );
  }

  /** Re-reads the file; a passphrase changed elsewhere leaves this object's key useless (`stale`). */
  async #refresh(): Promise<void> {
    const file = await readVaultFile(this.path);
    if (file === null) {
      if (Object.keys(this.#file.entries).length > 0) {
        throw new VaultError("no_vault", `the vault file ${this.path} is gone: restore it from a backup`);
      }
      return;
    }
    this.#checkSameVault(file);
    this.#file = file;
  }

  #checkSameVault(file: VaultFile): void {
    if (file.kdf.salt !== this.#file.kdf.salt) {
      throw new VaultError(
        "stale",
        `the vault ${this.path} was re-encrypted under another passphrase since it was opened: open it again`,
      );
    }
  }

  async #mutate(change: (file: VaultFile) => Promise<VaultFile>): Promise<void> {
    this.#keyOrThrow();
    await Deno.mkdir(this.#dir, { recursive: true, mode: 0o700 });
    await withWriteLock(this.#lock, this.#lockTimeoutMs, async () => {
      const current = await readVaultFile(this.path);
      if (current !== null) this.#checkSameVault(current);
      const next = await change(structuredClone(current ?? this.#file));
      next.updatedAt = new Date(this.#now()).toISOString();
      await writeFileAtomic(this.path, JSON.stringify(next, null, 2) + "\n", { mode: 0o600 });
      this.#file = next;
    });
  }
}

async function sealWith(
  key: CryptoKey,
  name: string,
  exchange: string,
  creds: ExchangeCredentials,
): Promise<{ iv: string; data: string }> {
  return await seal(key, new TextEncoder().encode(JSON.stringify(creds.toPlain())), entryAad(name, exchange));
}
