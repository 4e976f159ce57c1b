// `deno task account <command>`: create, list and show paper and live accounts.
import { AccountKindSchema, createAccount, listAccountConfigs, loadAccount } from "../lib/accounts/mod.ts";
import { isoTime, parseFlags, parseNumberFlag, printJson, runSubcommands, textTable, UsageError } from "./_cli.ts";

const USAGE = `Usage: deno task account <command> [options]

Paper and live accounts: <data dir>/_accounts/NAME/account.json (name, kind, starting cash, quote currency, risk
limits, notifications) and the account's audit log.

Commands:
  create   create an account with the default risk limits (edit them in its account.json)
  list     list the accounts
  show     print an account's config: limits in force, notifications, config hash

Every command takes --data-dir DIR (default: $SENTINEL_DATA_DIR or data/store), --json and --help.
Operator commands (pause, resume, kill, status) are in \`deno task risk --help\`.`;

const HELP: Record<string, string> = {
  create: `Usage: deno task account create --name NAME [--kind paper|live] [--cash 10000] [--quote USDT] [--json]

Creates <data dir>/_accounts/NAME/account.json with conservative default risk limits (lib/risk's
DEFAULT_RISK_CONFIG: 25 % of equity per position, no leverage, 3 % daily loss pauses, 20 % drawdown kills, ...)
and console notifications, and starts the account's audit log with a config_change event carrying the config and
its hash. Refuses an existing account. Edit the limits in account.json; a running account picks up a valid edit
(logged with its diff) and keeps its old limits when the edit is invalid.

Options:
  --name NAME     1-64 characters of a-z, 0-9, '-' and '_'
  --kind KIND     paper (default) or live
  --cash N        starting cash in the quote currency (default 10000)
  --quote CODE    quote currency (default USDT)`,
  list: `Usage: deno task account list [--json]

Lists the accounts: name, kind, quote, starting cash, creation time; an account whose account.json is broken is
listed with the error.`,
  show: `Usage: deno task account show --account NAME [--json]

Prints the account's config: kind, quote, starting cash, the risk limits in force and the config hash, and the
notification sinks (webhook URLs as their origin only: a URL may hold a token). For trading state, positions and
the audit chain use \`deno task risk status --account NAME\`.`,
};

const COMMON = {
  "data-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  create(args) {
    const { values } = parseFlags(args, {
      ...COMMON,
      name: { type: "string" },
      kind: { type: "string" },
      cash: { type: "string" },
      quote: { type: "string" },
    }, "deno task account create");
    const name = values.name as string | undefined;
    if (!name) throw new UsageError("create needs --name NAME (1-64 characters of a-z, 0-9, '-' and '_')");
    const kind = AccountKindSchema.safeParse(values.kind ?? "paper");
    if (!kind.success) {
      throw new UsageError(`--kind ${JSON.stringify(values.kind)} is not an account kind: use paper or live`);
    }
    const cash = values.cash === undefined
      ? 10_000
      : parseNumberFlag("cash", values.cash as string, (x) => x > 0, "use the starting cash, a number > 0");
    let acct;
    try {
      acct = createAccount({
        dataDir: values["data-dir"] as string | undefined,
        name,
        kind: kind.data,
        cash,
        quote: values.quote as string | undefined,
      });
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) throw new UsageError(e.message);
      throw e;
    }
    if (values.json) {
      printJson({ account: acct.name, path: acct.path, configHash: acct.configHash, config: acct.config });
    } else {
      console.log(
        `created ${acct.config.kind} account ${acct.name}: ${acct.config.startingCash} ${acct.config.quote}, ` +
          `default risk limits in ${acct.path} (edit them there), config hash ${acct.configHash}`,
      );
    }
    return Promise.resolve(0);
  },

  list(args) {
    const { values } = parseFlags(args, COMMON, "deno task account list");
    const list = listAccountConfigs({ dataDir: values["data-dir"] as string | undefined });
    if (values.json) printJson(list);
    else if (list.length === 0) console.log("no accounts yet; create one with `deno task account create --name NAME`");
    else {
      console.log(textTable(
        ["account", "kind", "quote", "starting cash", "created", "error"],
        list.map((a) => [
          a.name,
          a.kind ?? "-",
          a.quote ?? "-",
          a.startingCash ?? "-",
          a.createdAt ? isoTime(Date.parse(a.createdAt)) : "-",
          a.error ?? "",
        ]),
      ));
    }
    return Promise.resolve(0);
  },

  show(args) {
    const { values } = parseFlags(args, { ...COMMON, account: { type: "string" } }, "deno task account show");
    const name = values.account as string | undefined;
    const dataDir = values["data-dir"] as string | undefined;
    if (!name) {
      const known = listAccountConfigs({ dataDir }).map((a) => a.name);
      throw new UsageError(
        `show needs --account NAME (${known.length ? `known accounts: ${known.join(", ")}` : "no accounts yet"})`,
      );
    }
    const acct = loadAccount({ dataDir, name });
    const c = acct.config;
    // A webhook URL may be a token (Slack-style): only its origin is shown; header values never.
    const notify = {
      console: c.notify.console,
      webhooks: c.notify.webhooks.map((w) => ({
        origin: URL.canParse(w.url) ? new URL(w.url).origin : "(invalid url)",
        minLevel: w.minLevel,
        format: w.format,
        headers: Object.keys(w.headers ?? {}),
      })),
    };
    if (values.json) {
      printJson({ ...c, notify, path: acct.path, configHash: acct.configHash });
      return Promise.resolve(0);
    }
    console.log(`${c.name}: ${c.kind} account, ${c.startingCash} ${c.quote} starting cash, created ${c.createdAt}`);
    console.log(`config ${acct.path}\nconfig hash ${acct.configHash}\nflatten on kill: ${c.risk.flattenOnKill}\n`);
    console.log(textTable(
      ["rule", "on", "level", "limits"],
      Object.entries(c.risk.rules).map(([rule, r]) => {
        const { enabled, level, ...limits } = r as { enabled: boolean; level: string } & Record<string, unknown>;
        return [rule, enabled ? "yes" : "no", level, JSON.stringify(limits)];
      }),
    ));
    const overrides = Object.keys(c.risk.strategies);
    if (overrides.length) console.log(`\nper-strategy overrides: ${overrides.join(", ")}`);
    console.log(
      `\nnotify: console ${JSON.stringify(notify.console)}; webhooks: ${
        notify.webhooks.length ? notify.webhooks.map((w) => `${w.origin} (${w.minLevel}+)`).join(", ") : "none"
      }`,
    );
    return Promise.resolve(0);
  },
};

if (import.meta.main) {
  await runSubcommands({ usage: USAGE, commands: COMMANDS, help: HELP });
}
