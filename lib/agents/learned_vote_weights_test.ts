// weights=learned in a recorded debate: a persona that kept being right earns weight, from outcomes that closed
// before each vote only.
import assert from "node:assert/strict";
import { readCsv } from "../data/mod.ts";
import { prepareStrategy, type Strategy } from "../strategies/mod.ts";
import { agentAnswer, FakeAnthropic } from "../testing/mod.ts";
import { createAgentRuntime } from "./mod.ts";

Deno.test("llm_debate weights=learned: the vote weighs the persona whose calls came true, from closed outcomes only", async () => {
  const frame = (await readCsv(new URL("../../data/samples/BTCUSD.ohlcv.csv", import.meta.url))).frame;
  const dir = await Deno.makeTempDir();
  // trend_follower always buys, risk_officer always sells: on BTC's long uptrend the buyer is right more often.
  const fake = await FakeAnthropic.start({
    apiKey: "sk-ant-learn",
    reply: (req) => {
      const system = JSON.stringify(req.body.system ?? "");
      return agentAnswer({ action: system.includes("trend follower") ? "buy" : "sell", confidence: 0.7 });
    },
  });
  try {
    const rt = await createAgentRuntime({
      cache: "record",
      storePath: `${dir}/s.sqlite`,
      baseURL: fake.url,
      apiKey: "sk-ant-learn",
    });
    const s = rt.strategies.find((x) => x.name === "llm_debate") as Strategy<Record<string, unknown>>;
    const p = s.params.parse({
      personas: "trend_follower,risk_officer",
      rounds: 0,
      every: 2,
      weights: "learned",
      shrinkage: 0,
    });
    await prepareStrategy(s, frame, p, { symbol: "BTC/USD", timeframe: "1M" });
    const votes = rt.journal.decisions().filter((e) => e.payload.agent === "vote").map((e) => e.payload.vote!);
    rt.close();
    assert.ok(votes.length > 30);
    // No outcome has closed at the first vote: equal weights (fewer than minObservations outcomes).
    assert.deepEqual(votes[0]!.weights, { trend_follower: 0.5, risk_officer: 0.5 });
    const last = votes.at(-1)!.weights;
    assert.ok(last.trend_follower! > 0.5 && last.risk_officer! < 0.5, JSON.stringify(last));
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
