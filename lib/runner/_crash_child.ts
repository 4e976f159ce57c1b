// A paper replay the crash tests SIGKILL at random points and start again (lib/runner/paper_runner_crash_test.ts).
// Usage: deno run -A lib/runner/_crash_child.ts <dataDir> <account> <bars> [agents]
// Prints "batch <n>" after each batch so the parent can aim its kill. With `agents`, a third sleeve runs an LLM debate
// recorded against the fake Anthropic API at ANTHROPIC_BASE_URL into <dataDir>/agents/llm_store.sqlite: a kill can
// land between a model answer and its store write, or between the decision events and the orders they lead to.
import { noLimitsRiskConfig } from "../risk/mod.ts";
import { createAgentRuntime } from "../agents/mod.ts";
import { emaCross, smaCross, type Strategy } from "../strategies/mod.ts";
import { randomBars } from "../testing/mod.ts";
import { PaperRunner } from "./paper_runner.ts";
import { ReplayFeed } from "./replay_feed.ts";

const [dataDir, account, n, withAgents] = Deno.args;
const bars = Number(n ?? 300);
const risk = noLimitsRiskConfig();
// A few live rules so verdicts, denials and the loss streak are part of what must come out the same.
risk.rules.maxConsecutiveLosses = { enabled: true, limit: 3, level: "warning" };
risk.rules.orderRate = { enabled: true, perMinute: 1_000, perHour: 1_000, perDay: 12, level: "warning" };
const agents = withAgents === "agents"
  ? await createAgentRuntime({ cache: "record", storePath: `${dataDir}/agents/llm_store.sqlite` })
  : undefined;
const debate = agents?.strategies.find((x) => x.name === "llm_debate") as Strategy<unknown> | undefined;
const runner = await PaperRunner.open({
  account: account!,
  dataDir: dataDir!,
  sleeves: [
    ...(debate === undefined ? [] : [{
      id: "debate",
      strategy: debate,
      params: debate.params.parse({ personas: "trend_follower,risk_officer", rounds: 1, every: 4 }),
      symbol: "AAA/USDT",
      options: { fee: 0.001 },
    }]),
    { id: "sma", strategy: smaCross, params: { fast: 2, slow: 5 }, symbol: "AAA/USDT", options: { fee: 0.001 } },
    {
      id: "ema",
      strategy: emaCross,
      params: { fast: 3, slow: 8 },
      symbol: "BBB/USDT",
      options: { fill: "close", direction: "both", stopLoss: 0.02, spread: 0.001 },
    },
  ],
  risk,
  startingCash: 20_000,
  mode: "replay",
  timeframe: "1h",
});
const encoder = new TextEncoder();
await runner.run(
  new ReplayFeed({
    frames: {
      "AAA/USDT": randomBars({ n: bars, seed: 11, stepMs: 3_600_000, volatility: 0.02 }),
      "BBB/USDT": randomBars({ n: bars, seed: 12, stepMs: 3_600_000, volatility: 0.02 }),
    },
    timeframe: "1h",
  }),
  { onProgress: (p) => Deno.stdout.writeSync(encoder.encode(`batch ${p.batches}\n`)) },
);
runner.close();
agents?.close();
