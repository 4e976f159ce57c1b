// The brokers of a live account, built from its vault keys: the only place the keys are read.
import { type Broker, CcxtBroker, RoutingBroker } from "../lib/runner/mod.ts";
import { readSecretLine, type SecretLineInput, Vault, VAULT_PASSPHRASE_ENV, VaultError } from "../lib/vault/mod.ts";
import { UsageError } from "../cli/_cli.ts";
import type { Venue } from "./_venues.ts";

/**
 * Opens the vault once and builds one broker per exchange from its key (a {@link RoutingBroker} over them when
 * there are several), dropping every other copy of the keys; answers every key's secrets for the redaction list.
 */
export async function vaultBrokers(
  dataDir: string,
  venues: readonly Venue[],
  apiUrls: ReadonlyMap<string, string>,
): Promise<{ broker: Broker; secrets: string[] }> {
  const opened: CcxtBroker[] = [];
  try {
    using vault = await Vault.open({ dataDir, passphrase: await passphrase() });
    const secrets: string[] = [];
    for (const v of venues) {
      const creds = await vault.credentials(v.keyName);
      secrets.push(...await vault.secrets(v.keyName));
      const apiUrl = apiUrls.get(v.exchange);
      opened.push(
        await CcxtBroker.open({
          exchange: v.exchange,
          credentials: { apiKey: creds.apiKey, secret: creds.secret },
          ...(apiUrl ? { apiUrl } : {}),
        }),
      );
    }
    const broker = opened.length === 1 ? opened[0]! : new RoutingBroker({
      routes: venues.map((v, i) => ({ exchange: v.exchange, broker: opened[i]!, symbols: v.symbols })),
    });
    return { broker, secrets };
  } catch (e) {
    for (const b of opened) await b.close().catch(() => {});
    // A wrong passphrase, a damaged vault or a missing key is the user's to fix: one line, exit 2.
    if (e instanceof VaultError) throw new UsageError(e.message);
    throw e;
  }
}

async function passphrase(): Promise<string> {
  let env: string | undefined;
  try {
    env = Deno.env.get(VAULT_PASSPHRASE_ENV) || undefined;
  } catch { /* no env permission */ }
  if (env) return env;
  let tty: (SecretLineInput & { close?(): void }) | null = null;
  if (Deno.stdin.isTerminal()) tty = Deno.stdin;
  else {
    try {
      const f = await Deno.open("/dev/tty", { read: true, write: true });
      if (f.isTerminal()) tty = f;
      else f.close();
    } catch { /* no controlling terminal */ }
  }
  if (tty === null) {
    throw new UsageError(`no vault passphrase: set ${VAULT_PASSPHRASE_ENV} (there is no terminal to ask on)`);
  }
  try {
    return await readSecretLine({ prompt: "Vault passphrase: ", input: tty });
  } finally {
    if (tty !== Deno.stdin) tty.close?.();
  }
}
