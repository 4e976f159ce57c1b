// `deno task risk <command>`: the operator's pause, resume, kill, reconciliation ack and status of an account, through
// its audit log.
import {
  type AccountStatus,
  accountStatus,
  ackReconciliation,
  killAccount,
  listAccountConfigs,
  type OperatorResult,
  pauseAccount,
  resumeAccount,
} from "../lib/accounts/mod.ts";
import { isoTime, parseFlags, printJson, runSubcommands, textTable, UsageError } from "./_cli.ts";

const USAGE = `Usage: deno task risk <command> --account NAME [options]

The operator's risk commands. pause, resume and kill append an event (by: operator) to the account's audit log,
where a running runner sees it; the trading state is rebuilt from that log, so it survives restarts.

Commands:
  pause    active -> reducing: exits allowed, no new entries
  resume   back to active; after a kill it needs --confirm-account NAME
  kill     the kill switch: halted, nothing new (--flatten: the runner also closes every position)
  ack      acknowledge a live account's reconciliation mismatch (a resume does not lift that hold)
  status   trading state, positions, cash, equity, open orders, last bars, counters, audit chain, limits in force

Every command takes --account NAME, --data-dir DIR (default: $SENTINEL_DATA_DIR or data/store), --json and --help.`;

const HELP: Record<string, string> = {
  pause: `Usage: deno task risk pause --account NAME [--reason TEXT] [--json]

Moves the account from active to reducing (exits allowed, entries denied) with a pause event. A paused or halted
account is left as it is (a pause never lifts a kill); the command says so and exits 0.`,
  resume: `Usage: deno task risk resume --account NAME [--reason TEXT] [--confirm-account NAME] [--json]

Moves a reducing account back to active with a resume event. A killed (halted) account needs the account named
again: --confirm-account NAME, equal to --account; without it the resume is refused (exit 2) and nothing is logged.
Resuming an active account does nothing and says so (exit 0).`,
  kill: `Usage: deno task risk kill --account NAME [--reason TEXT] [--flatten] [--json]

The kill switch: the account is halted (no new orders, exits included) with a kill event. --flatten records that
every position is to be closed as part of the kill (default: the account's risk.flattenOnKill); the runner sends
the closing orders. Leaving halted needs \`deno task risk resume --account NAME --confirm-account NAME\`.`,
  ack: `Usage: deno task risk ack --account NAME --reason TEXT [--reconciliation SEQ] [--operator NAME] [--json]

A live runner's reconciliation that found an order or a balance the audit log cannot explain holds the account in
reducing until an operator who has looked at the report acknowledges it with an operator_ack event (--reason: what
was checked or done). Default: the latest waiting report, which acknowledges every earlier one too. Nothing waiting:
says so and exits 0. The reports: \`deno task audit show --account NAME --kind reconciliation\`.`,
  status: `Usage: deno task risk status --account NAME [--json]

A read-only look (never blocks a runner): the trading state and why, cash, equity, P&L, positions, open orders,
the last bar seen per symbol, the risk counters of the last event's UTC day (orders, daily P&L, equity peak,
drawdown), the audit chain (intact, or the first bad seq) and the risk limits in force with their hash.`,
};

const COMMON = {
  account: { type: "string" },
  "data-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const;

type Flags = Record<string, string | boolean | string[] | undefined>;

function target(values: Flags, command: string): { dataDir?: string; name: string } {
  const name = values.account as string | undefined;
  const dataDir = values["data-dir"] as string | undefined;
  if (!name) {
    const known = listAccountConfigs({ dataDir }).map((a) => a.name);
    throw new UsageError(
      `${command} needs --account NAME (${known.length ? `known accounts: ${known.join(", ")}` : "no accounts yet"})`,
    );
  }
  return { dataDir, name };
}

function report(r: OperatorResult, json: boolean): number {
  if (json) printJson(r);
  else console.log(r.message);
  return 0;
}

function operator(name: string, extra: ParseOptions, run: (values: Flags) => OperatorResult) {
  return (args: string[]): Promise<number> => {
    const { values } = parseFlags(args, { ...COMMON, reason: { type: "string" }, ...extra }, `deno task risk ${name}`);
    return Promise.resolve(report(run(values), values.json === true));
  };
}
type ParseOptions = Record<string, { type: "string" | "boolean" }>;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  pause: operator("pause", {}, (v) => pauseAccount({ ...target(v, "pause"), reason: v.reason as string | undefined })),
  resume: operator("resume", { "confirm-account": { type: "string" } }, (v) =>
    resumeAccount({
      ...target(v, "resume"),
      reason: v.reason as string | undefined,
      confirmAccount: v["confirm-account"] as string | undefined,
    })),
  kill: operator("kill", { flatten: { type: "boolean" } }, (v) =>
    killAccount({
      ...target(v, "kill"),
      reason: v.reason as string | undefined,
      flatten: v.flatten === true ? true : undefined,
    })),
  ack: operator("ack", { reconciliation: { type: "string" }, operator: { type: "string" } }, (v) => {
    if (!(typeof v.reason === "string" && v.reason.trim())) {
      throw new UsageError("ack needs --reason TEXT: what you checked or did about the report (it is recorded)");
    }
    const seqText = v.reconciliation as string | undefined;
    if (seqText !== undefined && !/^[1-9]\d*$/.test(seqText)) {
      throw new UsageError(
        `--reconciliation must be the report's seq (a positive integer), got ${JSON.stringify(seqText)}`,
      );
    }
    return ackReconciliation({
      ...target(v, "ack"),
      reason: v.reason,
      ...(seqText !== undefined ? { reconciliationSeq: Number(seqText) } : {}),
      ...(typeof v.operator === "string" ? { operator: v.operator } : {}),
    });
  }),
  status(args) {
    const { values } = parseFlags(args, COMMON, "deno task risk status");
    const s = accountStatus(target(values, "status"));
    if (values.json) printJson(s);
    else console.log(formatStatus(s));
    return Promise.resolve(0);
  },
};

const money = (x: number): string => x.toFixed(2);

function formatStatus(s: AccountStatus): string {
  const q = s.quote ?? "";
  const out = [
    `${s.account}: ${s.tradingState.toUpperCase()}${s.reason ? ` (${s.reason})` : ""}` +
    `${s.kind ? `, ${s.kind} account` : ""}`,
    `cash ${money(s.cash)} ${q}, equity ${money(s.equity)} ${q} (start ${money(s.startingCash)}; realized ` +
    `${money(s.realizedPnl)}, unrealized ${money(s.unrealizedPnl)}, fees ${money(s.fees)})`,
    `counters (UTC day ${s.counters.day ?? "-"}): ${s.counters.ordersToday} orders, daily P&L ` +
    `${money(s.counters.dailyPnl)}, equity peak ${money(s.counters.equityPeak)}, drawdown ` +
    `${(s.counters.drawdown * 100).toFixed(2)} %, ${s.counters.consecutiveLosses} losses in a row`,
    s.audit.ok
      ? `audit chain: intact, ${s.audit.events} events, head seq ${s.audit.headSeq}`
      : `audit chain: NOT intact: first bad seq ${s.audit.firstBadSeq}: ${s.audit.reason}`,
    s.risk
      ? `risk limits in force: config hash ${s.risk.configHash}, flatten on kill ${s.risk.flattenOnKill}`
      : `risk limits: account.json cannot be loaded: ${s.configError}`,
  ];
  if (s.positions.length) {
    out.push("", textTable(["symbol", "qty", "avg price"], s.positions.map((p) => [p.symbol, p.qty, p.avgPrice])));
  } else out.push("no positions");
  if (s.openOrders.length) {
    out.push(
      "",
      textTable(
        ["order", "symbol", "side", "qty", "filled", "price", "status"],
        s.openOrders.map((o) => [o.clientOrderId, o.symbol, o.side, o.qty, o.filledQty, o.price, o.status]),
      ),
    );
  } else out.push("no open orders");
  if (s.lastBars.length) {
    out.push(
      "",
      textTable(
        ["symbol", "timeframe", "last bar", "close"],
        s.lastBars.map((b) => [b.symbol, b.timeframe, isoTime(b.ts), b.close]),
      ),
    );
  } else out.push("no bars seen yet");
  for (const w of s.audit.warnings) out.push(`warning: ${w}`);
  return out.join("\n");
}

if (import.meta.main) {
  await runSubcommands({ usage: USAGE, commands: COMMANDS, help: HELP });
}
