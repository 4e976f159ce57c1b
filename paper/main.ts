// The paper entry point (`deno task paper`, DESIGN.md's `paper/`): runs an account's promoted strategies through the
// paper runner (live bars polled through ccxt, or a replay of stored bars); `paper status` prints the account's state.
import { accountStatus, loadAccount } from "../lib/accounts/mod.ts";
import { progressBar } from "../lib/data/mod.ts";
import type { Frame } from "../lib/frame/mod.ts";
import { RunnerMonitor } from "../lib/monitor/mod.ts";
import { createNotifier } from "../lib/notify/mod.ts";
import { loadPromotedSleeves } from "../lib/promotion/mod.ts";
import { CcxtPollingFeed, EventBus, type Feed, PaperRunner, ReplayFeed, runnerState } from "../lib/runner/mod.ts";
import { formatSeries, TimeframeSchema } from "../lib/types/mod.ts";
import { loadData } from "../cli/_backtest_data.ts";
import { isoTime, parseFlags, printJson, runCli, textTable, UsageError } from "../cli/_cli.ts";
import type { FlagValues } from "../cli/_backtest_flags.ts";
import { LLM_FLAGS, LLM_HELP } from "../cli/_llm_flags.ts";
import { agentLine, agentRuntimeFor, anthropicSecrets, LLM_BUDGET_HINT } from "./_agents.ts";

const USAGE = `Usage: deno task paper --account NAME [--feed poll|replay] [options]
       deno task paper status --account NAME [--json]

Runs the account's promoted strategies (deno task promote) through the risk engine, the simulated broker and the
audit log. Every decision and order intent is durable in the log before the broker sees it; killed at any moment and
started again, the runner rebuilds its state from the log and never sends an order twice.

Feeds:
  --feed poll (default)   closed bars polled through ccxt: --exchange ID (default binance), --api-url ORIGIN
                          (a proxy, testnet or the fake exchange), --poll-ms MS, --grace-ms MS
  --feed replay           stored bars, to the end of the data: --data SERIES|FILE.csv|SYMBOL=FILE.csv (repeat it
                          for several symbols), --speed max|FACTOR (default max; 60 = an hour of 1m bars a minute)

Options: --data-dir DIR (default $SENTINEL_DATA_DIR or data/store), --quiet (no progress), -h/--help.
  --metrics-port N        Prometheus metrics of this run at http://127.0.0.1:N/metrics (0: a free port, printed);
                          loopback only: it has no token
Alerts: the account config's "alerts" rules (all off by default) go to its notify sinks while the runner runs.
Ctrl-C stops cleanly after the current batch with a run_stopped event.

${LLM_HELP}
  An account trading llm_persona or llm_debate with LLM personas normally runs with --llm-cache record (new bars
  need new answers; the default replay stops at the first bar the store has not seen). Every decision is a
  "decision" event in the account's audit log, in the bar's transaction with the orders it leads to; a restart
  replays the answers from the store (no new call, no order twice). A reached --llm-budget ends the run cleanly
  (run_stopped "llm budget reached", exit 0).`;

const STATUS_USAGE = `Usage: deno task paper status --account NAME [--json]

Positions, cash, equity, open orders, trading state and the last bar seen per symbol, rebuilt from the account's
audit log (read-only: never blocks a running runner), and whether a runner is running.`;

async function main(args: string[], signal: AbortSignal): Promise<number> {
  if (args[0] === "status") return status(args.slice(1));
  const { values: raw } = parseFlags(args, {
    account: { type: "string" },
    feed: { type: "string" },
    data: { type: "string", multiple: true },
    speed: { type: "string" },
    exchange: { type: "string" },
    "api-url": { type: "string" },
    "poll-ms": { type: "string" },
    "grace-ms": { type: "string" },
    "data-dir": { type: "string" },
    "metrics-port": { type: "string" },
    quiet: { type: "boolean" },
    help: { type: "boolean", short: "h" },
    ...LLM_FLAGS,
  }, "deno task paper");
  const values = raw as {
    account?: string;
    feed?: string;
    data?: string[];
    speed?: string;
    exchange?: string;
    "api-url"?: string;
    "poll-ms"?: string;
    "grace-ms"?: string;
    "data-dir"?: string;
    "metrics-port"?: string;
    quiet?: boolean;
    help?: boolean;
  };
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const metricsPort = parsePort(values["metrics-port"]);
  const name = values.account;
  if (!name) throw new UsageError("--account NAME is required (create one with deno task account create)");
  const account = loadAccount({ name, ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}) });
  // Agent strategies are registered before the promotions are resolved into sleeves.
  const agents = await agentRuntimeFor(raw as FlagValues, account.dataDir, name);
  using _agents = { [Symbol.dispose]: () => agents?.close() };
  const sleeves = await loadPromotedSleeves({ dataDir: account.dataDir, account: name });
  if (sleeves.length === 0) {
    throw new UsageError(`account ${name} has no promoted strategy: run deno task promote --account ${name} ... first`);
  }
  const symbols = [...new Set(sleeves.map((s) => s.symbol))].sort();
  const timeframes = [...new Set(sleeves.map((s) => s.timeframe).filter((t) => t !== undefined))];
  if (timeframes.length > 1) {
    throw new UsageError(
      `account ${name} has promotions on several timeframes (${
        timeframes.join(", ")
      }): one runner trades one timeframe`,
    );
  }
  const feedKind = values.feed ?? "poll";
  let feed: Feed;
  let timeframe = timeframes[0];
  let frames: Record<string, Frame> = {};
  if (feedKind === "replay") {
    const replay = await replayFrames(values.data ?? [], symbols, timeframe);
    timeframe = replay.timeframe;
    feed = new ReplayFeed({ frames: replay.frames, timeframe, speed: parseSpeed(values.speed) });
    frames = replay.frames;
  } else if (feedKind === "poll") {
    if (timeframe === undefined) {
      throw new UsageError(`the promotions of ${name} name no timeframe: promote again with --market`);
    }
    feed = new CcxtPollingFeed({
      exchange: values.exchange ?? "binance",
      symbols,
      timeframe,
      ...(values["api-url"] ? { apiUrl: values["api-url"] } : {}),
      ...(values["poll-ms"] ? { pollMs: Number(values["poll-ms"]) } : {}),
      ...(values["grace-ms"] ? { graceMs: Number(values["grace-ms"]) } : {}),
      onStatus: (s) => {
        if (s.kind === "retry" || s.kind === "late" || s.kind === "malformed") {
          console.error(`feed: ${JSON.stringify(s)}`);
        }
      },
    });
  } else throw new UsageError(`--feed must be poll or replay, got ${JSON.stringify(feedKind)}`);

  const bus = new EventBus();
  const notifier = createNotifier(account.config.notify);
  await using _notifier = { [Symbol.asyncDispose]: () => notifier.close() };
  await using monitor = new RunnerMonitor({
    account: name,
    config: account.config,
    bus,
    notifier,
    ...(metricsPort === undefined ? {} : { metricsPort }),
    wallClockStaleness: feedKind === "poll",
    onListen: (a) => console.error(`metrics: http://127.0.0.1:${a.port}/metrics`),
  });
  using runner = await PaperRunner.open({
    account: name,
    dataDir: account.dataDir,
    sleeves,
    risk: account.config.risk,
    startingCash: account.config.startingCash,
    mode: feedKind === "replay" ? "replay" : "paper",
    timeframe: timeframe!,
    bus,
    ...(agents ? { secrets: anthropicSecrets() } : {}),
  });
  monitor.runner = runner;
  console.error(
    `paper ${name}: ${
      sleeves.map((s) => `${s.id} ${JSON.stringify(s.params)}`).join("; ")
    } | ${feedKind} ${timeframe}` +
      ` | resumed after ${
        runner.lastBarTs.size
          ? [...runner.lastBarTs].map(([s, t]) => `${s} ${isoTime(t)}`).join(", ")
          : "nothing (new run)"
      }`,
  );
  const bar = values.quiet || feedKind !== "replay" ? undefined : progressBar();
  const started = performance.now();
  // What is left to replay: the bars after the last one the log already holds, per symbol.
  let remaining = 0;
  for (const [symbol, f] of Object.entries(frames)) {
    const after = runner.lastBarTs.get(symbol) ?? -Infinity;
    for (let i = 0; i < f.length; i++) if (f.ts[i]! > after) remaining++;
  }
  const summary = await runner.run(feed, {
    signal,
    onProgress: bar
      ? (p) =>
        bar({
          series: `${name} replay`,
          fetched: p.bars,
          expected: Math.max(1, remaining),
          covered: p.bars,
          barsPerSec: p.bars / Math.max(1e-3, (performance.now() - started) / 1000),
          etaSec: NaN,
          lastTs: p.ts,
          pages: p.batches,
          retries: 0,
          done: false,
        })
      : undefined,
  });
  console.error(
    `\n${summary.reason}: ${summary.batches} batches, ${summary.bars} bars, ${summary.sent} orders sent, ${summary.denied} denied by the risk limits, ${summary.fills} fills, equity ${
      summary.equity.toFixed(2)
    } (run ${summary.runId}; deno task paper status --account ${name})`,
  );
  if (agents) console.error(agentLine(agents));
  if (summary.reason === "llm budget reached") console.error(LLM_BUDGET_HINT);
  return 0;
}

function parsePort(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!(/^\d+$/.test(s) && n <= 65_535)) {
    throw new UsageError(`--metrics-port must be a port 0-65535 (0: any free one), got ${JSON.stringify(s)}`);
  }
  return n;
}

function parseSpeed(s: string | undefined): "max" | number {
  if (s === undefined || s === "max") return "max";
  const x = Number(s);
  if (!(x > 0 && Number.isFinite(x))) {
    throw new UsageError(`--speed must be max or a factor > 0, got ${JSON.stringify(s)}`);
  }
  return x;
}

/** Maps each --data to the promoted symbol it feeds. */
async function replayFrames(
  data: string[],
  symbols: string[],
  timeframe: string | undefined,
): Promise<{ frames: Record<string, Frame>; timeframe: string }> {
  if (data.length === 0) throw new UsageError("--feed replay needs --data SERIES|FILE.csv (one per promoted symbol)");
  const frames: Record<string, Frame> = {};
  let tf = timeframe;
  for (const d of data) {
    const eq = /^([^=]+)=(.+\.csv)$/i.exec(d);
    const loaded = await loadData(eq ? eq[2]! : d, tf ? { timeframe: TimeframeSchema.parse(tf) } : {});
    let symbol: string;
    if (eq) symbol = eq[1]!;
    else if (loaded.source === "store") symbol = loaded.series.symbol;
    else if (symbols.length === 1) symbol = symbols[0]!;
    else {
      throw new UsageError(
        `--data ${d}: a CSV feeds one symbol; with several promoted (${symbols.join(", ")}) write SYMBOL=${d}`,
      );
    }
    if (!symbols.includes(symbol)) {
      throw new UsageError(
        `--data ${formatSeries(loaded.series)} is ${symbol}, which the account has not promoted (${
          symbols.join(", ")
        })`,
      );
    }
    if (tf !== undefined && loaded.series.timeframe !== tf) {
      throw new UsageError(`--data ${d} has timeframe ${loaded.series.timeframe}; the promotions trade ${tf}`);
    }
    tf = loaded.series.timeframe;
    frames[symbol] = loaded.frame;
  }
  const missing = symbols.filter((s) => frames[s] === undefined);
  if (missing.length > 0) throw new UsageError(`no --data for promoted symbol(s) ${missing.join(", ")}`);
  return { frames, timeframe: tf! };
}

function status(args: string[]): number {
  const { values: raw } = parseFlags(args, {
    account: { type: "string" },
    "data-dir": { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }, "deno task paper status");
  const values = raw as { account?: string; "data-dir"?: string; json?: boolean; help?: boolean };
  if (values.help) {
    console.log(STATUS_USAGE);
    return 0;
  }
  if (!values.account) throw new UsageError("--account NAME is required");
  const where = { ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}) };
  const s = accountStatus({ name: values.account, ...where });
  const runner = runnerState({ account: values.account, ...where });
  if (values.json) {
    printJson({ ...s, runner });
    return 0;
  }
  console.log(
    `${s.account}: ${s.tradingState}${s.reason ? ` (${s.reason})` : ""}; runner ${runner.state}${
      runner.runId ? ` (${runner.runId})` : ""
    }`,
  );
  console.log(
    `cash ${s.cash.toFixed(2)}  equity ${s.equity.toFixed(2)}  realized ${s.realizedPnl.toFixed(2)}  unrealized ${
      s.unrealizedPnl.toFixed(2)
    }`,
  );
  if (s.positions.length) {
    console.log(textTable(["symbol", "qty", "avg price"], s.positions.map((p) => [p.symbol, p.qty, p.avgPrice])));
  }
  if (s.openOrders.length) {
    console.log(
      textTable(
        ["order", "symbol", "side", "qty", "status"],
        s.openOrders.map((o) => [o.clientOrderId, o.symbol, o.side, o.qty, o.status]),
      ),
    );
  }
  if (s.lastBars.length) {
    console.log(textTable(["symbol", "last bar", "close"], s.lastBars.map((b) => [b.symbol, isoTime(b.ts), b.close])));
  }
  return 0;
}

if (import.meta.main) await runCli(main);
