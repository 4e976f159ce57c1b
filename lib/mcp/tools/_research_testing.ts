// Test fixtures of the research and account tools: a fake ToolContext that records progress, and a data dir with
// two samples imported, two recorded runs and one paper account that replayed a few bars.

import { join } from "node:path";
import { runBacktest } from "../../backtest/mod.ts";
import { createAccount } from "../../accounts/mod.ts";
import { importSamples } from "../../data/mod.ts";
import { readCsv } from "../../data/read_csv.ts";
import { noLimitsRiskConfig } from "../../risk/mod.ts";
import { PaperRunner, ReplayFeed } from "../../runner/mod.ts";
import { RunRegistry } from "../../runs/mod.ts";
import { Store } from "../../store/mod.ts";
import { smaCross } from "../../strategies/mod.ts";
import type { McpTool, ToolContext, ToolResult } from "../mcp_tool.ts";
import { createAgentRuntime } from "../../agents/mod.ts";
import { prepareStrategy } from "../../strategies/mod.ts";
import { runInputFromBacktest } from "../../runs/mod.ts";
import { agentAnswer, FakeAnthropic, refusal } from "../../testing/mod.ts";

/** A ToolContext over `dataDir` whose progress calls land in `progress`. */
export function fakeContext(dataDir: string, signal?: AbortSignal): {
  ctx: ToolContext;
  progress: { done: number; total?: number; message?: string }[];
} {
  const progress: { done: number; total?: number; message?: string }[] = [];
  return {
    ctx: {
      dataDir,
      signal: signal ?? new AbortController().signal,
      progress(done, total, message) {
        progress.push({
          done,
          ...(total !== undefined ? { total } : {}),
          ...(message !== undefined ? { message } : {}),
        });
        return Promise.resolve();
      },
    },
    progress,
  };
}

/** Parses `args` with the tool's input schema (as the server does), then runs it. */
export async function call<O>(
  // deno-lint-ignore no-explicit-any
  tool: McpTool<any, any>,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<ToolResult<O>> {
  const parsed = tool.input.parse(args);
  const r = await tool.run(parsed, ctx);
  tool.output.parse(r.structured);
  return r as ToolResult<O>;
}

/** The webhook URL of the fixture account (must never appear in an answer). */
export const FIXTURE_WEBHOOK = "https://hooks.example.com/services/T000/B000/s3cretW3bh00kT0ken";

/** What {@link researchDataDir} made. */
export interface ResearchFixture {
  dataDir: string;
  /** The sma_cross 10/50 run on SPX (next-open fills, 0.1% fee). */
  runId: string;
  /** A second run: sma_cross 20/100 on GOOG, close fills, no fee. */
  otherRunId: string;
  account: string;
  /** With `{ agentRun: true }`: an llm_debate run on SPX recorded against the fake Anthropic API. */
  agentRunId?: string;
}

/** Options of {@link researchDataDir}. */
export interface ResearchDataDirOptions {
  /** Also record an agent run ({@link recordAgentRun}). Default false (it starts the fake API). */
  agentRun?: boolean;
}

/** The fake API's key of {@link recordAgentRun}: no answer may show it. */
export const FIXTURE_LLM_KEY = "sk-ant-test-mcp-agents-4b1d";

/**
 * Records an `llm_debate` run (trend_follower and mean_reverter, one rebuttal round, a decision every 500 bars) on
 * samples:SPX:1d against the fake Anthropic API, as `deno task backtest` records one: its calls in
 * `<dataDir>/agents/llm_store.sqlite`, the run with `agents.json` and `decisions.jsonl`. The fake refuses its fourth
 * request, so one persona abstains once.
 */
export async function recordAgentRun(dataDir: string): Promise<string> {
  const fake = await FakeAnthropic.start({
    apiKey: FIXTURE_LLM_KEY,
    reply: (req) => (req.n === 3 ? refusal() : agentAnswer()),
  });
  const src = new URL("../../../data/samples/", import.meta.url);
  const frame = (await readCsv(new URL("SP500-2000.csv", src))).frame;
  const rt = await createAgentRuntime({
    cache: "record",
    storePath: join(dataDir, "agents", "llm_store.sqlite"),
    baseURL: fake.url,
    apiKey: FIXTURE_LLM_KEY,
    personaDirs: [],
    maxRetries: 0,
  });
  try {
    const strategy = rt.strategies.find((s) => s.name === "llm_debate")!;
    if (strategy.kind === "portfolio") throw new Error("llm_debate is a single-asset strategy");
    const params = strategy.params.parse({ personas: "trend_follower,mean_reverter", rounds: 1, every: 500 });
    await prepareStrategy(strategy, frame, params, { symbol: "SPX", timeframe: "1d" });
    const result = await runBacktest({
      frame,
      strategy,
      params,
      timeframe: "1d",
      series: { exchange: "samples", symbol: "SPX", timeframe: "1d" },
    });
    const decisions = rt.journal.decisions();
    const summary = rt.summary();
    const memory = rt.memory(decisions[0]!.ts, decisions.at(-1)!.ts);
    await using runs = await RunRegistry.open({ dir: join(dataDir, "_runs") });
    const rec = await runs.record({
      ...runInputFromBacktest(result),
      detail: { agents: summary },
      files: {
        "agents.json": JSON.stringify({ ...summary, memory, strategy: "llm_debate", params }),
        "decisions.jsonl": rt.journal.events.map((e) => JSON.stringify(e)).join("\n") + "\n",
      },
    });
    return rec.id;
  } finally {
    rt.close();
    await fake.close();
  }
}

/**
 * A temp data dir: samples:SPX:1d and samples:GOOG:1d imported, two recorded sma_cross runs (in `_runs`: SPX, then GOOG), and
 * a paper account `paper-1` (with a webhook in its notify config) that replayed 120 GOOG bars through PaperRunner.
 */
export async function researchDataDir(options: ResearchDataDirOptions = {}): Promise<ResearchFixture> {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-tools-" });
  const samples = await Deno.makeTempDir({ prefix: "mcp-samples-" });
  const src = new URL("../../../data/samples/", import.meta.url);
  for (const f of ["SP500-2000.csv", "GOOG.raw.csv"]) await Deno.copyFile(new URL(f, src), join(samples, f));
  await Deno.writeTextFile(
    join(samples, "samples.json"),
    JSON.stringify({
      samples: [
        { file: "SP500-2000.csv", exchange: "samples", symbol: "SPX", timeframe: "1d", calendar: "weekdays" },
        { file: "GOOG.raw.csv", exchange: "samples", symbol: "GOOG", timeframe: "1d", calendar: "weekdays" },
      ],
    }),
  );
  {
    const store = await Store.open({ dir: dataDir });
    try {
      await importSamples({ sink: store, dir: samples });
    } finally {
      store.close();
    }
  }
  await Deno.remove(samples, { recursive: true });

  const spx = (await readCsv(new URL("SP500-2000.csv", src))).frame;
  const bt = await runBacktest({
    frame: spx,
    strategy: "sma_cross",
    params: { fast: 10, slow: 50 },
    options: { fee: 0.001 },
    series: { exchange: "samples", symbol: "SPX", timeframe: "1d" },
  });
  const runs = await RunRegistry.open({ dir: join(dataDir, "_runs") });
  const rec = await runs.record(bt, { source: "cli", label: "fixture" });
  const goog = (await readCsv(new URL("GOOG.raw.csv", src))).frame;
  const other = await runs.record(
    await runBacktest({
      frame: goog,
      strategy: "sma_cross",
      params: { fast: 20, slow: 100 },
      options: { fill: "close" },
      series: { exchange: "samples", symbol: "GOOG", timeframe: "1d" },
    }),
    { source: "web", label: "other", now: new Date(Date.parse(rec.created_at) + 1_000) },
  );
  await runs.close();

  const account = "paper-1";
  const made = createAccount({ dataDir, name: account, kind: "paper", cash: 10_000 });
  const config = JSON.parse(await Deno.readTextFile(made.path));
  config.notify.webhooks = [{ url: FIXTURE_WEBHOOK, minLevel: "pause" }];
  await Deno.writeTextFile(made.path, JSON.stringify(config, null, 2));

  {
    using runner = await PaperRunner.open({
      account,
      dataDir,
      sleeves: [{ id: "s1", strategy: smaCross, params: { fast: 5, slow: 20 }, symbol: "GOOG", options: {} }],
      risk: noLimitsRiskConfig(),
      startingCash: 10_000,
      mode: "replay",
      timeframe: "1d",
    });
    await runner.run(new ReplayFeed({ frames: { GOOG: goog.slice(0, 120) }, timeframe: "1d" }));
  }
  // Recorded last, so list_runs shows it first.
  const agentRunId = options.agentRun ? await recordAgentRun(dataDir) : undefined;
  return { dataDir, runId: rec.id, otherRunId: other.id, account, ...(agentRunId ? { agentRunId } : {}) };
}
