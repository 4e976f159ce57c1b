// Agent strategies in the paper runner: their decision events land in the account's audit log in the bar's batch,
// chained by its correlation id to the risk verdicts, order intents and fills; an LLM debate recorded against the
// fake Anthropic API, restarted on the same account, asks the API nothing again and sends no order twice; a reached
// LLM budget stops the run cleanly.
import assert from "node:assert/strict";
import type { AuditEvent } from "../audit/mod.ts";
import { type AgentRuntime, createAgentRuntime } from "../agents/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import type { Strategy } from "../strategies/mod.ts";
import { FakeAnthropic, randomBars } from "../testing/mod.ts";
import { PaperRunner } from "./paper_runner.ts";
import { ReplayFeed } from "./replay_feed.ts";
import { filesContaining } from "./_testing.ts";

const KEY = "sk-ant-PLANTED-runner-agents-0123456789";
const SYMBOL = "X/USDT";
const options = { fee: 0.001, spread: 0.0005, finalize: "open" as const, direction: "both" as const };

function agentStrategy(rt: AgentRuntime, name: "llm_persona" | "llm_debate"): Strategy<unknown> {
  const s = rt.strategies.find((x) => x.name === name);
  if (s === undefined || s.kind === "portfolio") throw new Error(`no ${name}`);
  return s as Strategy<unknown>;
}

function open(dataDir: string, account: string, strategy: Strategy<unknown>, params: Record<string, unknown>) {
  return PaperRunner.open({
    account,
    dataDir,
    sleeves: [{ id: "s1", strategy, params: strategy.params.parse(params), symbol: SYMBOL, options }],
    risk: noLimitsRiskConfig(),
    startingCash: 10_000,
    mode: "replay",
    timeframe: "1h",
    secrets: [KEY],
  });
}

const feedOf = (frame: Frame) => new ReplayFeed({ frames: { [SYMBOL]: frame }, timeframe: "1h" });

function all(runner: PaperRunner): AuditEvent[] {
  return runner.log.query({ limit: 1_000_000 });
}

/** Every order event's correlation id leads back to decisions logged before it in the same bar's batch. */
function assertChained(events: readonly AuditEvent[]): { decisions: number; intents: number; fills: number } {
  const barsSeq = new Map<string, number>();
  const decisionSeq = new Map<string, number>();
  const intentCorr = new Map<string, string>();
  let decisions = 0, intents = 0, fills = 0;
  for (const e of events) {
    if (e.kind === "bars") barsSeq.set(e.correlationId!, e.seq);
    if (e.kind === "decision") {
      decisions++;
      const c = e.correlationId;
      assert.ok(c !== undefined && barsSeq.has(c), `decision ${e.seq} carries its batch's correlation id (${c})`);
      if (!decisionSeq.has(c)) decisionSeq.set(c, e.seq);
    }
    if (e.kind === "signal" || e.kind === "order_intent") {
      const d = decisionSeq.get(e.correlationId!);
      assert.ok(d !== undefined && d < e.seq, `${e.kind} ${e.seq} follows a decision of its batch`);
      assert.ok(barsSeq.get(e.correlationId!)! < d, "the decision follows its batch's bars");
    }
    if (e.kind === "order_intent") {
      intents++;
      assert.ok(!intentCorr.has(e.payload.clientOrderId), `intent ${e.payload.clientOrderId} is logged once`);
      intentCorr.set(e.payload.clientOrderId, e.correlationId!);
    }
    if (e.kind === "risk_verdict") {
      assert.equal(intentCorr.get(e.payload.clientOrderId), e.correlationId, "the verdict is its intent's");
    }
    if (e.kind === "order_submitted" || e.kind === "order_filled") {
      assert.equal(intentCorr.get(e.payload.clientOrderId), e.correlationId, `${e.kind} is its intent's`);
      assert.ok(decisionSeq.has(e.correlationId!));
      if (e.kind === "order_filled") fills++;
    }
  }
  return { decisions, intents, fills };
}

Deno.test("an llm_persona sleeve (rule persona) logs its decisions in the bar's batch, chained to verdicts, intents and fills", async () => {
  const frame = randomBars({ n: 300, seed: 7, stepMs: 3_600_000, volatility: 0.02 });
  const dataDir = await Deno.makeTempDir();
  const rt = await createAgentRuntime({ cache: "replay", storePath: ":memory:" });
  try {
    const strategy = agentStrategy(rt, "llm_persona");
    using runner = await open(dataDir, "agent-rule", strategy, { persona: "rule_trend", every: 5 });
    const summary = await runner.run(feedOf(frame));
    assert.equal(summary.reason, "end of data");
    const events = all(runner);
    const { decisions, intents, fills } = assertChained(events);
    assert.ok(decisions > 40, `a decision every 5 bars (${decisions})`);
    assert.ok(intents > 0 && fills > 0, `the decisions led to orders (${intents} intents, ${fills} fills)`);
    const d = events.find((e) => e.kind === "decision");
    assert.ok(d?.kind === "decision");
    assert.equal(d.payload.agent, "rule_trend");
    assert.equal(d.runId, runner.runId, "the runner's run");
    assert.equal(rt.journal.decisions().length, 0, "the runner's batch took them, not the runtime's journal");
    assert.equal(runner.log.verify().ok, true);
  } finally {
    rt.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("an llm_debate sleeve recorded against the fake API, restarted on the same account: no new request, no order twice", async () => {
  const frame = randomBars({ n: 260, seed: 3, stepMs: 3_600_000, volatility: 0.02 });
  const dataDir = await Deno.makeTempDir();
  const storePath = `${dataDir}/agents/llm_store.sqlite`;
  await Deno.mkdir(`${dataDir}/agents`, { recursive: true });
  const fake = await FakeAnthropic.start({ apiKey: KEY });
  const params = { personas: "trend_follower,mean_reverter", rounds: 1, every: 8 };
  const runtime = () => createAgentRuntime({ cache: "record", storePath, baseURL: fake.url, apiKey: KEY });
  try {
    let intentsBefore: string[];
    {
      const rt = await runtime();
      using runner = await open(dataDir, "agent-debate", agentStrategy(rt, "llm_debate"), params);
      await runner.run(feedOf(frame.slice(0, 200)));
      const { decisions } = assertChained(all(runner));
      assert.ok(decisions > 0);
      intentsBefore = runner.log.query({ kind: "order_intent", limit: 100_000 }).map((e) =>
        e.kind === "order_intent" ? e.payload.clientOrderId : ""
      );
      rt.close();
    }
    const calls = fake.calls("/v1/messages");
    assert.ok(calls > 0, "the debate asked the API");
    assert.ok(intentsBefore.length > 0, "the debate traded");

    // Restart: the recovery re-executes the log through a fresh strategy; every answer comes from the store.
    const rt = await runtime();
    try {
      using runner = await open(dataDir, "agent-debate", agentStrategy(rt, "llm_debate"), params);
      assert.equal(fake.calls("/v1/messages"), calls, "the recovery made no request");
      assert.equal(rt.summary().gateway.apiCalls, 0);
      assert.ok(rt.summary().gateway.storeHits > 0, "the recovery asked the desk again, answered by the store");
      assert.equal(runner.sleeves()[0]!.bars, 200);
      // The same feed again: nothing new to decide, nothing sent.
      const again = await runner.run(feedOf(frame.slice(0, 200)));
      assert.equal(again.sent, 0);
      assert.equal(fake.calls("/v1/messages"), calls);
      // The rest of the data: new bars are decided (new requests), no intent is logged twice.
      const rest = await runner.run(feedOf(frame));
      assert.equal(rest.bars, 60);
      assert.ok(fake.calls("/v1/messages") > calls, "the new bars were asked");
      const { intents } = assertChained(all(runner));
      assert.ok(intents >= intentsBefore.length);
      assert.equal(runner.log.verify().ok, true);
    } finally {
      rt.close();
    }
    // The key is nowhere in the account's files nor in the LLM store.
    assert.deepEqual(await filesContaining(dataDir, [KEY, "PLANTED-runner"]), [], "the API key leaked");
  } finally {
    await fake.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a reached --llm-budget stops the paper run cleanly: run_stopped names the budget, the bar's decisions are logged", async () => {
  const frame = randomBars({ n: 200, seed: 5, stepMs: 3_600_000, volatility: 0.02 });
  const dataDir = await Deno.makeTempDir();
  const fake = await FakeAnthropic.start({ apiKey: KEY });
  const rt = await createAgentRuntime({
    cache: "record",
    storePath: ":memory:",
    baseURL: fake.url,
    apiKey: KEY,
    budgetUsd: 0.05,
  });
  try {
    using runner = await open(dataDir, "agent-budget", agentStrategy(rt, "llm_persona"), {
      persona: "trend_follower",
      every: 1,
    });
    const summary = await runner.run(feedOf(frame));
    assert.equal(summary.reason, "llm budget reached");
    assert.ok(summary.bars < frame.length, "it stopped before the end");
    const events = all(runner);
    const stopped = events.at(-1)!;
    assert.ok(stopped.kind === "run_stopped");
    assert.equal(stopped.payload.reason, "llm budget reached");
    assert.match(stopped.payload.error ?? "", /--llm-budget/);
    // The stopped bar is not logged (a restart decides it again); its decisions come with run_stopped, with the
    // bar's correlation id.
    const logged = new Set(events.filter((e) => e.kind === "bars").map((e) => e.correlationId));
    const stranded = events.filter((e) => e.kind === "decision" && !logged.has(e.correlationId));
    assert.ok(stranded.length > 0, "the decision that found the budget spent is logged");
    for (const e of stranded) {
      assert.ok(e.kind === "decision" && e.payload.abstainReason === "budget");
      assert.equal(e.seq, stopped.seq - 1, "in run_stopped's transaction");
    }
    assertChained(events.filter((e) => !stranded.includes(e)));
  } finally {
    rt.close();
    await fake.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
