// The masked-vs-unmasked comparison against the fake Anthropic API (the real SDK over HTTP): a "model" that answers
// differently when it can see the symbol and the dates shows up as disagreement and a difference in results.
import assert from "node:assert/strict";
import { readCsv } from "../data/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { agentAnswer, FakeAnthropic } from "../testing/mod.ts";
import { createAgentRuntime } from "./create_agent_runtime.ts";
import { maskingComparison } from "./masking_comparison.ts";

const KEY = "sk-ant-test-masking";
const UNMASKED = { relativeTimes: false, pseudonym: false, rebase: false };

async function btcMonthly(): Promise<Frame> {
  return (await readCsv(new URL("../../data/samples/BTCUSD.ohlcv.csv", import.meta.url))).frame;
}

Deno.test("maskingComparison: a model that 'remembers' the unmasked market disagrees, and the difference is reported", async () => {
  const frame = await btcMonthly();
  // Masked prompts name a pseudonym (ASSET_...): buy. Unmasked ones name BTC/USD: sell.
  const fake = await FakeAnthropic.start({
    apiKey: KEY,
    reply: (req) => agentAnswer({ action: JSON.stringify(req.body).includes("ASSET_") ? "buy" : "sell" }),
  });
  const common = { storePath: ":memory:", baseURL: fake.url, apiKey: KEY, cache: "record" as const, personaDirs: [] };
  const runtimeMasked = await createAgentRuntime(common);
  const runtimeUnmasked = await createAgentRuntime({ ...common, masking: UNMASKED });
  try {
    const c = await maskingComparison({
      runtimeMasked,
      runtimeUnmasked,
      frame,
      strategy: "llm_persona",
      params: { persona: "trend_follower", every: "6" },
      symbol: "BTC/USD",
      timeframe: "1M",
      options: { direction: "both" },
    });
    const bodies = fake.requests.filter((r) => r.path === "/v1/messages").map((r) => JSON.stringify(r.body));
    assert.equal(bodies.length, c.masked.decisions + c.unmasked.decisions);
    assert.equal(bodies.filter((b) => b.includes("BTC/USD")).length, c.unmasked.decisions, "unmasked shows the symbol");
    assert.ok(c.masked.decisions > 5);
    assert.deepEqual(c.agreement, { bars: c.masked.decisions, same: 0, rate: 0 });
    assert.ok(Object.values(c.masked.actions).every((a) => a === "buy"));
    assert.ok(Object.values(c.unmasked.actions).every((a) => a === "sell"));
    for (const k of ["total_return", "sharpe", "max_drawdown"] as const) {
      assert.equal(c.difference[k], c.unmasked.stats[k] - c.masked.stats[k]);
    }
    assert.notEqual(c.masked.stats.total_return, c.unmasked.stats.total_return);
    assert.equal(c.memory.insideMemory, true);
    assert.equal(c.masked.summary.gateway.apiCalls, c.masked.decisions);
    assert.match(c.toMarkdown(), new RegExp(`Agreement: 0 of ${c.agreement.bars} decision bars`));
    assert.match(c.toMarkdown(), /inside claude-sonnet-4-5 training data/);
    const svg = c.figure().svg;
    assert.match(svg, /^<svg/);
    assert.match(svg, /Unmasked/);
    const json = JSON.parse(JSON.stringify(c));
    assert.deepEqual(Object.keys(json).sort(), [
      "agreement",
      "difference",
      "masked",
      "memory",
      "params",
      "strategy",
      "symbol",
      "timeframe",
      "unmasked",
    ]);
    assert.ok(!JSON.stringify(c).includes(KEY));
  } finally {
    runtimeMasked.close();
    runtimeUnmasked.close();
    await fake.close();
  }
});

Deno.test("maskingComparison: refuses an unmasked runtime that masks, or one runtime for both", async () => {
  const frame = await btcMonthly();
  const masked = await createAgentRuntime({ storePath: ":memory:", personaDirs: [] });
  const alsoMasked = await createAgentRuntime({ storePath: ":memory:", personaDirs: [] });
  try {
    const base = { frame, strategy: "llm_persona" as const, symbol: "BTC/USD", timeframe: "1M", params: { every: 12 } };
    await assert.rejects(
      () => maskingComparison({ ...base, runtimeMasked: masked, runtimeUnmasked: alsoMasked }),
      /runtimeUnmasked must show dates, the symbol and raw prices/,
    );
    await assert.rejects(
      () => maskingComparison({ ...base, runtimeMasked: masked, runtimeUnmasked: masked }),
      RangeError,
    );
    const unmasked = await createAgentRuntime({ storePath: ":memory:", personaDirs: [], masking: UNMASKED });
    await assert.rejects(
      () => maskingComparison({ ...base, runtimeMasked: unmasked, runtimeUnmasked: masked }),
      /runtimeMasked does not mask/,
    );
    unmasked.close();
  } finally {
    masked.close();
    alsoMasked.close();
  }
});
