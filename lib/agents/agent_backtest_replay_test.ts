// A backtest with LLM agents, recorded against the fake Anthropic API (the real SDK over HTTP), then replayed from
// the store: the same decisions, stats and audit head hash, and zero requests.
import assert from "node:assert/strict";
import { runBacktest } from "../backtest/mod.ts";
import { readCsv } from "../data/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { AuditEventInputSchema } from "../audit/mod.ts";
import { prepareStrategy } from "../strategies/mod.ts";
import { FakeAnthropic } from "../testing/mod.ts";
import { type AgentRuntime, createAgentRuntime, LlmReplayMissError } from "./mod.ts";

async function btcDaily(): Promise<Frame> {
  const csv = await readCsv(new URL("../../data/samples/BTCUSD.ohlcv.csv", import.meta.url));
  return csv.frame;
}

async function debateRun(rt: AgentRuntime, frame: Frame, params: Record<string, unknown>) {
  const strategy = rt.strategies.find((s) => s.name === "llm_debate")!;
  if (strategy.kind === "portfolio") throw new Error("unreachable");
  const p = strategy.params.parse(params);
  await prepareStrategy(strategy, frame, p, { symbol: "BTC/USD", timeframe: "1M" });
  const result = await runBacktest({ frame, strategy, params: p, timeframe: "1M" });
  return { result, summary: rt.summary(), decisions: rt.journal.decisions().map((e) => e.payload) };
}

Deno.test("an llm_debate backtest recorded against the fake API replays exactly, with zero calls", async () => {
  const frame = await btcDaily();
  const dir = await Deno.makeTempDir();
  const storePath = `${dir}/llm_store.sqlite`;
  const fake = await FakeAnthropic.start({ apiKey: "sk-ant-test-replay" });
  try {
    const params = { personas: "trend_follower,mean_reverter,risk_officer,macro_skeptic", rounds: 1, every: 6 };

    const rec = await createAgentRuntime({
      cache: "record",
      storePath,
      baseURL: fake.url,
      apiKey: "sk-ant-test-replay",
    });
    const recorded = await debateRun(rec, frame, params);
    rec.close();
    const calls = fake.calls("/v1/messages");
    assert.ok(calls > 0, "recording called the API");
    assert.equal(recorded.summary.gateway.apiCalls, calls);
    assert.ok(recorded.decisions.some((d) => d.agent === "vote"));
    // The runtime's journal chains the desk's events without re-validating them: every one must pass the schema.
    for (const e of rec.journal.events) {
      const { seq: _s, account: _a, prevHash: _p, hash: _h, ...input } = e;
      assert.ok(AuditEventInputSchema.safeParse(input).success, `event ${e.seq} is a valid audit event`);
    }
    assert.ok(recorded.decisions.every((d) => d.agent === "vote" || d.calls?.length));

    const rep = await createAgentRuntime({ cache: "replay", storePath });
    const replayed = await debateRun(rep, frame, params);
    rep.close();
    assert.equal(fake.calls("/v1/messages"), calls, "replay made no request");
    assert.equal(replayed.summary.gateway.apiCalls, 0);
    assert.equal(replayed.summary.gateway.storeHits, recorded.summary.gateway.calls);
    assert.equal(replayed.summary.journal.headHash, recorded.summary.journal.headHash);
    assert.deepEqual(replayed.result.stats, recorded.result.stats);
    assert.deepEqual(replayed.result.trades, recorded.result.trades);
    assert.equal(replayed.summary.desk.costUsd, recorded.summary.desk.costUsd, "a replay prices what it would cost");

    // A changed parameter (another round) is a different request: replay refuses instead of spending.
    const miss = await createAgentRuntime({ cache: "replay", storePath });
    await assert.rejects(() => debateRun(miss, frame, { ...params, rounds: 2 }), LlmReplayMissError);
    miss.close();
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--llm-batch: an llm_persona backtest records its decisions through one Message Batch, then replays", async () => {
  const frame = await btcDaily();
  const dir = await Deno.makeTempDir();
  const storePath = `${dir}/llm_store.sqlite`;
  const fake = await FakeAnthropic.start({ apiKey: "sk-ant-test-batch" });
  const run = async (rt: AgentRuntime) => {
    const strategy = rt.strategies.find((s) => s.name === "llm_persona")!;
    if (strategy.kind === "portfolio") throw new Error("unreachable");
    const p = strategy.params.parse({ persona: "trend_follower", every: 4 });
    await prepareStrategy(strategy, frame, p, { symbol: "BTC/USD", timeframe: "1M" });
    return { stats: (await runBacktest({ frame, strategy, params: p, timeframe: "1M" })).stats, s: rt.summary() };
  };
  try {
    const rec = await createAgentRuntime({
      cache: "record",
      storePath,
      baseURL: fake.url,
      apiKey: "sk-ant-test-batch",
      batch: true,
    });
    const recorded = await run(rec);
    rec.close();
    assert.equal(fake.calls("/v1/messages/batches"), 1, "one batch created");
    assert.equal(fake.calls("/v1/messages"), 0, "no single call: every decision was in the batch");
    assert.ok(recorded.s.desk.decisions > 10);
    assert.equal(recorded.s.gateway.batchCalls, recorded.s.desk.decisions);
    // The prompts leave out the position (path-independent), so a replay must use the same setting.
    const rep = await createAgentRuntime({ cache: "replay", storePath, batch: true });
    const replayed = await run(rep);
    rep.close();
    assert.deepEqual(replayed.stats, recorded.stats);
    assert.equal(replayed.s.journal.headHash, recorded.s.journal.headHash);
    assert.ok(!(await Deno.readTextFile(storePath).catch(() => "")).includes("sk-ant-test-batch"));
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
