import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { zodOutputFormat } from "@anthropic-ai/sdk/helpers/zod";
import { z } from "zod";
import { AgentDecisionSchema } from "../agents/agent_decision.ts";
import {
  agentAnswer,
  cutOff,
  error,
  FakeAnthropic,
  hang,
  json,
  malformed,
  refusal,
  schemaViolation,
  sequence,
  text,
} from "./fake_anthropic.ts";

const MODEL = "claude-sonnet-4-5";

// The persona's schema as the decision pipeline narrows it: factor and fact ids are enums.
const Decision = AgentDecisionSchema.extend({
  factors: z.array(z.strictObject({
    id: z.enum(["trend", "momentum", "volatility"]),
    direction: z.enum(["bullish", "bearish", "neutral"]),
    weight: z.number().min(0).max(1),
  })).min(1).max(32),
  citations: z.array(z.strictObject({ fact: z.enum(["close", "ret_5", "ret_20", "vol_20"]), value: z.number() }))
    .max(64),
});

function prompt(ret5: number, ret20: number): string {
  return [
    "Facts:",
    `- ret_5 = ${ret5} % | return over 5 bars | known 0 bars ago`,
    `- ret_20 = ${ret20} % | return over 20 bars | known 0 bars ago`,
    "- close = 101.5 price | close, rebased to 100 | known 0 bars ago",
    "- regime = uptrend | trend regime | known 0 bars ago",
    "",
    "Follow the steps and answer in JSON.",
  ].join("\n");
}

function client(fake: FakeAnthropic, options: { maxRetries?: number; timeout?: number } = {}): Anthropic {
  return new Anthropic({ baseURL: fake.url, apiKey: "test-key", ...options });
}

function ask(c: Anthropic, user: string, maxTokens = 1024) {
  return c.messages.parse({
    model: MODEL,
    max_tokens: maxTokens,
    system: "You are a trend follower.",
    messages: [{ role: "user", content: user }],
    output_config: { format: zodOutputFormat(Decision) },
  });
}

Deno.test("FakeAnthropic answers a persona prompt validly and deterministically through parse()", async () => {
  const fake = await FakeAnthropic.start();
  try {
    const c = client(fake);
    const msg = await ask(c, prompt(1.23, -0.5));
    const d = msg.parsed_output!;
    assert.equal(msg.stop_reason, "end_turn");
    assert.equal(d.action, "buy"); // 1.23 - 0.5 = 0.73 > 0.001
    assert.equal(d.confidence, 0.95);
    assert.deepEqual(d.factors, [
      { id: "trend", direction: "bullish", weight: 0.5 },
      { id: "momentum", direction: "bullish", weight: 0.5 },
    ]);
    assert.deepEqual(d.citations, [{ fact: "close", value: 101.5 }, { fact: "ret_5", value: 1.23 }]);
    assert.equal(d.invalidationLevel, null);
    const again = await ask(c, prompt(1.23, -0.5));
    assert.deepEqual(again.content, msg.content);
    assert.equal(again.id, msg.id);

    const down = await ask(c, prompt(-0.01, -0.02));
    assert.equal(down.parsed_output!.action, "sell");
    assert.equal(down.parsed_output!.confidence, 0.8);
    assert.equal(down.parsed_output!.factors[0]!.direction, "bearish");
    const flat = await ask(c, prompt(0.0004, 0));
    assert.equal(flat.parsed_output!.action, "hold");
    assert.equal(flat.parsed_output!.factors[0]!.direction, "neutral");
    const body = fake.requests[0]!.body!;
    assert.equal((body.output_config as { format: { type: string } }).format.type, "json_schema");
  } finally {
    await fake.close();
  }
});

Deno.test("FakeAnthropic: overrides, plain JSON, and a generic answer without a schema", async () => {
  const fake = await FakeAnthropic.start({
    reply: ({ n }) =>
      [agentAnswer({ action: "close", confidence: 0.3 }), json({ hello: 1 }), agentAnswer()][n] ?? text("done"),
  });
  try {
    const c = client(fake);
    const overridden = (await ask(c, prompt(1, 1))).parsed_output!;
    assert.equal(overridden.action, "close");
    assert.equal(overridden.confidence, 0.3);
    assert.equal(overridden.factors[0]!.direction, "neutral");
    const create = (user: string) =>
      c.messages.create({ model: MODEL, max_tokens: 1024, messages: [{ role: "user", content: user }] });
    assert.deepEqual((await create("hi")).content, [{ type: "text", text: '{"hello":1}' }]);
    const plain = await create(prompt(0.5, 0));
    const block = plain.content[0]!;
    assert.equal(block.type, "text");
    const generic = AgentDecisionSchema.parse(JSON.parse(block.type === "text" ? block.text : ""));
    assert.deepEqual(generic.factors, [{ id: "signal", direction: "bullish", weight: 1 }]);
    assert.deepEqual(generic.citations, [{ fact: "ret_5", value: 0.5 }, { fact: "ret_20", value: 0 }]);
  } finally {
    await fake.close();
  }
});

Deno.test("FakeAnthropic: refusal and max_tokens stop reasons reach the caller", async () => {
  const fake = await FakeAnthropic.start({ reply: ({ n }) => [refusal(), cutOff()][n] ?? agentAnswer() });
  try {
    const c = client(fake);
    const create = (maxTokens: number) =>
      c.messages.create({ model: MODEL, max_tokens: maxTokens, messages: [{ role: "user", content: prompt(1, 0) }] });
    const refused = await create(1024);
    assert.equal(refused.stop_reason, "refusal");
    const cut = await create(1024);
    assert.equal(cut.stop_reason, "max_tokens");
    assert.throws(() => JSON.parse(cut.content[0]!.type === "text" ? cut.content[0]!.text : ""), SyntaxError);
    // The default answer is longer than 10 tokens, so the model's own limit cuts it.
    const short = await create(10);
    assert.equal(short.stop_reason, "max_tokens");
    assert.equal(short.usage.output_tokens, 10);
  } finally {
    await fake.close();
  }
});

Deno.test("FakeAnthropic: malformed JSON and a schema violation make parse() reject with AnthropicError", async () => {
  const fake = await FakeAnthropic.start({ reply: ({ n }) => (n === 0 ? malformed() : schemaViolation()) });
  try {
    const c = client(fake);
    const bad = await ask(c, prompt(1, 0)).then(() => null, (e: unknown) => e);
    assert.ok(bad instanceof Anthropic.AnthropicError && !(bad instanceof Anthropic.APIError));
    assert.match(bad.message, /Failed to parse structured output as JSON/);
    const invalid = await ask(c, prompt(1, 0)).then(() => null, (e: unknown) => e);
    assert.ok(invalid instanceof Anthropic.AnthropicError && !(invalid instanceof Anthropic.APIError));
    assert.match(invalid.message, /Validation issues/);
    assert.match(invalid.message, /confidence/);
  } finally {
    await fake.close();
  }
});

Deno.test("FakeAnthropic: 429 with retry-after 1 then 200 succeeds after about 1 s in 2 requests", async () => {
  const fake = await FakeAnthropic.start({
    reply: () => sequence([error(429, "rate_limit_error", { retryAfter: 1 }), agentAnswer()], { by: "attempt" }),
  });
  try {
    const t0 = performance.now();
    const msg = await ask(client(fake), prompt(1, 0));
    const ms = performance.now() - t0;
    assert.equal(msg.parsed_output!.action, "buy");
    assert.ok(ms >= 950 && ms < 2_500, `took ${ms} ms`);
    assert.deepEqual(fake.requests.map((r) => [r.attempt, r.status]), [[0, 429], [1, 200]]);
  } finally {
    await fake.close();
  }
});

Deno.test("FakeAnthropic: 529 three times with maxRetries 2 is OverloadedError after 3 attempts", async () => {
  const fake = await FakeAnthropic.start({ reply: () => error(529, "overloaded_error", { retryAfterMs: 20 }) });
  try {
    const e = await ask(client(fake, { maxRetries: 2 }), prompt(1, 0)).then(() => null, (x: unknown) => x);
    assert.ok(e instanceof Anthropic.InternalServerError && e.constructor.name === "OverloadedError");
    assert.equal(e.status, 529);
    assert.deepEqual(fake.requests.map((r) => r.attempt), [0, 1, 2]);
    assert.equal(fake.calls("/v1/messages"), 3);
  } finally {
    await fake.close();
  }
});

Deno.test("FakeAnthropic: a hang beyond the client's timeout is APIConnectionTimeoutError", async () => {
  const fake = await FakeAnthropic.start({ reply: () => hang(5_000) });
  try {
    const t0 = performance.now();
    const e = await ask(client(fake, { maxRetries: 0, timeout: 200 }), prompt(1, 0)).then(
      () => null,
      (x: unknown) => x,
    );
    assert.ok(e instanceof Anthropic.APIConnectionTimeoutError, String(e));
    assert.ok(performance.now() - t0 < 2_000);
  } finally {
    await fake.close();
  }
});

Deno.test("FakeAnthropic: 401 without a key or with the wrong one, and the key is never kept", async () => {
  const fake = await FakeAnthropic.start({ apiKey: "test-key" });
  try {
    const res = await fetch(`${fake.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, max_tokens: 10, messages: [] }),
    });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), {
      type: "error",
      error: { type: "authentication_error", message: "x-api-key header is required (or authorization: Bearer <key>)" },
    });
    const wrong = new Anthropic({ baseURL: fake.url, apiKey: "sk-wrong-secret" });
    const e = await ask(wrong, prompt(1, 0)).then(() => null, (x: unknown) => x);
    assert.ok(e instanceof Anthropic.AuthenticationError);
    await ask(client(fake), prompt(1, 0));
    const viaHeader = await fetch(`${fake.url}/v1/messages/count_tokens`, {
      method: "POST",
      headers: { "x-api-key": "test-key", "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "abcd" }] }),
    });
    assert.deepEqual(await viaHeader.json(), { input_tokens: 1 });
    const kept = JSON.stringify(fake.requests);
    assert.ok(!kept.includes("test-key") && !kept.includes("sk-wrong-secret"));
    assert.deepEqual(fake.requests.map((r) => r.status), [401, 401, 200, 200]);
  } finally {
    await fake.close();
  }
});

Deno.test("FakeAnthropic: prompt caching counts creation, then reads, outside input_tokens", async () => {
  const fake = await FakeAnthropic.start();
  try {
    const c = client(fake);
    const system = "You are a trend follower. ".repeat(160); // 4,160 chars = 1,040 tokens, above the 1,024 minimum
    const user = prompt(1, 0);
    const call = () =>
      c.messages.create({
        model: MODEL,
        max_tokens: 1024,
        system: [{ type: "text", text: system, cache_control: { type: "ephemeral" } }],
        messages: [{ role: "user", content: user }],
      });
    const first = await call();
    const second = await call();
    const all = Math.ceil((system.length + user.length) / 4);
    assert.equal(first.usage.cache_creation_input_tokens, 1_040);
    assert.equal(first.usage.cache_read_input_tokens, 0);
    assert.equal(first.usage.input_tokens, all - 1_040);
    assert.equal(second.usage.cache_creation_input_tokens, 0);
    assert.equal(second.usage.cache_read_input_tokens, 1_040);
    assert.equal(second.usage.input_tokens, all - 1_040);
    // A prefix under the minimum is not cached, as the API does: all of it is input.
    const short = await c.messages.create({
      model: MODEL,
      max_tokens: 1024,
      system: [{ type: "text", text: "Short. ".repeat(100), cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: user }],
    });
    assert.equal(short.usage.cache_creation_input_tokens, 0);
    assert.equal(short.usage.cache_read_input_tokens, 0);
    const counted = await c.messages.countTokens({
      model: MODEL,
      system: [{ type: "text", text: system, cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: user }],
    });
    assert.equal(counted.input_tokens, all);
    assert.equal(fake.calls("/v1/messages/count_tokens"), 1);
    assert.equal(fake.calls(), 4);
  } finally {
    await fake.close();
  }
});

Deno.test("FakeAnthropic: a batch of 3 round-trips through batches.create/retrieve/results", async () => {
  const fake = await FakeAnthropic.start({
    batchRetrievesInProgress: 1,
    reply: ({ customId }) => (customId === "c" ? error(500, "api_error") : agentAnswer()),
  });
  try {
    const c = client(fake);
    const params = (user: string) => ({
      model: MODEL,
      max_tokens: 1024,
      messages: [{ role: "user" as const, content: user }],
      output_config: { format: zodOutputFormat(Decision) },
    });
    const created = await c.messages.batches.create({
      requests: [
        { custom_id: "a", params: params(prompt(1, 0)) },
        { custom_id: "b", params: params(prompt(-1, 0)) },
        { custom_id: "c", params: params(prompt(0, 0)) },
      ],
    });
    assert.equal(created.processing_status, "in_progress");
    const first = await c.messages.batches.retrieve(created.id);
    assert.equal(first.processing_status, "in_progress");
    assert.equal(first.results_url, null);
    const ended = await c.messages.batches.retrieve(created.id);
    assert.equal(ended.processing_status, "ended");
    assert.deepEqual(ended.request_counts, { processing: 0, succeeded: 2, errored: 1, canceled: 0, expired: 0 });
    const out: Record<string, string> = {};
    for await (const line of await c.messages.batches.results(created.id)) {
      if (line.result.type === "succeeded") {
        const block = line.result.message.content[0]!;
        out[line.custom_id] = Decision.parse(JSON.parse(block.type === "text" ? block.text : "")).action;
      } else out[line.custom_id] = line.result.type;
    }
    assert.deepEqual(out, { a: "buy", b: "sell", c: "errored" });
  } finally {
    await fake.close();
  }
});
