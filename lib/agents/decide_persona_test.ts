import assert from "node:assert/strict";
import {
  agentAnswer,
  cutOff,
  error,
  malformed,
  refusal,
  schemaViolation,
  sequence,
} from "../testing/fake_anthropic.ts";
import { llmHarness, persona, promptAt, TEST_MODEL } from "./_debate_test_llm.ts";
import { createLlmGateway } from "./create_llm_gateway.ts";
import { decidePersona, type DecidePersonaOptions } from "./decide_persona.ts";
import { LlmReplayMissError } from "./llm_errors.ts";
import type { LlmGateway } from "./llm_gateway.ts";
import { LlmStore } from "./llm_store.ts";

const trend = persona("trend_follower");
const prompt = promptAt(trend);

function options(gateway: LlmGateway, extra: Partial<DecidePersonaOptions> = {}): DecidePersonaOptions {
  return { persona: trend, prompt, gateway, model: TEST_MODEL, maxTokens: 2_048, temperature: 0, ...extra };
}

type Body = {
  system: { text: string }[];
  messages: { role: string; content: string | { text: string }[] }[];
  output_config: { format: { schema: Record<string, any> } };
};
const textOf = (content: string | { text: string }[]) =>
  typeof content === "string" ? content : content.map((b) => b.text).join("");

Deno.test("decidePersona: a valid answer through the real gateway and SDK is a decision with one call", async () => {
  await using h = await llmHarness();
  const outcome = await decidePersona(options(h.gateway));
  assert.equal(outcome.kind, "decision", JSON.stringify(outcome));
  if (outcome.kind !== "decision") return;
  assert.deepEqual(outcome.validation, { ok: true, repaired: false, firstIssues: [] });
  assert.equal(outcome.calls.length, 1);
  assert.equal(outcome.calls[0]!.fromStore, false);
  assert.ok(outcome.calls[0]!.costUsd > 0);
  assert.ok(trend.factors.some((f) => f.id === outcome.decision.factors[0]!.id));
  const body = h.fake.requests[0]!.body as unknown as Body;
  assert.equal(textOf(body.messages[0]!.content), prompt.user);
  assert.equal(body.system.map((b) => b.text).join(""), prompt.system);
  const schema = body.output_config.format.schema;
  assert.deepEqual(schema.properties.factors.items.properties.id.enum, trend.factors.map((f) => f.id));
  assert.deepEqual(schema.properties.citations.items.properties.fact.enum, Object.keys(prompt.shown));
  // recorded: the same decision again is a store hit, no request
  const again = await decidePersona(options(h.gateway));
  assert.deepEqual(again.kind === "decision" && again.decision, outcome.decision);
  assert.equal(again.calls[0]!.fromStore, true);
  assert.equal(h.fake.calls("/v1/messages"), 1);
});

Deno.test("decidePersona: refusal and max_tokens cut-off abstain with their reason, no repair", async () => {
  {
    await using h = await llmHarness(() => refusal());
    const outcome = await decidePersona(options(h.gateway));
    assert.equal(outcome.kind, "abstain");
    if (outcome.kind === "abstain") {
      assert.deepEqual([outcome.reason, outcome.detail], ["refusal", "stop_reason refusal"]);
    }
    assert.equal(outcome.calls.length, 1);
    assert.equal(h.fake.calls("/v1/messages"), 1);
  }
  {
    await using h = await llmHarness(() => cutOff());
    const outcome = await decidePersona(options(h.gateway));
    assert.equal(outcome.kind === "abstain" && outcome.reason, "max_tokens");
    assert.equal(outcome.calls.length, 1);
    assert.equal(h.fake.calls("/v1/messages"), 1);
  }
});

Deno.test("decidePersona: malformed, then repaired: a decision with repaired and the first issues", async () => {
  await using h = await llmHarness(() => sequence([malformed(), agentAnswer()]));
  const outcome = await decidePersona(options(h.gateway));
  assert.equal(outcome.kind, "decision", JSON.stringify(outcome));
  if (outcome.kind !== "decision") return;
  assert.equal(outcome.validation.repaired, true);
  assert.match(outcome.validation.firstIssues[0]!, /not JSON/);
  assert.equal(outcome.calls.length, 2);
  assert.notEqual(outcome.calls[0]!.requestHash, outcome.calls[1]!.requestHash);
  const [first, second] = h.fake.requests.map((r) => r.body as unknown as Body);
  const invalid = textOf(second!.messages[1]!.content);
  assert.deepEqual(second!.messages.map((m) => m.role), ["user", "assistant", "user"]);
  assert.equal(textOf(second!.messages[0]!.content), prompt.user);
  assert.equal(first!.messages.length, 1);
  assert.ok(invalid.length > 0);
  assert.match(textOf(second!.messages[2]!.content), /failed validation:\n- the answer is not JSON.*\nAnswer again/s);
});

Deno.test("decidePersona: invalid twice abstains invalid with both issue lists; repair: false asks once", async () => {
  {
    await using h = await llmHarness(() => schemaViolation());
    const outcome = await decidePersona(options(h.gateway));
    assert.equal(outcome.kind, "abstain");
    if (outcome.kind === "abstain") {
      assert.equal(outcome.reason, "invalid");
      assert.match(outcome.detail, /^after one repair: .*\(first answer: .*\)$/);
    }
    assert.equal(outcome.calls.length, 2);
  }
  {
    await using h = await llmHarness(() => malformed());
    const outcome = await decidePersona(options(h.gateway, { repair: false }));
    assert.equal(outcome.kind === "abstain" && outcome.reason, "invalid");
    assert.equal(outcome.calls.length, 1);
    assert.equal(h.fake.calls("/v1/messages"), 1);
  }
});

Deno.test("decidePersona: 429 after the SDK's retries abstains api_error with the status, never the key", async () => {
  await using h = await llmHarness(() => error(429, "rate_limit_error", { retryAfterMs: 5 }));
  const outcome = await decidePersona(options(h.gateway));
  assert.equal(outcome.kind, "abstain");
  if (outcome.kind !== "abstain") return;
  assert.equal(outcome.reason, "api_error");
  assert.match(outcome.detail, /RateLimitError, status 429, type rate_limit_error/);
  assert.ok(!JSON.stringify(outcome).includes("sk-ant-test-key-h4"));
  assert.deepEqual(outcome.calls, []);
  assert.equal(h.fake.calls("/v1/messages"), 3); // 1 + maxRetries 2
});

Deno.test("decidePersona: a replay miss is thrown, not an abstention", async () => {
  await using h = await llmHarness(undefined, "replay");
  await assert.rejects(decidePersona(options(h.gateway)), LlmReplayMissError);
  assert.equal(h.fake.calls(), 0);
});

Deno.test("decidePersona: a budget stop abstains budget without a call", async () => {
  using store = LlmStore.open({ path: ":memory:" });
  const gateway = createLlmGateway({ mode: "live", store, apiKey: "k", baseURL: "http://127.0.0.1:9", budgetUsd: 0 });
  const outcome = await decidePersona(options(gateway));
  assert.equal(outcome.kind === "abstain" && outcome.reason, "budget");
  if (outcome.kind === "abstain") assert.match(outcome.detail, /--llm-budget/);
});

Deno.test("decidePersona: a rule persona decides without the gateway; other errors are thrown", async () => {
  const rule = persona("rule_trend");
  const never: LlmGateway = { mode: "replay", complete: () => Promise.reject(new Error("no call expected")) };
  const outcome = await decidePersona({ ...options(never), persona: rule, prompt: promptAt(rule) });
  assert.equal(outcome.persona, "rule_trend");
  assert.deepEqual(outcome.calls, []);
  await assert.rejects(decidePersona(options(never)), /no call expected/);
  await assert.rejects(
    decidePersona({ ...options(never), prompt: { ...prompt, persona: "mean_reverter" } }),
    /built for persona "mean_reverter", not "trend_follower"/,
  );
});

Deno.test("decidePersona: the pipeline beyond the model call takes well under 2 ms a decision", async () => {
  await using h = await llmHarness();
  const first = await decidePersona(options(h.gateway));
  assert.equal(first.kind, "decision");
  const answer = await h.gateway.complete({
    model: TEST_MODEL,
    maxTokens: 2_048,
    temperature: 0,
    system: prompt.system,
    messages: [{ role: "user", content: prompt.user }],
    outputSchema: (await import("./validate_decision.ts")).decisionJsonSchema(trend, Object.keys(prompt.shown)),
    templateVersion: prompt.templateVersion,
  });
  const instant: LlmGateway = { mode: "replay", complete: () => Promise.resolve(answer) };
  const n = 2_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await decidePersona(options(instant));
  const perDecision = (performance.now() - t0) / n;
  console.log(`decidePersona beyond the model call: ${perDecision.toFixed(4)} ms per decision`);
  assert.ok(perDecision < 2, `${perDecision} ms`);
});
