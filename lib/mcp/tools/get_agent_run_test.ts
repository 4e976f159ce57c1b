import assert from "node:assert/strict";
import { dirSnapshot, snapshotChanges } from "../../testing/mod.ts";
import { connectedClient } from "../resources/_testing.ts";
import { firstText } from "../_client_testing.ts";
import { FIXTURE_LLM_KEY, researchDataDir } from "./_research_testing.ts";
import { closeReadOnlyStores } from "./_series.ts";

type Answer = {
  id: string;
  model: string;
  cache: string;
  memory: { label: string; insideMemory: boolean | null } | null;
  stats: {
    decisions: number;
    debates: number;
    asked: number;
    abstained: number;
    abstentions: Record<string, number>;
    modelCalls: number;
    tokens: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };
    cacheHitRate: number;
    costUsd: number;
    byPersona: Record<string, { asked: number }>;
  };
  journal: { events: number; headHash: string };
  decisionCount: number;
  decisions: { persona: string; action: string; decisionTime: string; barTs: string }[];
  nextOffset: number | null;
  provenance: Record<string, string | number>;
};

Deno.test("get_agent_run through the SDK client: stats, cost, tokens, cache hit rate, memory label, a page of decisions, provenance; the LLM store untouched", async () => {
  const fx = await researchDataDir({ agentRun: true });
  try {
    const before = await dirSnapshot(fx.dataDir);
    assert.ok([...before.keys()].some((p) => p.endsWith("llm_store.sqlite")), "the fixture has an LLM store");
    await using client = await connectedClient(fx.dataDir);
    const res = await client.callTool({ name: "get_agent_run", arguments: { id: fx.agentRunId!, limit: 3 } });
    assert.notEqual(res.isError, true, firstText(res));
    const a = res.structuredContent as Answer;
    assert.equal(a.id, fx.agentRunId);
    assert.equal(a.cache, "record");
    assert.ok(a.model.length > 0);
    // 5,105 bars, a decision every 500: 11 debate bars of two personas, two rounds each, one refusal.
    assert.ok(a.stats.decisions >= 10, `decisions ${a.stats.decisions}`);
    assert.equal(a.stats.debates, a.stats.decisions);
    assert.equal(a.stats.asked, a.stats.decisions * 2 * 2);
    assert.equal(a.stats.abstained, 1);
    assert.equal(a.stats.abstentions.refusal, 1);
    assert.ok(a.stats.modelCalls >= a.stats.asked);
    assert.ok(a.stats.tokens.outputTokens > 0 && a.stats.costUsd > 0);
    assert.ok(a.stats.cacheHitRate >= 0 && a.stats.cacheHitRate <= 1);
    assert.deepEqual(Object.keys(a.stats.byPersona).sort(), ["mean_reverter", "trend_follower"]);
    assert.ok(a.memory && a.memory.label.length > 0, "the model-memory label");
    assert.match(a.journal.headHash, /^[0-9a-f]{64}$/);
    // Rows: each persona's final round and the vote, per bar.
    assert.equal(a.decisionCount, a.stats.decisions * 3);
    assert.equal(a.decisions.length, 3);
    assert.equal(a.nextOffset, 3);
    assert.ok(a.decisions.every((d) => Date.parse(d.decisionTime) > Date.parse(d.barTs)), "decided after the bar");
    for (const k of ["series", "from", "to", "fill", "costs", "annualization", "engineVersion", "runId"]) {
      assert.ok(a.provenance[k] !== undefined, `provenance.${k}`);
    }
    assert.match(String(a.provenance.capped), /decisions 0\.\.3 of \d+; pass offset=3/);
    assert.match(String(a.provenance.note), /LLM store was not opened/);
    assert.match(firstText(res), /cache hit rate [\d.]+%, cost \$/);

    const votes = await client.callTool({ name: "get_agent_run", arguments: { id: fx.agentRunId!, persona: "vote" } });
    const v = votes.structuredContent as Answer;
    assert.equal(v.decisionCount, a.stats.decisions);
    assert.ok(v.decisions.every((d) => d.persona === "vote"));

    const json = JSON.stringify([res, votes]);
    assert.ok(!json.includes(FIXTURE_LLM_KEY), "no API key in an answer");

    const bad: [Record<string, unknown>, RegExp][] = [
      [
        { id: fx.runId },
        /^id: run .* is not an agent run: it has no agents\.json; list_runs with strategy llm_persona/,
      ],
      [{ id: fx.agentRunId!, persona: "nobody" }, /^persona: run .* has no decision of "nobody"; its personas: /],
      [{ id: "nope" }, /^id: "nope" is not a run id/],
      [{ id: fx.agentRunId!, limit: 201 }, /at limit$/],
    ];
    for (const [args, want] of bad) {
      const r = await client.callTool({ name: "get_agent_run", arguments: args });
      assert.equal(r.isError, true, JSON.stringify(args));
      assert.match(firstText(r).replace(/^MCP error -32602: [^:]+: [^:]+: /, ""), want);
    }
    assert.deepEqual(snapshotChanges(before, await dirSnapshot(fx.dataDir)), [], "nothing written, the store included");
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  }
});
