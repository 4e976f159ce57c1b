import assert from "node:assert/strict";
import { openAgentLab, seedAgentAccount, TEST_KEY } from "./_agents_test_helpers.ts";

Deno.test("agents API: personas, a run's summary and rows, a bar's chain, learning, an account's chain", async (t) => {
  const lab = await openAgentLab();
  const bodies: string[] = [];
  const json = async (path: string, status = 200) => {
    const res = await lab.app.request(path);
    const text = await res.text();
    assert.equal(res.status, status, `${path}: ${text.slice(0, 300)}`);
    bodies.push(text);
    return JSON.parse(text);
  };
  try {
    await t.step("/api/agents/personas", async () => {
      const body = await json("/api/agents/personas");
      const names = body.personas.map((p: { name: string }) => p.name);
      for (const n of ["trend_follower", "mean_reverter", "risk_officer", "macro_skeptic", "rule_trend"]) {
        assert.ok(names.includes(n), n);
      }
    });

    await t.step("/api/agents/runs/:id: summary, bars and decision rows", async () => {
      const body = await json(`/api/agents/runs/${lab.runId}`);
      assert.equal(body.strategy, "llm_debate");
      assert.equal(body.summary.gateway.storeHits, 0);
      assert.ok(body.summary.gateway.apiCalls > 0);
      assert.equal(body.summary.desk.abstentions.refusal, 1);
      assert.match(body.summary.memory.label, /training data/);
      assert.deepEqual(body.bars.map((b: { barTs: number }) => b.barTs), lab.barTimes);
      assert.ok(body.bars.every((b: { disagreement: number | null }) => typeof b.disagreement === "number"));
      // One row per persona and bar plus the vote.
      assert.equal(body.rows.length, lab.barTimes.length * 3);
      assert.ok(body.rows.some((r: { persona: string }) => r.persona === "vote"));
    });

    await t.step("/api/agents/runs/:id/bars/:barTs: each decision's prompt and answer from the store", async () => {
      const body = await json(`/api/agents/runs/${lab.runId}/bars/${lab.barTimes[0]}`);
      assert.equal(body.vote.agent, "vote");
      assert.equal(body.decisions.length, 4, "two personas, two rounds");
      const first = body.decisions[0];
      assert.equal(first.calls[0].stored, true);
      assert.match(first.calls[0].system, /\S/);
      assert.equal(first.calls[0].messages[0].role, "user");
      assert.ok(first.facts.length > 0);
      assert.ok(first.facts.every((f: string) => f.includes(" | ")));
      assert.doesNotThrow(() => JSON.parse(first.calls[0].answer));
      await json(`/api/agents/runs/${lab.runId}/bars/1`, 404);
      await json(`/api/agents/runs/${lab.runId}/bars/-1`, 400);
    });

    await t.step("the orders of a bar are the round trips after it and before the next decision", async () => {
      let withTrades = 0;
      for (const [i, ts] of lab.barTimes.entries()) {
        const body = await json(`/api/agents/runs/${lab.runId}/bars/${ts}`);
        const next = lab.barTimes[i + 1] ?? Infinity;
        for (const tr of body.trades) {
          const inside = (x: number | null) => x !== null && x > ts && x <= next;
          assert.ok(inside(tr.entryTs) || inside(tr.exitTs));
        }
        if (body.trades.length > 0) withTrades++;
      }
      assert.ok(withTrades > 0, "some decision led to a trade");
    });

    await t.step("learning and an account's chain", async () => {
      const learn = await json(`/api/agents/runs/${lab.runId}/learning?horizon=20`);
      assert.equal(learn.horizonBars, 20);
      assert.match(learn.markdown, /Learning report/);
      const seq = seedAgentAccount(lab.dir);
      const chain = await json(`/api/agents/accounts/agent1/decisions/${seq}`);
      assert.deepEqual(chain.chain.map((e: { kind: string }) => e.kind), [
        "order_intent",
        "risk_verdict",
        "order_filled",
      ]);
      const acc = await json("/api/agents/accounts/agent1/learning?horizon=1");
      assert.equal(acc.rows.total, 30);
    });

    await t.step("no answer carries the API key", () => {
      for (const b of bodies) assert.ok(!b.includes(TEST_KEY));
    });
  } finally {
    await lab.close();
  }
});
