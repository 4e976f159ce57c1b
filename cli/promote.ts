/**
 * `deno task promote`: checks the promotion gates of a strategy version for an account and, when every gate
 * passes, records the promotion in the account's audit log (lib/promotion). Prints the checklist: each gate pass or
 * fail with its evidence. Run `deno task promote --help`.
 *
 * Exit codes: 0 promoted (or, with --dry-run, every gate passed); 1 refused (a gate failed); 2 bad input; 130
 * interrupted.
 *
 * @module
 */
import { type EvidenceData, promote, type PromotionChecklist, PromotionRefused } from "../lib/promotion/mod.ts";
import { evaluateGates } from "../lib/promotion/mod.ts";
import { agentStrategiesFor } from "./_agent_strategies_for.ts";
import { commandFlags, parseNumberFlag, printJson, runCli, UsageError } from "./_cli.ts";
import { parseParamFlags } from "./_backtest_args.ts";
import { loadData } from "./_backtest_data.ts";
import { DATA_FLAGS, dataOptionsFromFlags, optionsFromFlags, SIMULATION_FLAGS } from "./_backtest_flags.ts";

const COMMAND = "deno task promote";

/** The help text. */
export const HELP = `Usage: ${COMMAND} --strategy NAME [--param k=v ...] --account NAME
         [--market exchange:SYMBOL:timeframe] [--data SERIES|FILE.csv] [simulation options] [--cash X]

Promotes a strategy version (its code hash and params) to a paper or live account when every gate passes:
  backtest      a recorded backtest of the same code, params and options over >= 6 months, Sharpe > 0
  walk_forward  a recorded walk-forward of that code covering the params: >= 2 folds, mean out-of-sample Sharpe > 0
  risk_limits   the account's risk config has a daily-loss or drawdown limit in force
  parity        the paper runner's replay of the evidence data matches the backtest order for order
  audit_chain   the account's audit log verifies
A promotion is a \`promotion\` event in the account's audit log; the paper runner trades what it names.

  --strategy NAME         a built-in strategy, or a saved notebook strategy file (strategies/<name>-<hash12>.js)
  --param k=v             a strategy parameter (repeatable); missing ones take their defaults
  --account NAME          the account to promote to (\`deno task account create\`)
  --market SERIES         what the account will trade, exchange:SYMBOL:timeframe
                          [the --data series when it is a stored one, else the backtest evidence's]
  --data SERIES|FILE      where missing evidence is computed (a stored series or a CSV file); recorded as runs
  --timeframe, --calendar, --from, --to, --periods-per-year, --risk-free   as for \`deno task backtest\`
  --fill, --fee, --fixed-fee, --spread, --slippage, --size, --lot, --min-notional, --direction,
  --stop-loss, --take-profit, --trailing-stop, --finalize
                          the sleeve's backtest options (as for \`deno task backtest\`); the evidence must use the same
  --cash X                cash allocated to the sleeve [the account's starting cash split over its sleeves]
  --dry-run               check the gates only; write nothing to the account
  --json                  print the checklist (and the event seq) as JSON
  -h, --help              this help

Example
  ${COMMAND} --strategy sma_cross --param fast=10 --param slow=30 --fee 0.001 --account paper-1 \\
      --data samples:GOOG:1d`;

const FLAGS = {
  strategy: { type: "string" },
  param: { type: "string", multiple: true },
  account: { type: "string" },
  market: { type: "string" },
  data: { type: "string" },
  ...DATA_FLAGS,
  ...SIMULATION_FLAGS,
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The checklist as a trader reads it: one block per gate, PASS or FAIL, its evidence indented below. */
export function formatChecklist(c: PromotionChecklist): string {
  const lines = [
    `promotion of ${c.strategy} ${JSON.stringify(c.params)} (code ${c.codeHash.slice(0, 12)}) to ${c.account}${
      c.market ? ` trading ${c.market}` : ""
    }`,
    "",
  ];
  for (const g of c.gates) {
    lines.push(`[${g.ok ? "PASS" : "FAIL"}] ${g.name}`);
    for (const l of g.evidence.split("\n")) lines.push(`       ${l}`);
  }
  return lines.join("\n");
}

/** The command: returns the exit code. */
export async function main(args: string[], signal: AbortSignal): Promise<number> {
  const values = commandFlags(args, FLAGS, COMMAND, HELP);
  if (values === null) return 0;
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const strategy = str("strategy"), account = str("account");
  if (strategy === undefined) throw new UsageError(`--strategy is required (see \`${COMMAND} --help\`)`);
  // The agent strategies (replay runtime: a check never spends) are registered so the command can name them.
  using _agents = await agentStrategiesFor(strategy);
  if (account === undefined) throw new UsageError(`--account is required (see \`${COMMAND} --help\`)`);
  // The simulation flags are the backtest command's; --cash here is the allocation, not the evidence's cash.
  const { cash: _cash, ...simValues } = values;
  const options = optionsFromFlags(simValues);
  const dataOptions = dataOptionsFromFlags(values);
  const cash = str("cash") === undefined
    ? undefined
    : parseNumberFlag("cash", str("cash")!, (x) => x > 0, "a positive amount of the account's quote currency");
  let data: EvidenceData | undefined;
  if (str("data") !== undefined) {
    const loaded = await loadData(str("data")!, dataOptions);
    for (const note of loaded.notes) console.error(`note: ${note}`);
    data = {
      frame: loaded.frame,
      series: loaded.series,
      calendar: loaded.calendar,
      ...(dataOptions.periodsPerYear !== undefined ? { periodsPerYear: dataOptions.periodsPerYear } : {}),
      ...(dataOptions.riskFree !== undefined ? { riskFree: dataOptions.riskFree } : {}),
    };
  }
  const json = values.json === true;
  const request = {
    strategy,
    params: parseParamFlags((values.param as string[] | undefined) ?? []),
    account,
    ...(str("market") !== undefined ? { market: str("market")! } : {}),
    ...(data ? { data } : {}),
    options,
    onProgress: (line: string) => console.error(line),
    signal,
  };
  let checklist: PromotionChecklist;
  let seq: number | undefined;
  if (values["dry-run"]) checklist = await evaluateGates(request);
  else {
    try {
      const r = await promote({ ...request, ...(cash !== undefined ? { cash } : {}) });
      checklist = r.checklist;
      seq = r.seq;
    } catch (e) {
      if (!(e instanceof PromotionRefused)) throw e;
      checklist = e.checklist;
    }
  }
  const failed = checklist.gates.filter((g) => !g.ok).map((g) => g.name);
  if (json) printJson({ ...checklist, ...(seq !== undefined ? { seq } : {}), promoted: seq !== undefined });
  else {
    console.log(formatChecklist(checklist));
    console.log("");
    if (seq !== undefined) console.log(`promoted: event ${seq} in ${account}'s audit log`);
    else if (failed.length) console.log(`refused: ${failed.join(", ")} failed`);
    else console.log("every gate passes (dry run: nothing written)");
  }
  return failed.length ? 1 : 0;
}

if (import.meta.main) await runCli(main);
