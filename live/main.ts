// The live entry point (`deno task live`, DESIGN.md's `live/`): `paper` with the ccxt broker and the streaming feed,
// trading the market the account's promotion named; a dry run unless the account is armed twice over.
import { loadAccount, reloadAccountConfig } from "../lib/accounts/mod.ts";
import { RunnerMonitor } from "../lib/monitor/mod.ts";
import { createNotifier } from "../lib/notify/mod.ts";
import { loadPromotedSleeves } from "../lib/promotion/mod.ts";
import { CcxtStreamFeed, EventBus, type Feed, LiveRunner, MergedFeed } from "../lib/runner/mod.ts";
import { Vault, VAULT_PASSPHRASE_ENV } from "../lib/vault/mod.ts";
import { isoTime, parseFlags, runCli, UsageError } from "../cli/_cli.ts";
import { LLM_FLAGS, LLM_HELP } from "../cli/_llm_flags.ts";
import { agentLine, agentRuntimeFor, anthropicSecrets, LLM_BUDGET_HINT } from "../paper/_agents.ts";
import { writeAccountKey } from "./_account_key.ts";
import { vaultBrokers } from "./_vault_brokers.ts";
import { urlsByExchange, venuesOf } from "./_venues.ts";

const USAGE = `Usage: deno task live --account NAME [--key VAULT_NAME]... [--api-url [ID=]URL --ws-url [ID=]URL]...
                       [--arm[=NAME]]

Runs the account's promoted strategies (deno task promote --market exchange:SYMBOL:timeframe), each on the exchange
of its promotion's market, with the account's vault key for that exchange: closed bars streamed over websockets
(polling when a socket is unavailable), the risk engine, the audit log, and the ccxt broker. An account may trade on
several exchanges at once (one vault key per exchange, each symbol on one exchange); its balances are reconciled as
one: each asset summed across the exchanges. Every decision and order intent is durable in the log before an order
is sent; on start and after any reconnect the log is reconciled with the exchange, and a mismatch keeps the account
reducing until an operator acknowledges it.

A DRY RUN unless armed: real orders are sent only when the account's account.json has "armed": true AND --arm is
given, with the account's name typed on the terminal to confirm (or --arm=NAME when not interactive). A dry run trades
nothing and logs each order it would have sent (order_dry_run).

Credentials come from the vault (deno task vault add NAME --exchange ID), never from the command line; the vault
passphrase is asked on the terminal, or taken from ${VAULT_PASSPHRASE_ENV} for unattended runs.

Options:
  --key VAULT_NAME        the vault key to trade with, repeated for one key per exchange (set in the account's
                          config on first use; default: the config's "key")
  --api-url [ID=]URL      REST origin instead of exchange ID's (a testnet or the fake exchange); repeatable, one
                          per exchange; a bare URL when the account trades on one exchange
  --ws-url [ID=]URL       websocket origin instead of exchange ID's, as --api-url
  --lot-step X            base-unit step orders are rounded down to (default: each market's step as the exchange
                          announces it, e.g. Binance's LOT_SIZE; 0.00001 when it announces none)
  --data-dir DIR          default $SENTINEL_DATA_DIR or data/store
  --metrics-port N        Prometheus metrics at http://127.0.0.1:N/metrics (loopback only)
  -h, --help
Ctrl-C stops cleanly after the current step with a run_stopped event.

${LLM_HELP}
  The default stays replay here too, so nothing is spent silently: an account trading llm_persona or llm_debate
  with LLM personas needs --llm-cache record (or live) and should set --llm-budget. Every decision is a "decision"
  event in the account's audit log, in the bar's transaction with the orders it leads to; a restart replays the
  answers from the store (no new call, no order twice). A reached --llm-budget ends the run cleanly (run_stopped
  "llm budget reached", exit 0).`;

/** Flags a key could be passed in: refused before anything else, so the value never reaches a parser message. */
const SECRET_FLAG =
  /^-{1,2}(api-?key|apikey|secret|api-?secret|password|pass|passwd|passphrase|uid|token|private-?key|credentials?)$/i;

async function main(args: string[], signal: AbortSignal): Promise<number> {
  // `--arm` takes an optional value, which node's parser cannot say: it is taken out first.
  let arm: { name?: string } | undefined;
  const rest: string[] = [];
  for (const a of args) {
    if (a === "--") break;
    const flag = a.split("=", 1)[0]!;
    if (a.startsWith("-") && SECRET_FLAG.test(flag)) {
      throw new UsageError(
        `${flag} is refused: a key on the command line stays in the shell history and is shown by ps; keys live in ` +
          `the vault (deno task vault add), its passphrase is typed or set in ${VAULT_PASSPHRASE_ENV}`,
      );
    }
    if (a === "--arm") arm = {};
    else if (a.startsWith("--arm=")) arm = { name: a.slice("--arm=".length) };
    else rest.push(a);
  }
  const { values: raw } = parseFlags(rest, {
    account: { type: "string" },
    key: { type: "string", multiple: true },
    "api-url": { type: "string", multiple: true },
    "ws-url": { type: "string", multiple: true },
    "lot-step": { type: "string" },
    "data-dir": { type: "string" },
    "metrics-port": { type: "string" },
    help: { type: "boolean", short: "h" },
    ...LLM_FLAGS,
  }, "deno task live");
  const values = raw as Record<string, string | boolean | string[] | undefined>;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const str = (k: string): string | undefined => typeof values[k] === "string" ? values[k] as string : undefined;
  const list = (k: string): string[] => Array.isArray(values[k]) ? values[k] as string[] : [];
  const name = str("account");
  if (!name) throw new UsageError("--account NAME is required (create one with deno task account create)");
  const lotStep = str("lot-step") === undefined ? undefined : Number(str("lot-step"));
  if (lotStep !== undefined && !(lotStep > 0 && Number.isFinite(lotStep))) {
    throw new UsageError(`--lot-step must be a number > 0 (the exchange's LOT_SIZE step), got ${str("lot-step")}`);
  }
  const metricsPort = parsePort(str("metrics-port"));
  const account = loadAccount({ name, ...(str("data-dir") ? { dataDir: str("data-dir")! } : {}) });
  if (account.config.kind !== "live") {
    throw new UsageError(
      `account ${name} is a ${account.config.kind} account: live trading needs an account created with --kind live`,
    );
  }
  // Agent strategies are registered before the promotions are resolved into sleeves.
  const agents = await agentRuntimeFor(values, account.dataDir, name);
  using _agents = { [Symbol.dispose]: () => agents?.close() };
  const sleeves = await loadPromotedSleeves({ dataDir: account.dataDir, account: name });
  if (sleeves.length === 0) {
    throw new UsageError(
      `account ${name} has no promoted strategy: run deno task promote --account ${name} --market ... first`,
    );
  }
  const timeframes = [...new Set(sleeves.map((s) => s.timeframe).filter((t) => t !== undefined))];
  if (timeframes.length !== 1) {
    throw new UsageError(
      timeframes.length === 0
        ? `the promotions of ${name} name no timeframe: promote again with --market exchange:SYMBOL:timeframe`
        : `account ${name} has promotions on several timeframes (${timeframes.join(", ")}): one runner trades one`,
    );
  }
  const timeframe = timeframes[0]!;
  const configKeys = account.config.key === undefined
    ? undefined
    : typeof account.config.key === "string"
    ? [account.config.key]
    : [...account.config.key];
  const flagKeys = list("key").length > 0 ? [...new Set(list("key"))] : undefined;
  const keyNames = flagKeys ?? configKeys;
  if (keyNames === undefined) {
    throw new UsageError(`account ${name} names no vault key: pass --key VAULT_NAME (deno task vault list shows them)`);
  }
  if (configKeys !== undefined && flagKeys !== undefined && !sameSet(configKeys, flagKeys)) {
    throw new UsageError(
      `account ${name} trades with vault key${configKeys.length > 1 ? "s" : ""} ${configKeys.join(", ")}, not ` +
        `${flagKeys.join(", ")}: drop --key, or edit its account.json to change keys`,
    );
  }
  // Arming is decided before any secret is read: a refusal costs nothing and sends nothing.
  const armed = arm === undefined ? false : await confirmArm(name, account.config.armed === true, arm.name);
  const mode = armed
    ? "ARMED: real orders"
    : `DRY RUN (${account.config.armed !== true ? 'the account config has no "armed": true' : "no --arm"}): ` +
      "orders are logged, never sent";
  const keys = await Vault.info({ dataDir: account.dataDir });
  const venues = venuesOf(name, sleeves, keyNames, keys ?? []);
  const apiUrls = urlsByExchange("--api-url", list("api-url"), venues);
  const wsUrls = urlsByExchange("--ws-url", list("ws-url"), venues);
  const { broker, secrets } = await vaultBrokers(account.dataDir, venues, apiUrls);
  await using _broker = { [Symbol.asyncDispose]: () => broker.close() };
  if (account.config.key === undefined) {
    writeAccountKey(account, keyNames.length === 1 ? keyNames[0]! : keyNames);
    // A config_change names the key in the account's log, as an edit of account.json made while it runs would.
    const r = reloadAccountConfig(account);
    if (r.status === "invalid") throw r.error;
  }

  const bus = new EventBus();
  const notifier = createNotifier(account.config.notify);
  await using _notifier = { [Symbol.asyncDispose]: () => notifier.close() };
  await using monitor = new RunnerMonitor({
    account: name,
    config: account.config,
    bus,
    notifier,
    ...(metricsPort === undefined ? {} : { metricsPort }),
    wallClockStaleness: true,
    onListen: (a) => console.error(`metrics: http://127.0.0.1:${a.port}/metrics`),
  });
  // The feed asks the runner to reconcile after a reconnect, once the runner is open.
  const opened: { runner?: LiveRunner } = {};
  const feeds = venues.map((v) =>
    new CcxtStreamFeed({
      exchange: v.exchange,
      symbols: v.symbols,
      timeframe,
      ...(apiUrls.has(v.exchange) ? { apiUrl: apiUrls.get(v.exchange)! } : {}),
      ...(wsUrls.has(v.exchange) ? { wsUrl: wsUrls.get(v.exchange)! } : {}),
      onProblem: (p) => {
        // After a drop the exchange may have moved without us: reconcile before the next order.
        if (p.kind === "reconnected" || p.kind === "fallback") opened.runner?.requestReconcile("reconnect");
        if (p.kind !== "start" && p.kind !== "spikeChecked") {
          console.error(`feed${venues.length > 1 ? ` ${v.exchange}` : ""}: ${JSON.stringify(p)}`);
        }
      },
    })
  );
  // One exchange keeps its feed as is; several are merged (each batch one exchange's bars of one open time).
  const feed: Feed = feeds.length === 1 ? feeds[0]! : new MergedFeed({ feeds });
  using runner = await LiveRunner.open({
    account: name,
    dataDir: account.dataDir,
    sleeves,
    risk: account.config.risk,
    startingCash: account.config.startingCash,
    timeframe,
    broker,
    armed,
    bus,
    secrets: agents ? [...secrets, ...anthropicSecrets()] : secrets,
    ...(lotStep !== undefined ? { lotStep } : {}),
  });
  opened.runner = monitor.runner = runner;
  console.error(
    `live ${name} ${mode} | ${sleeves.map((s) => `${s.id} ${JSON.stringify(s.params)}`).join("; ")} | ${
      venues.map((v) => `${v.exchange} ${v.symbols.join(", ")}`).join("; ")
    } ${timeframe} | lot ${[...runner.lotSteps()].map(([s, l]) => `${s} ${l}`).join(", ")} | resumed after ${
      runner.lastBarTs.size
        ? [...runner.lastBarTs].map(([s, t]) => `${s} ${isoTime(t)}`).join(", ")
        : "nothing (new run)"
    }`,
  );
  const summary = await runner.run(feed, { signal });
  console.error(
    `${summary.reason}: ${summary.batches} batches, ${summary.bars} bars, ${summary.sent} orders sent, ` +
      `${summary.dryRun} dry-run orders, ${summary.denied} denied, ${summary.fills} fills, ` +
      `${summary.reconciliations} reconciliations, equity ${summary.equity.toFixed(2)} (run ${summary.runId})`,
  );
  if (agents) console.error(agentLine(agents));
  if (summary.reason === "llm budget reached") console.error(LLM_BUDGET_HINT);
  return 0;
}

/** Both conditions: `armed: true` in the config, and the account's name typed (or given as `--arm=NAME`). */
async function confirmArm(name: string, configArmed: boolean, given: string | undefined): Promise<boolean> {
  if (!configArmed) {
    throw new UsageError(
      `account ${name} is not armed: set "armed": true in its account.json to allow real orders (--arm alone is ` +
        "not enough), or run without --arm for a dry run",
    );
  }
  if (given !== undefined) {
    if (given !== name) throw new UsageError(`--arm=${given.slice(0, 64)} does not name the account (${name})`);
    return true;
  }
  if (!Deno.stdin.isTerminal()) {
    throw new UsageError(
      `--arm asks for the account name on the terminal and there is none: use --arm=${name} when not interactive`,
    );
  }
  const typed = await readLine(`Type the account name (${name}) to send REAL orders: `);
  if (typed.trim() !== name) throw new UsageError("the name typed does not match the account: nothing was sent");
  return true;
}

async function readLine(prompt: string): Promise<string> {
  await Deno.stderr.write(new TextEncoder().encode(prompt));
  const buf = new Uint8Array(256);
  let line = "";
  for (;;) {
    const n = await Deno.stdin.read(buf);
    if (n === null) return line;
    line += new TextDecoder().decode(buf.subarray(0, n));
    if (line.includes("\n")) return line.slice(0, line.indexOf("\n"));
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function parsePort(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!(/^\d+$/.test(s) && n <= 65_535)) {
    throw new UsageError(`--metrics-port must be a port 0-65535 (0: any free one), got ${JSON.stringify(s)}`);
  }
  return n;
}

if (import.meta.main) await runCli(main);
