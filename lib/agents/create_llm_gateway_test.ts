import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { agentAnswer, cutOff, error, FakeAnthropic, hang, refusal, sequence } from "../testing/fake_anthropic.ts";
import { createLlmGateway } from "./create_llm_gateway.ts";
import { LlmBudgetError, LlmConfigError, LlmReplayMissError } from "./llm_errors.ts";
import { LlmStore } from "./llm_store.ts";
import { requestHash } from "./request_hash.ts";
import { fixtureRequest } from "./_gateway_fixtures.ts";
import { worstCaseUsd } from "./_gateway_wire.ts";

const KEY = "test-key-0123";
const MESSAGES = "/v1/messages";

async function withFake(
  options: Parameters<typeof FakeAnthropic.start>[0],
  run: (fake: FakeAnthropic, store: LlmStore) => Promise<void>,
): Promise<void> {
  const fake = await FakeAnthropic.start(options);
  const store = LlmStore.open({ path: ":memory:" });
  try {
    await run(fake, store);
  } finally {
    store.close();
    await fake.close();
  }
}

Deno.test("gateway: record then replay gives the same answers with zero requests", async () => {
  await withFake({}, async (fake, store) => {
    const reqs = [0, 1, 2].map((n) => fixtureRequest(n));
    const rec = createLlmGateway({ mode: "record", store, apiKey: KEY, baseURL: fake.url });
    const recorded = [];
    for (const r of reqs) recorded.push(await rec.complete(r));
    assert.equal(fake.calls(MESSAGES), 3);
    for (const [i, a] of recorded.entries()) {
      assert.equal(a.call.fromStore, false);
      assert.equal(a.call.attempts, 1);
      assert.equal(a.call.requestHash, requestHash(reqs[i]!));
      assert.equal(a.stopReason, "end_turn");
      assert.ok(a.call.costUsd > 0);
      JSON.parse(a.text);
    }
    // The wire body: cached system prefix, raw JSON schema as output_config.format, every parameter.
    const body = fake.requests[0]!.body!;
    assert.deepEqual(body.system, [{ type: "text", text: reqs[0]!.system, cache_control: { type: "ephemeral" } }]);
    assert.deepEqual(body.output_config, { format: { type: "json_schema", schema: reqs[0]!.outputSchema } });
    assert.equal(body.max_tokens, 1024);
    assert.equal(body.temperature, 0);
    assert.equal(body.model, "claude-haiku-4-5");

    const replay = createLlmGateway({ mode: "replay", store, baseURL: fake.url });
    for (const [i, r] of reqs.entries()) {
      const a = await replay.complete(r);
      assert.equal(a.text, recorded[i]!.text);
      assert.equal(a.call.responseHash, recorded[i]!.call.responseHash);
      assert.deepEqual(a.call.usage, recorded[i]!.call.usage);
      assert.equal(a.call.costUsd, recorded[i]!.call.costUsd);
      assert.equal(a.call.fromStore, true);
      assert.equal(a.call.attempts, 0);
    }
    // A record run over the same requests also answers from the store.
    await rec.complete(reqs[1]!);
    assert.equal(fake.calls(), 3);
    const t = replay.totals();
    assert.equal(t.storeHits, 3);
    assert.equal(t.apiCalls, 0);
    assert.equal(t.spentUsd, 0);
    assert.ok(Math.abs(t.costUsd - recorded.reduce((s, a) => s + a.call.costUsd, 0)) < 1e-12);
    assert.equal(rec.totals().apiCalls, 3);
    assert.equal(rec.totals().storeHits, 1);
  });
});

Deno.test("gateway: a replay miss names the hash, the model and the fix, with no request and no key", async () => {
  await withFake({}, async (fake, store) => {
    const gateway = createLlmGateway({ mode: "replay", store, baseURL: fake.url });
    const req = fixtureRequest(7);
    await assert.rejects(gateway.complete(req), (e: LlmReplayMissError) => {
      assert.ok(e instanceof LlmReplayMissError);
      assert.equal(e.requestHash, requestHash(req));
      assert.ok(e.message.includes(requestHash(req)));
      assert.match(e.message, /claude-haiku-4-5.*--llm-cache record/);
      return true;
    });
    assert.equal(fake.calls(), 0);
  });
});

Deno.test("gateway: live mode always calls, stores, and a later replay finds it", async () => {
  await withFake({}, async (fake, store) => {
    const live = createLlmGateway({ mode: "live", store, apiKey: KEY, baseURL: fake.url });
    const req = fixtureRequest(3);
    const a = await live.complete(req);
    const b = await live.complete(req);
    assert.equal(fake.calls(MESSAGES), 2);
    assert.equal(a.call.fromStore, false);
    assert.equal(b.call.fromStore, false);
    assert.equal(store.stats().entries, 1);
    const replayed = await createLlmGateway({ mode: "replay", store }).complete(req);
    assert.equal(replayed.text, a.text);
  });
});

Deno.test("gateway: 429 then 200 is one answer after 2 attempts", async () => {
  const reply = () =>
    sequence([error(429, "rate_limit_error", { retryAfterMs: 10 }), agentAnswer()], { by: "attempt" });
  await withFake({ reply }, async (fake, store) => {
    const gateway = createLlmGateway({ mode: "record", store, apiKey: KEY, baseURL: fake.url });
    const a = await gateway.complete(fixtureRequest());
    assert.equal(a.call.attempts, 2);
    assert.equal(fake.calls(MESSAGES), 2);
    assert.equal(gateway.totals().attempts, 2);
  });
});

Deno.test("gateway: 529 until the retries run out is the SDK's APIError, nothing stored", async () => {
  const reply = () => error(529, "overloaded_error", { retryAfterMs: 5 });
  await withFake({ reply }, async (fake, store) => {
    const gateway = createLlmGateway({ mode: "record", store, apiKey: KEY, baseURL: fake.url, maxRetries: 2 });
    await assert.rejects(gateway.complete(fixtureRequest()), (e: unknown) => {
      assert.ok(e instanceof Anthropic.APIError);
      assert.equal(e.status, 529);
      return true;
    });
    assert.equal(fake.calls(MESSAGES), 3);
    assert.equal(store.stats().entries, 0);
    assert.equal(gateway.totals().spentUsd, 0);
  });
});

Deno.test("gateway: a refusal and a cut-off are answers with their stop reason, not errors", async () => {
  const reply = () => sequence([refusal(), cutOff()]);
  await withFake({ reply }, async (fake, store) => {
    const gateway = createLlmGateway({ mode: "record", store, apiKey: KEY, baseURL: fake.url });
    const a = await gateway.complete(fixtureRequest(1));
    assert.equal(a.stopReason, "refusal");
    const b = await gateway.complete(fixtureRequest(2));
    assert.equal(b.stopReason, "max_tokens");
    assert.equal(fake.calls(MESSAGES), 2);
    assert.equal(store.stats().entries, 2);
  });
});

Deno.test("gateway: a hang past timeoutMs is the SDK's timeout error", async () => {
  await withFake({ reply: () => hang(5_000) }, async (_fake, store) => {
    const gateway = createLlmGateway({
      mode: "record",
      store,
      apiKey: KEY,
      baseURL: _fake.url,
      timeoutMs: 100,
      maxRetries: 0,
    });
    await assert.rejects(gateway.complete(fixtureRequest()), Anthropic.APIConnectionTimeoutError);
  });
});

Deno.test("gateway: the budget stops before the call that would exceed it; store hits stay free", async () => {
  await withFake({}, async (fake, store) => {
    const first = fixtureRequest(1);
    const worst = worstCaseUsd(first, undefined);
    const gateway = createLlmGateway({
      mode: "record",
      store,
      apiKey: KEY,
      baseURL: fake.url,
      budgetUsd: worst + 1e-9,
    });
    const a = await gateway.complete(first);
    assert.ok(a.call.costUsd > 0 && a.call.costUsd < worst);
    await assert.rejects(gateway.complete(fixtureRequest(2)), (e: LlmBudgetError) => {
      assert.ok(e instanceof LlmBudgetError);
      assert.equal(e.spentUsd, a.call.costUsd);
      assert.ok(Math.abs(e.estimateUsd - worstCaseUsd(fixtureRequest(2), undefined)) < 1e-12);
      assert.match(e.message, /spent.*budget.*--llm-budget/);
      return true;
    });
    assert.equal(fake.calls(MESSAGES), 1);
    assert.equal((await gateway.complete(first)).call.fromStore, true);
    assert.equal(gateway.totals().spentUsd, a.call.costUsd);

    const none = createLlmGateway({ mode: "live", store, apiKey: KEY, baseURL: fake.url, budgetUsd: 0 });
    await assert.rejects(none.complete(first), LlmBudgetError);
    assert.equal(fake.calls(MESSAGES), 1);
    assert.throws(() => createLlmGateway({ mode: "live", store, budgetUsd: -1 }), /--llm-budget -1/);
  });
});

Deno.test("gateway: calls in flight count against the budget", async () => {
  await withFake({ reply: () => hang(50) }, async (fake, store) => {
    const worst = worstCaseUsd(fixtureRequest(1), undefined);
    const gateway = createLlmGateway({
      mode: "record",
      store,
      apiKey: KEY,
      baseURL: fake.url,
      budgetUsd: worst * 1.5,
    });
    const results = await Promise.allSettled([
      gateway.complete(fixtureRequest(1)),
      gateway.complete(fixtureRequest(2)),
    ]);
    assert.equal(results[0]!.status, "fulfilled");
    assert.ok(results[1]!.status === "rejected" && results[1]!.reason instanceof LlmBudgetError);
    assert.equal(fake.calls(MESSAGES), 1);
  });
});

Deno.test("gateway: the cache hit rate follows the API's cache counts", async () => {
  await withFake({}, async (fake, store) => {
    const gateway = createLlmGateway({ mode: "record", store, apiKey: KEY, baseURL: fake.url });
    const a = await gateway.complete(fixtureRequest(1));
    const b = await gateway.complete(fixtureRequest(2));
    assert.ok(a.call.usage.cacheWriteTokens > 0);
    assert.equal(a.call.usage.cacheReadTokens, 0);
    assert.equal(b.call.usage.cacheReadTokens, a.call.usage.cacheWriteTokens);
    const t = gateway.totals();
    const u = t.usage;
    assert.equal(t.cacheHitRate, u.cacheReadTokens / (u.cacheReadTokens + u.cacheWriteTokens + u.inputTokens));
    assert.ok(t.cacheHitRate > 0.2 && t.cacheHitRate < 0.5, String(t.cacheHitRate));
    assert.equal(fake.calls(MESSAGES), 2);
  });
});

Deno.test("gateway: an unknown model fails before any request", async () => {
  await withFake({}, async (fake, store) => {
    const gateway = createLlmGateway({ mode: "record", store, apiKey: KEY, baseURL: fake.url });
    await assert.rejects(gateway.complete(fixtureRequest(0, { model: "claude-nope-1" })), LlmConfigError);
    assert.equal(fake.calls(), 0);
  });
});

Deno.test("gateway: the key never reaches the store file nor an error message", async () => {
  const planted = "sk-ant-PLANTED-xyz";
  const dir = await Deno.makeTempDir();
  const fake = await FakeAnthropic.start({
    reply: (r) =>
      r.n === 1
        ? error(400, "invalid_request_error", { message: `echoing the caller's key ${planted} back` })
        : agentAnswer(),
  });
  try {
    const path = `${dir}/llm_store.sqlite`;
    {
      using store = LlmStore.open({ path });
      const gateway = createLlmGateway({ mode: "record", store, apiKey: planted, baseURL: fake.url });
      await gateway.complete(fixtureRequest(1));
      await assert.rejects(gateway.complete(fixtureRequest(2)), (e: unknown) => {
        assert.ok(e instanceof Anthropic.BadRequestError);
        assert.ok(!e.message.includes(planted), e.message);
        assert.ok(!String(e.stack).includes(planted));
        assert.match(e.message, /\[redacted\]/);
        return true;
      });
      // A wrong key at the API: 401, and its error names no key either.
      const fake401 = await FakeAnthropic.start({ apiKey: "the-right-key-000" });
      try {
        const g401 = createLlmGateway({ mode: "record", store, apiKey: planted, baseURL: fake401.url });
        await assert.rejects(g401.complete(fixtureRequest(3)), (e: unknown) => {
          assert.ok(e instanceof Anthropic.AuthenticationError);
          assert.ok(!String(e.stack).includes(planted));
          return true;
        });
      } finally {
        await fake401.close();
      }
      assert.equal(store.stats().entries, 1);
    }
    for await (const f of Deno.readDir(dir)) {
      const bytes = new TextDecoder("latin1").decode(await Deno.readFile(`${dir}/${f.name}`));
      assert.ok(!bytes.includes(planted), `${f.name} holds the key`);
      assert.ok(!bytes.includes("PLANTED"), f.name);
    }
    assert.ok(fake.requests.every((r) => !JSON.stringify(r).includes(planted)));
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gateway: ANTHROPIC_BASE_URL is honoured when baseURL is not given", async () => {
  await withFake({}, async (fake, store) => {
    const before = Deno.env.get("ANTHROPIC_BASE_URL");
    Deno.env.set("ANTHROPIC_BASE_URL", fake.url);
    try {
      const gateway = createLlmGateway({ mode: "live", store, apiKey: KEY });
      await gateway.complete(fixtureRequest());
      assert.equal(fake.calls(MESSAGES), 1);
    } finally {
      if (before === undefined) Deno.env.delete("ANTHROPIC_BASE_URL");
      else Deno.env.set("ANTHROPIC_BASE_URL", before);
    }
  });
});

Deno.test("gateway: lookups asked together are read in one query; a miss rejects only its own request", async () => {
  await withFake({}, async (fake, store) => {
    const reqs = [0, 1, 2, 3].map((n) => fixtureRequest(n));
    const rec = createLlmGateway({ mode: "record", store, apiKey: KEY, baseURL: fake.url });
    for (const r of reqs.slice(0, 3)) await rec.complete(r);
    const rep = createLlmGateway({ mode: "replay", store });
    const settled = await Promise.allSettled(reqs.map((r) => rep.complete(r)));
    assert.deepEqual(settled.map((s) => s.status), ["fulfilled", "fulfilled", "fulfilled", "rejected"]);
    assert.ok((settled[3] as PromiseRejectedResult).reason instanceof LlmReplayMissError);
    for (const [i, s] of settled.slice(0, 3).entries()) {
      assert.equal(
        (s as PromiseFulfilledResult<{ call: { requestHash: string } }>).value.call.requestHash,
        requestHash(reqs[i]!),
      );
    }
    assert.equal(rep.totals().storeHits, 3);
    assert.equal(fake.calls(MESSAGES), 3);
    // The store's batched read: absent keys are missing, duplicates read once.
    const found = store.answers([requestHash(reqs[0]!), requestHash(reqs[3]!), requestHash(reqs[0]!)]);
    assert.deepEqual([...found.keys()], [requestHash(reqs[0]!)]);
  });
});
