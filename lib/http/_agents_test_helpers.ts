// Fixtures of the agents pages' tests: a lab over the sample store with an llm_debate run recorded against the fake
// Anthropic API (its calls in the lab's LLM store, the run in the registry with agents.json and decisions.jsonl, as
// the backtest CLI writes them), and a paper account whose audit log holds decisions with their chains.
import { createAccount } from "../accounts/mod.ts";
import { createAgentRuntime } from "../agents/mod.ts";
import { type AuditEventInput, AuditLog } from "../audit/mod.ts";
import { runBacktest } from "../backtest/mod.ts";
import { runInputFromBacktest } from "../runs/mod.ts";
import { prepareStrategy } from "../strategies/mod.ts";
import { FakeAnthropic, refusal } from "../testing/mod.ts";
import { agentAnswer } from "../testing/mod.ts";
import { type LabFixture, openLab } from "../../tests/_http_fixture.ts";

/** The fake API's key: it must never show on a page. */
export const TEST_KEY = "sk-ant-test-agents-pages-7f3a9c";

/** A lab with one recorded agent run. */
export interface AgentLabFixture extends LabFixture {
  runId: string;
  /** The run's decision bar times (epoch ms), in order. */
  barTimes: number[];
  /** Request hashes of the recorded calls (one per persona answer). */
  requestHashes: string[];
}

/**
 * Opens the sample lab and records an `llm_debate` run on `samples:SPX:1d` (two personas, one rebuttal round, a
 * decision every 500 bars) against the fake API; the fake refuses its fourth request, so one persona abstains.
 */
export async function openAgentLab(): Promise<AgentLabFixture> {
  const lab = await openLab();
  const fake = await FakeAnthropic.start({
    apiKey: TEST_KEY,
    reply: (req) => (req.n === 3 ? refusal() : agentAnswer()),
  });
  try {
    const info = (await lab.deps.store.list()).find((s) => s.symbol === "SPX")!;
    const frame = await lab.deps.store.read(info);
    const rt = await createAgentRuntime({
      cache: "record",
      storePath: `${lab.dir}/agents/llm_store.sqlite`,
      baseURL: fake.url,
      apiKey: TEST_KEY,
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
      const events = rt.journal.events;
      const decisions = rt.journal.decisions();
      const summary = rt.summary();
      const memory = rt.memory(decisions[0]!.ts, decisions.at(-1)!.ts);
      const record = await lab.deps.runs.record({
        ...runInputFromBacktest(result),
        detail: { agents: summary },
        files: {
          "agents.json": JSON.stringify({ ...summary, memory, strategy: "llm_debate", params }),
          "decisions.jsonl": events.map((e) => JSON.stringify(e)).join("\n") + "\n",
        },
      });
      const barTimes = [...new Set(decisions.map((d) => d.payload.barTs!))];
      const requestHashes = decisions.flatMap((d) => d.payload.requestHash ? [d.payload.requestHash] : []);
      return { ...lab, runId: record.id, barTimes, requestHashes };
    } finally {
      rt.close();
    }
  } catch (e) {
    await lab.close();
    throw e;
  } finally {
    await fake.close();
  }
}

/**
 * A paper account `agent1` whose log holds 30 daily bars of `BTC/USDT` with a persona decision on each, and on the
 * last one a decision (citing `requestHash`) followed by its risk verdict, intent, submission and fill, all sharing
 * the correlation id `c-last`. Returns the seq of that decision.
 */
export function seedAgentAccount(dataDir: string, requestHash?: string): number {
  const name = "agent1";
  const day = 86_400_000;
  const t0 = Date.UTC(2026, 0, 1);
  createAccount({ dataDir, name, kind: "paper", cash: 10_000, now: t0 });
  using log = AuditLog.open({ dataDir, account: name });
  const events: AuditEventInput[] = [{
    kind: "run_started",
    runId: "r1",
    ts: t0,
    payload: { mode: "paper", startingCash: 10_000 },
  }];
  for (let i = 0; i < 30; i++) {
    const barTs = t0 + i * day;
    const close = 100 + 10 * Math.sin(i / 3);
    events.push({
      kind: "bars",
      runId: "r1",
      ts: barTs + day,
      payload: {
        timeframe: "1d",
        ts: barTs,
        bars: [{
          symbol: "BTC/USDT",
          open: close,
          high: close,
          low: close,
          close,
          volume: 1,
          dataHash: "ab".repeat(32),
        }],
      },
    });
    const up = Math.cos(i / 3) > 0;
    events.push({
      kind: "decision",
      runId: "r1",
      ts: barTs + day,
      correlationId: i === 29 ? "c-last" : `c-${i}`,
      payload: {
        agent: "trend_follower",
        action: up ? "buy" : "sell",
        confidence: 0.6,
        reasoning: "the trend",
        factors: [{ name: "trend", weight: 1, direction: up ? "bullish" : "bearish" }],
        targetWeights: { "BTC/USDT": up ? 1 : -1 },
        symbol: "BTC/USDT",
        barTs,
        decisionTime: barTs + day,
        round: 0,
        final: true,
        validation: "ok",
        ...(i === 29 && requestHash !== undefined ? { requestHash, responseHash: "cd".repeat(32) } : {}),
      },
    });
  }
  const t = t0 + 30 * day;
  const intent = {
    clientOrderId: "o-last",
    account: name,
    strategy: "llm_persona",
    symbol: "BTC/USDT",
    side: "buy" as const,
    qty: 1,
    price: 100,
    reduceOnly: false,
    barTs: t - day,
  };
  events.push(
    { kind: "order_intent", runId: "r1", ts: t, correlationId: "c-last", payload: intent },
    {
      kind: "risk_verdict",
      runId: "r1",
      ts: t,
      correlationId: "c-last",
      payload: { clientOrderId: "o-last", ok: true, code: "ok", detail: "within limits" },
    },
    {
      kind: "order_filled",
      runId: "r1",
      ts: t,
      correlationId: "c-last",
      payload: { clientOrderId: "o-last", symbol: "BTC/USDT", side: "buy", qty: 1, price: 100.5, fee: 0.1, ts: t },
    },
    // Another decision's intent: not in the chain.
    {
      kind: "order_intent",
      runId: "r1",
      ts: t,
      correlationId: "c-28",
      payload: { ...intent, clientOrderId: "o-other" },
    },
  );
  const appended = log.appendMany(events);
  return appended.find((e) => e.kind === "decision" && e.correlationId === "c-last")!.seq;
}
