import assert from "node:assert/strict";
import { FakeAnthropic } from "../testing/fake_anthropic.ts";
import { countTokensEstimate } from "./count_tokens_estimate.ts";
import { fixtureRequest } from "./_gateway_fixtures.ts";

Deno.test("countTokensEstimate: a sample per request shape, scaled and priced", async () => {
  const fake = await FakeAnthropic.start();
  try {
    const haiku = Array.from({ length: 10 }, (_, n) => fixtureRequest(n));
    const sonnet = Array.from({ length: 4 }, (_, n) => fixtureRequest(n, { model: "claude-sonnet-4-5" }));
    const est = await countTokensEstimate({ apiKey: "test-key-0123", baseURL: fake.url, sample: 2 }, [
      ...haiku,
      ...sonnet,
    ]);
    assert.equal(est.requests, 14);
    assert.equal(est.shapes, 2);
    assert.equal(est.counted, 4);
    assert.equal(fake.calls("/v1/messages/count_tokens"), 4);
    assert.equal(fake.calls("/v1/messages"), 0);
    const one = fake.requests[0]!.body as { system: unknown; output_config: unknown };
    assert.ok(Array.isArray(one.system));
    assert.ok(one.output_config);
    assert.equal(est.outputTokens, 14 * 1024);
    // The fake counts about chars / 4 of the system prompt and messages.
    assert.ok(est.inputTokens > 14 * 4_260 && est.inputTokens < 14 * 5_000, String(est.inputTokens)); // the 4,260-token system prefix
    const expected = (est.inputTokens * 10 / 14) * 1 / 1e6 + 10 * 1024 * 5 / 1e6 +
      (est.inputTokens * 4 / 14) * 3 / 1e6 + 4 * 1024 * 15 / 1e6;
    assert.ok(Math.abs(est.costUsd - expected) / expected < 0.02, `${est.costUsd} vs ${expected}`);
    assert.ok(est.cachedCostUsd < est.costUsd);
    const shorter = await countTokensEstimate(
      { apiKey: "test-key-0123", baseURL: fake.url, outputTokens: 200 },
      haiku,
    );
    assert.equal(shorter.outputTokens, 2000);
    assert.equal(shorter.counted, 3);
    // Scaling the sample by characters lands within 1% of counting every request.
    const all = await countTokensEstimate({ apiKey: "test-key-0123", baseURL: fake.url, sample: 100 }, haiku);
    assert.equal(all.counted, 10);
    assert.ok(Math.abs(shorter.inputTokens - all.inputTokens) / all.inputTokens < 0.01);
  } finally {
    await fake.close();
  }
});
