// An agent strategy in the live runner (dry run against the fake exchange): its decision events are in the account's
// audit log in the bar's batch, before the intents they lead to; a restart decides the logged bars again without
// logging a decision or an intent twice.
import assert from "node:assert/strict";
import { createAgentRuntime } from "../agents/mod.ts";
import { AuditLog } from "../audit/mod.ts";
import type { Strategy } from "../strategies/mod.ts";
import { randomBars, startFakeExchange } from "../testing/mod.ts";
import { CcxtBroker } from "./ccxt_broker.ts";
import type { Feed } from "./feed.ts";
import { LiveRunner } from "./live_runner.ts";
import { dryRunOptions, frameBar } from "./_testing.ts";

const KEY = "PLANTED-LIVE-AGENT-KEY-1234";
const SECRET = "PLANTED-LIVE-AGENT-SECRET-5678";
const SYM = "BTC/USDT";
const M = 60_000;

Deno.test("live runner: an llm_persona sleeve logs its decisions in the bar's batch; a restart logs nothing twice", async () => {
  const frame = randomBars({ n: 120, seed: 9, stepMs: M, start: 0, volatility: 0.02 });
  const fake = await startFakeExchange({
    symbols: [SYM],
    prices: { [SYM]: frame.close[0]! },
    account: { apiKey: KEY, secret: SECRET, balances: { USDT: 10_000 } },
  });
  const broker = await CcxtBroker.open({
    exchange: "binance",
    apiUrl: fake.url,
    credentials: { apiKey: KEY, secret: SECRET },
    backoffBaseMs: 5,
  });
  const dataDir = await Deno.makeTempDir();
  const feed = (to: number): Feed => ({
    symbols: [SYM],
    timeframe: "1m",
    async *batches(start) {
      for (let i = 0; i < to; i++) {
        const bar = frameBar(frame, i, { symbol: SYM, timeframe: "1m" });
        if ((start.after.get(SYM) ?? -1) >= bar.ts) continue;
        fake.setPrice(SYM, bar.close);
        yield [bar];
      }
    },
  });
  const open = async () => {
    const rt = await createAgentRuntime({ cache: "replay", storePath: ":memory:" });
    const strategy = rt.strategies.find((s) => s.name === "llm_persona") as Strategy<unknown>;
    const runner = await LiveRunner.open(dryRunOptions({
      account: "live-agent",
      dataDir,
      sleeves: [{
        id: "agent",
        strategy,
        params: strategy.params.parse({ persona: "rule_trend", every: 2 }),
        symbol: SYM,
        options: { cash: 1_000 },
      }],
      broker,
      secrets: [KEY, SECRET],
    }));
    return { rt, runner };
  };
  const logged = () => {
    using log = AuditLog.open({ dataDir, account: "live-agent", readOnly: true });
    assert.equal(log.verify().ok, true);
    return log.query({ limit: 100_000 });
  };
  try {
    {
      const { rt, runner } = await open();
      const summary = await runner.run(feed(80));
      assert.equal(summary.reason, "end of data");
      runner.close();
      assert.equal(rt.journal.decisions().length, 0, "the runner's batch took the decisions");
      rt.close();
    }
    const first = logged();
    const decisions = first.filter((e) => e.kind === "decision");
    assert.ok(decisions.length > 10, `decisions logged (${decisions.length})`);
    const barsSeq = new Map(first.filter((e) => e.kind === "bars").map((e) => [e.correlationId, e.seq]));
    const decided = new Map<string | undefined, number>();
    for (const d of decisions) {
      assert.ok(barsSeq.get(d.correlationId)! < d.seq, "a decision follows its batch's bars, with its id");
      if (!decided.has(d.correlationId)) decided.set(d.correlationId, d.seq);
    }
    const intents = first.filter((e) => e.kind === "order_intent");
    assert.ok(intents.length > 0, "the decisions led to intents");
    for (const i of intents) assert.ok(decided.get(i.correlationId)! < i.seq, "an intent follows its decision");

    {
      const { rt, runner } = await open();
      const summary = await runner.run(feed(100));
      assert.equal(summary.bars, 20, "only the new bars");
      runner.close();
      rt.close();
    }
    const all = logged();
    const ids = all.flatMap((e) => e.kind === "order_intent" ? [e.payload.clientOrderId] : []);
    assert.equal(new Set(ids).size, ids.length, "no intent logged twice");
    const perBatch = new Map<string, number>();
    for (const e of all) {
      if (e.kind === "decision") perBatch.set(e.correlationId!, (perBatch.get(e.correlationId!) ?? 0) + 1);
    }
    assert.ok([...perBatch.values()].every((n) => n === 1), "one decision per decided bar: none logged again");
    assert.ok(perBatch.size > decisions.length, "the new bars were decided");
  } finally {
    await broker.close();
    await fake.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
