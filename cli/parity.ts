/**
 * `deno task parity`: replays a series or a CSV file through the paper runner (one sleeve, the simulated broker, no
 * risk limits) and compares every order (bar, side, size, price) and the final equity with the vectorized backtest
 * of the same strategy, params and options, exactly. On a difference it prints the first differing order and, when
 * the strategy's signals depend on later bars, names it as peeking at the future. Run `deno task parity --help`.
 *
 * Exit codes: 0 parity; 1 a difference (or the runner refused the data); 2 bad input; 130 interrupted.
 *
 * @module
 */
import { checkParity, formatParityReport } from "../lib/parity/mod.ts";
import { parseParams } from "../lib/strategies/mod.ts";
import { agentStrategiesFor } from "./_agent_strategies_for.ts";
import { commandFlags, printJson, runCli, UsageError } from "./_cli.ts";
import { parseParamFlags, strategyNamed } from "./_backtest_args.ts";
import { DATA_FLAGS, dataOptionsFromFlags, optionsFromFlags, SIMULATION_FLAGS } from "./_backtest_flags.ts";
import { loadData } from "./_backtest_data.ts";

const COMMAND = "deno task parity";

/** The help text. */
export const HELP = `Usage: ${COMMAND} --strategy NAME [--param k=v ...] --data SERIES|FILE.csv [backtest options]

Replays the data bar by bar through the paper runner with the simulated broker and checks that it trades exactly
as the vectorized backtest of the same options: every order's bar, side, size and price, and the final equity, with
no tolerance. Exit 0 on parity, 1 on a difference (the first differing order is printed), 2 on bad input.

A position still open at the end stays open on both sides (finalize is always "open": a paper account does not
close when the data ends). When the check fails, the strategy is tested for look-ahead (its signals on prefixes of
the data against the full run) and named if it peeks at the future.

Data
  --data SERIES|FILE      stored series exchange:SYMBOL:timeframe (samples:GOOG:1d) or a CSV path
  --timeframe TF          timeframe of a CSV file (default: guessed from the bar spacing)
  --from DATE, --to DATE  range [from, to): 2024-01-01, 2024-01-01T12:00 (UTC) or epoch ms

Strategy
  --strategy NAME         a single-series strategy (sma_cross, ema_cross, macd, rsi_reversion,
                          bollinger_breakout, buy_and_hold); portfolio strategies are refused
  --param k=v             a strategy parameter (repeatable); missing ones take their defaults

Simulation: the flags of \`deno task backtest\` (see its --help)
  --fill, --fee, --fixed-fee, --spread, --slippage, --cash, --size, --lot, --min-notional, --direction,
  --stop-loss, --take-profit, --trailing-stop

Output
  --json                  print the report as JSON
  -h, --help              this help

The runner evaluates the strategy over every bar so far at each bar: long data takes a while (progress is shown on
a terminal). Use --from/--to to check a window.
Examples
  ${COMMAND} --strategy sma_cross --param fast=10 --param slow=30 --data samples:GOOG:1d --fee 0.001
  ${COMMAND} --strategy rsi_reversion --data data/samples/ETH_BTC-5m.csv --to 2018-01-20 --direction both --stop-loss 2%`;

const FLAGS = {
  data: { type: "string" },
  strategy: { type: "string" },
  param: { type: "string", multiple: true },
  ...DATA_FLAGS,
  ...SIMULATION_FLAGS,
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The command: returns the exit code. */
export async function main(args: string[], signal: AbortSignal): Promise<number> {
  const values = commandFlags(args, FLAGS, COMMAND, HELP);
  if (values === null) return 0;
  const data = values.data as string | undefined;
  const name = values.strategy as string | undefined;
  if (name === undefined) throw new UsageError(`--strategy is required (see \`${COMMAND} --help\`)`);
  if (data === undefined) {
    throw new UsageError(
      `--data is required: a stored series (samples:GOOG:1d) or a CSV path (see \`${COMMAND} --help\`)`,
    );
  }
  // The agent strategies (replay runtime: a check never spends) are registered so the command can name them.
  using _agents = await agentStrategiesFor(name);
  const strategy = strategyNamed(name);
  if (strategy.kind === "portfolio") {
    throw new UsageError(
      `${name} is a portfolio strategy: the paper runner trades one symbol per sleeve, so parity takes a ` +
        "single-series strategy",
    );
  }
  const params = parseParams(strategy, parseParamFlags((values.param as string[] | undefined) ?? []));
  const options = optionsFromFlags(values);
  if (options.finalize === "close") {
    throw new UsageError('--finalize close does not apply: a paper account keeps its position, parity uses "open"');
  }
  // Every value is checked before any data is read.
  const dataOptions = dataOptionsFromFlags(values);
  const loaded = await loadData(data, dataOptions);
  const json = values.json === true;
  for (const note of loaded.notes) if (!json) console.error(`note: ${note}`);
  const isTty = Deno.stderr.isTerminal();
  const enc = new TextEncoder();
  const total = loaded.frame.length;
  let shown = -1;
  const report = await checkParity({
    strategy,
    params,
    frame: loaded.frame,
    symbol: loaded.series.symbol,
    timeframe: loaded.series.timeframe,
    options,
    signal,
    ...(isTty
      ? {
        onProgress: (p: { bars: number }) => {
          const pct = Math.floor((100 * p.bars) / Math.max(1, total));
          if (pct === shown) return;
          shown = pct;
          Deno.stderr.writeSync(enc.encode(`\r\x1b[Kreplaying ${loaded.label}: ${p.bars}/${total} bars (${pct}%)`));
        },
      }
      : {}),
  });
  if (isTty) Deno.stderr.writeSync(enc.encode("\r\x1b[K"));
  if (signal.aborted) throw signal.reason;
  if (json) printJson({ data: loaded.label, ...report });
  else console.log(`${loaded.label}\n${formatParityReport(report)}`);
  return report.ok ? 0 : 1;
}

if (import.meta.main) await runCli(main);
