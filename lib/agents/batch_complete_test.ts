import assert from "node:assert/strict";
import { FakeAnthropic } from "../testing/fake_anthropic.ts";
import { batchComplete } from "./batch_complete.ts";
import { createLlmGateway } from "./create_llm_gateway.ts";
import { LlmBudgetError, LlmReplayMissError } from "./llm_errors.ts";
import { LlmStore } from "./llm_store.ts";
import { costUsd } from "./price_table.ts";
import { fixtureRequest } from "./_gateway_fixtures.ts";

const KEY = "test-key-0123";

Deno.test("batchComplete: a batch of 3 (one stored already, one twice), polled, stored at half price", async () => {
  const fake = await FakeAnthropic.start({ batchRetrievesInProgress: 2 });
  using store = LlmStore.open({ path: ":memory:" });
  try {
    const gateway = createLlmGateway({ mode: "record", store, apiKey: KEY, baseURL: fake.url });
    const stored = await gateway.complete(fixtureRequest(0));
    const reqs = [fixtureRequest(1), fixtureRequest(0), fixtureRequest(2), fixtureRequest(3), fixtureRequest(1)];
    const out = await batchComplete(gateway, reqs, { pollIntervalMs: 5 });
    assert.equal(out.length, 5);
    assert.equal(out[1]!.text, stored.text);
    assert.equal(out[1]!.call.fromStore, true);
    assert.equal(out[4]!.text, out[0]!.text);
    assert.equal(out[4]!.call.fromStore, true);
    for (const i of [0, 2, 3]) {
      const a = out[i]!;
      assert.equal(a.call.fromStore, false);
      assert.equal(a.stopReason, "end_turn");
      JSON.parse(a.text);
      assert.ok(Math.abs(a.call.costUsd - costUsd("claude-haiku-4-5", a.call.usage) / 2) < 1e-15);
      assert.equal(store.get(a.call.requestHash)!.batch, true);
    }
    const created = fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/messages/batches");
    assert.equal(created.length, 1);
    assert.equal((created[0]!.body!.requests as unknown[]).length, 3);
    assert.ok(fake.requests.filter((r) => r.method === "GET").length >= 3); // in progress twice, then ended
    const t = gateway.totals();
    assert.equal(t.batchCalls, 3);
    assert.equal(t.apiCalls, 4);

    // Replayed: all from the store, no request.
    const before = fake.calls();
    const replay = createLlmGateway({ mode: "replay", store });
    const again = await batchComplete(replay, reqs);
    assert.deepEqual(again.map((a) => a.text), out.map((a) => a.text));
    assert.equal(fake.calls(), before);
    await assert.rejects(batchComplete(replay, [fixtureRequest(9)]), LlmReplayMissError);

    // The budget is checked for the whole batch before it is sent.
    const poor = createLlmGateway({ mode: "live", store, apiKey: KEY, baseURL: fake.url, budgetUsd: 0.001 });
    await assert.rejects(batchComplete(poor, reqs), LlmBudgetError);
    assert.equal(fake.calls(), before);
  } finally {
    await fake.close();
  }
});
