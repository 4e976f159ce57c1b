// `deno task vault <command>`: the credential vault (lib/vault). Key material is read from the terminal without echo
// or from standard input, never from the command line.
import {
  accountsNamingKey,
  type ExchangeCredentials,
  MIN_PASSPHRASE_LENGTH,
  parseCredentialsInput,
  readSecretLine,
  type SecretLineInput,
  Vault,
  VAULT_PASSPHRASE_ENV,
  VaultError,
  type VaultKeyInfo,
  vaultPaths,
} from "../lib/vault/mod.ts";
import { resolveDataDir } from "../lib/fs/mod.ts";
import { parseFlags, printJson, runSubcommands, textTable, UsageError } from "./_cli.ts";

/** Where `rotate --passphrase` takes the new passphrase when no terminal is at hand. */
const NEW_PASSPHRASE_ENV = "SENTINEL_VAULT_NEW_PASSPHRASE";

const USAGE = `Usage: deno task vault <command> [options]

Exchange API keys, encrypted at rest in <data dir>/vault/vault.json (AES-256-GCM, key from the passphrase by
scrypt). The passphrase is read from ${VAULT_PASSPHRASE_ENV} or asked on the terminal. Key material is typed at a
prompt without echo or piped with --stdin; it is never taken from the command line.

Commands:
  add      add a key: deno task vault add NAME --exchange ID [--stdin]
  list     names, exchanges, fields, ages and the accounts using each key (never values; no passphrase needed)
  rotate   new key material for a key (rotate NAME [--stdin]), or a new passphrase (rotate --passphrase)
  remove   remove a key: deno task vault remove NAME [--force]
  check    decrypt every key with the passphrase and say whether all are readable

Every command takes --data-dir DIR (default: $SENTINEL_DATA_DIR or data/store) and --help.`;

const STDIN_HELP = `  --stdin          read the key from standard input instead of the terminal: JSON
                   {"apiKey": "...", "secret": "...", "password": "...", "uid": "..."} (password and uid
                   optional) or lines (API key, secret, then optionally password and uid)`;

const HELP: Record<string, string> = {
  add: `Usage: deno task vault add NAME --exchange ID [--stdin]

Adds the exchange key NAME (1-64 characters of a-z, 0-9, '-' and '_') for the ccxt exchange ID (binance, okx, ...).
Asks for the API key, secret, and an optional password (the API passphrase of OKX, KuCoin, Bitget) and uid on the
terminal without echo. The first add creates the vault and asks for a new passphrase twice (at least
${MIN_PASSPHRASE_LENGTH} characters), unless ${VAULT_PASSPHRASE_ENV} is set.

Options:
  --exchange ID    the ccxt exchange id
${STDIN_HELP}`,
  list: `Usage: deno task vault list [--json]

Lists the keys: name, exchange, which fields it holds, when it was added and last rotated (with ages), its
generation (1, +1 per rotation) and the accounts whose account.json names it. Never a value; names and times are
stored in clear, so no passphrase is needed.`,
  rotate: `Usage: deno task vault rotate NAME [--stdin]
       deno task vault rotate --passphrase

rotate NAME replaces the key material of NAME (same exchange), asked like add, sealed under a fresh IV; each
account naming the key gets a config_change audit event (the key's name and generation, never its value).
rotate --passphrase re-encrypts every key under a new passphrase (asked twice, or ${NEW_PASSPHRASE_ENV}) with a
fresh salt and today's scrypt cost.

Options:
${STDIN_HELP}
  --passphrase     change the passphrase instead of a key`,
  remove: `Usage: deno task vault remove NAME [--force]

Removes the key NAME. A key that an account names in its account.json is refused unless --force (that account
could no longer trade live); each such account gets a config_change audit event.`,
  check: `Usage: deno task vault check

Opens the vault with the passphrase and decrypts every key (values are not shown): exit 0 when all are readable,
2 with one line saying what is wrong (wrong passphrase, damaged file or entry).`,
};

const COMMON = {
  "data-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Flags a key could be passed in: refused before anything else, so the value never reaches a parser message. */
const SECRET_FLAG =
  /^-{1,2}(key|api-?key|apikey|secret|api-?secret|password|pass|passwd|uid|token|private-?key|credentials?)$/i;

function refuseSecretFlags(args: readonly string[]): void {
  for (const a of args) {
    if (a === "--") break;
    if (!a.startsWith("-")) continue;
    const flag = a.split("=", 1)[0]!;
    if (SECRET_FLAG.test(flag) || (flag === "--passphrase" && a.includes("="))) {
      throw new UsageError(
        `${flag} is refused: a key or passphrase on the command line stays in the shell history and is shown to ` +
          `every user by ps; type it at the prompt, pipe it with --stdin, or set ${VAULT_PASSPHRASE_ENV}`,
      );
    }
  }
}

/** Parses flags; positionals beyond `max` are refused without echoing them (a pasted key must not be printed). */
function flags(
  args: string[],
  options: Record<string, { type: "string" | "boolean"; short?: string }>,
  command: string,
  max: number,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  refuseSecretFlags(args);
  let parsed;
  try {
    parsed = parseFlags(args, { ...COMMON, ...options }, command);
  } catch {
    // node's message may quote the argument; name only the flags.
    const names = args.filter((a) => a.startsWith("-")).map((a) => a.split("=", 1)[0]).join(" ");
    throw new UsageError(`bad options for ${command} (${names || "none"}): see \`${command} --help\``);
  }
  if (parsed.positionals.length > max) {
    throw new UsageError(
      `${command} takes ${max === 0 ? "no" : "one"} argument${max === 0 ? "" : " (the key NAME)"}, got ` +
        `${parsed.positionals.length}; key material is never taken from the command line (see \`${command} --help\`)`,
    );
  }
  return parsed;
}

function envValue(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

/** A terminal to prompt on: stdin when it is one and not carrying the key, else the controlling terminal. */
async function terminal(stdinBusy: boolean): Promise<(SecretLineInput & { close?(): void }) | null> {
  if (!stdinBusy && Deno.stdin.isTerminal()) return Deno.stdin;
  try {
    const tty = await Deno.open("/dev/tty", { read: true, write: true });
    if (tty.isTerminal()) return tty;
    tty.close();
  } catch { /* no controlling terminal */ }
  return null;
}

async function prompt(tty: SecretLineInput, text: string): Promise<string> {
  return await readSecretLine({ prompt: text, input: tty });
}

/** The passphrase of an existing vault (`fresh` false) or of a new one, asked twice (`fresh` true). */
async function passphrase(fresh: boolean, stdinBusy: boolean, envName = VAULT_PASSPHRASE_ENV): Promise<string> {
  const env = envValue(envName);
  if (env) return env;
  const tty = await terminal(stdinBusy);
  if (tty === null) {
    throw new VaultError(
      "no_passphrase",
      `no vault passphrase: set ${envName} (there is no terminal to ask on)`,
    );
  }
  try {
    if (!fresh) return await prompt(tty, "Vault passphrase: ");
    const a = await prompt(tty, `New vault passphrase (at least ${MIN_PASSPHRASE_LENGTH} characters): `);
    if ([...a].length < MIN_PASSPHRASE_LENGTH) {
      throw new VaultError("weak_passphrase", `a vault passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`);
    }
    const b = await prompt(tty, "Repeat the new passphrase: ");
    if (a !== b) throw new UsageError("the two passphrases typed differ; nothing was changed, run the command again");
    return a;
  } finally {
    if (tty !== Deno.stdin) tty.close?.();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of Deno.stdin.readable) {
    size += c.length;
    if (size > 256 * 1024) throw new UsageError("standard input is over 256 KiB: send only the key (JSON or lines)");
    chunks.push(c);
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
    c.fill(0);
  }
  const text = new TextDecoder().decode(all);
  all.fill(0);
  return text;
}

/** Fails before the passphrase is derived when the key could not be read anyway. */
function keyInputReady(fromStdin: boolean, command: string): void {
  if (!fromStdin && !Deno.stdin.isTerminal()) {
    throw new UsageError(
      `standard input is not a terminal: pipe the key with \`${command} --stdin\` (JSON or two lines), or run ` +
        "in a terminal to type it",
    );
  }
}

/** The key material: from standard input with --stdin, else asked on the terminal without echo. */
async function keyMaterial(fromStdin: boolean, command: string): Promise<ExchangeCredentials> {
  if (fromStdin) return parseCredentialsInput(await readStdin());
  keyInputReady(fromStdin, command);
  const apiKey = await prompt(Deno.stdin, "API key: ");
  const secret = await prompt(Deno.stdin, "API secret: ");
  const password = await prompt(Deno.stdin, "API password/passphrase (Enter if the exchange has none): ");
  const uid = await prompt(Deno.stdin, "UID (Enter if none): ");
  return parseCredentialsInput(JSON.stringify({ apiKey, secret, password, uid }));
}

function auditNote(accounts: string[]): string {
  return accounts.length === 0
    ? 'no account names this key (an account\'s account.json "key" field), so no audit event was written'
    : `config_change audit event written to account ${accounts.join(", ")}`;
}

function age(iso: string | null, now: number): string {
  if (iso === null) return "-";
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (s < 120) return `${Math.round(s)}s`;
  if (s < 7_200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3_600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  async add(args) {
    const cmd = "deno task vault add";
    const { values, positionals } = flags(args, { exchange: { type: "string" }, stdin: { type: "boolean" } }, cmd, 1);
    const name = positionals[0];
    if (!name) throw new UsageError(`add needs a key NAME: ${cmd} NAME --exchange ID`);
    const exchange = values.exchange as string | undefined;
    if (!exchange) throw new UsageError(`add needs --exchange ID, the ccxt exchange id (binance, okx, ...)`);
    const dataDir = resolveDataDir(values["data-dir"] as string | undefined);
    const existing = await Vault.info({ dataDir });
    if (existing?.some((k) => k.name === name)) {
      throw new VaultError(
        "key_exists",
        `the vault already holds a key named ${name}: replace its key material with \`deno task vault rotate ${name}\``,
      );
    }
    const stdin = values.stdin === true;
    keyInputReady(stdin, cmd);
    const pass = await passphrase(existing === null, stdin);
    using vault = await Vault.open({ dataDir, passphrase: pass, create: true });
    const creds = await keyMaterial(stdin, cmd);
    const r = await vault.add(name, exchange, creds);
    console.log(`added key ${name} (${exchange}: ${creds.fields().join(", ")}) to ${vault.path}`);
    console.log(auditNote(r.accounts));
    return 0;
  },

  async list(args) {
    const { values } = flags(args, { json: { type: "boolean" } }, "deno task vault list", 0);
    const dataDir = resolveDataDir(values["data-dir"] as string | undefined);
    const keys = await Vault.info({ dataDir });
    const now = Date.now();
    const rows = (keys ?? []).map((k: VaultKeyInfo) => ({ ...k, accounts: accountsNamingKey(dataDir, k.name) }));
    if (values.json) {
      printJson(rows.map((k) => ({
        ...k,
        createdAgeSeconds: Math.round((now - Date.parse(k.createdAt)) / 1000),
        rotatedAgeSeconds: k.rotatedAt === null ? null : Math.round((now - Date.parse(k.rotatedAt)) / 1000),
      })));
      return 0;
    }
    if (keys === null) {
      console.log(`no vault at ${vaultPaths(dataDir).file}: \`deno task vault add NAME --exchange ID\` creates it`);
      return 0;
    }
    if (rows.length === 0) {
      console.log(`the vault ${vaultPaths(dataDir).file} holds no keys`);
      return 0;
    }
    console.log(textTable(
      ["NAME", "EXCHANGE", "FIELDS", "CREATED", "AGE", "ROTATED", "SINCE", "GEN", "ACCOUNTS"],
      rows.map((k) => [
        k.name,
        k.exchange,
        k.fields.join(","),
        k.createdAt.replace(/\.\d{3}Z$/, "Z"),
        age(k.createdAt, now),
        k.rotatedAt?.replace(/\.\d{3}Z$/, "Z") ?? "-",
        age(k.rotatedAt, now),
        k.generation,
        k.accounts.join(",") || "-",
      ]),
    ));
    return 0;
  },

  async rotate(args) {
    const cmd = "deno task vault rotate";
    const { values, positionals } = flags(
      args,
      { stdin: { type: "boolean" }, passphrase: { type: "boolean" } },
      cmd,
      1,
    );
    const dataDir = resolveDataDir(values["data-dir"] as string | undefined);
    const stdin = values.stdin === true;
    if (values.passphrase) {
      if (positionals.length > 0 || stdin) {
        throw new UsageError("rotate --passphrase takes no NAME and no --stdin: it re-encrypts every key");
      }
      using vault = await Vault.open({ dataDir, passphrase: await passphrase(false, false) });
      const next = await passphrase(true, false, NEW_PASSPHRASE_ENV);
      const n = await vault.changePassphrase(next);
      const k = vault.kdf;
      console.log(
        `re-encrypted ${n} key${n === 1 ? "" : "s"} in ${vault.path} under the new passphrase (scrypt N=${k.N} ` +
          `r=${k.r} p=${k.p}, new salt)`,
      );
      return 0;
    }
    const name = positionals[0];
    if (!name) throw new UsageError(`rotate needs a key NAME (${cmd} NAME), or --passphrase`);
    const keys = await Vault.info({ dataDir });
    if (keys !== null && !keys.some((k) => k.name === name)) {
      throw new VaultError(
        "missing_key",
        `the vault has no key named ${name}: add it with \`deno task vault add ${name} --exchange ID\``,
      );
    }
    keyInputReady(stdin, `${cmd} ${name}`);
    using vault = await Vault.open({ dataDir, passphrase: await passphrase(false, stdin) });
    const creds = await keyMaterial(stdin, `${cmd} ${name}`);
    const r = await vault.rotate(name, creds);
    console.log(`rotated key ${name}: generation ${r.generation}, sealed under a fresh IV`);
    console.log(auditNote(r.accounts));
    return 0;
  },

  async remove(args) {
    const cmd = "deno task vault remove";
    const { values, positionals } = flags(args, { force: { type: "boolean" } }, cmd, 1);
    const name = positionals[0];
    if (!name) throw new UsageError(`remove needs a key NAME: ${cmd} NAME`);
    const dataDir = resolveDataDir(values["data-dir"] as string | undefined);
    using vault = await Vault.open({ dataDir, passphrase: await passphrase(false, false) });
    const r = await vault.remove(name, { force: values.force === true });
    console.log(`removed key ${name} from ${vault.path}`);
    console.log(auditNote(r.accounts));
    return 0;
  },

  async check(args) {
    const { values } = flags(args, {}, "deno task vault check", 0);
    const dataDir = resolveDataDir(values["data-dir"] as string | undefined);
    using vault = await Vault.open({ dataDir, passphrase: await passphrase(false, false) });
    const keys = vault.list();
    for (const k of keys) await vault.credentials(k.name);
    const kdf = vault.kdf;
    console.log(
      `ok: the passphrase opens ${vault.path} and all ${keys.length} key${keys.length === 1 ? "" : "s"} decrypt ` +
        `(scrypt N=${kdf.N} r=${kdf.r} p=${kdf.p})`,
    );
    return 0;
  },
};

/** VaultError is the user's to fix: one line, exit 2 (runCli's rule for its own user errors). */
function userErrors(fn: (args: string[]) => Promise<number>): (args: string[]) => Promise<number> {
  return async (args) => {
    try {
      return await fn(args);
    } catch (e) {
      if (e instanceof VaultError) throw new UsageError(e.message);
      throw e;
    }
  };
}

if (import.meta.main) {
  const first = Deno.args[0];
  if (first !== undefined && !Object.hasOwn(COMMANDS, first) && !["--help", "-h", "help"].includes(first)) {
    // runSubcommands would quote the word, and a key pasted in its place must not be printed.
    console.error(
      `error: unknown command (${first.length} characters); commands are ${Object.keys(COMMANDS).join(", ")}`,
    );
    Deno.exit(2);
  }
  await runSubcommands({
    usage: USAGE,
    commands: Object.fromEntries(Object.entries(COMMANDS).map(([k, f]) => [k, userErrors(f)])),
    help: HELP,
  });
}
