import assert from "node:assert/strict";
import { agentAnswer, json, refusal, sequence } from "../testing/fake_anthropic.ts";
import { abstainOutcome, decisionOutcome, testPrompt } from "./_debate_test_fixtures.ts";
import { llmHarness, persona, promptAt, TEST_MODEL } from "./_debate_test_llm.ts";
import { createLlmGateway } from "./create_llm_gateway.ts";
import { decidePersona } from "./decide_persona.ts";
import { DebateRecordSchema, type DebateRow } from "./debate_record.ts";
import type { LlmGateway } from "./llm_gateway.ts";
import type { PersonaOutcome } from "./outcome.ts";
import type { Persona } from "./persona.ts";
import { ruleDecision } from "./rule_decision.ts";
import { formatPositions, runDebate } from "./run_debate.ts";
import { vote } from "./vote.ts";

const never: LlmGateway = { mode: "replay", complete: () => Promise.reject(new Error("no model call expected")) };

/** Rule personas that read the same facts and disagree: the trend rule, its contrarian, and a slow one. */
function rulePersonas(): Persona[] {
  const base = persona("rule_trend");
  return [
    base,
    { ...base, name: "rule_contrarian", factors: base.factors.map((f) => ({ ...f, invert: true })) },
    { ...base, name: "rule_momentum", factors: [base.factors[1]!], threshold: 0.5 },
  ];
}

Deno.test("runDebate: rule personas (no model), 2 rebuttal rounds: data rows, vote, zero calls", async () => {
  const personas = rulePersonas();
  const seen: { persona: string; round: number; others: readonly DebateRow[]; user?: string }[] = [];
  const record = await runDebate({
    personas,
    promptFor: (p, round, others) => {
      seen.push({ persona: p.name, round, others });
      const prompt = promptAt(p);
      return round === 0 ? prompt : { ...prompt, user: `${prompt.user}\n\n${formatPositions(others)}` };
    },
    decide: (p, prompt, round) => {
      seen.find((s) => s.persona === p.name && s.round === round)!.user = prompt.user;
      return decidePersona({ persona: p, prompt, gateway: never, model: TEST_MODEL, maxTokens: 1_024 });
    },
    rounds: 2,
    weights: { rule_trend: 2, rule_contrarian: 1, rule_momentum: 1 },
  });
  DebateRecordSchema.parse(record);
  assert.deepEqual(record.personas, ["rule_trend", "rule_contrarian", "rule_momentum"]);
  assert.equal(record.rounds.length, 3);
  const expected = personas.map((p) => ruleDecision(p, promptAt(p).facts));
  for (const [r, rows] of record.rounds.entries()) {
    assert.deepEqual(rows.map((row) => [row.persona, row.round]), personas.map((p) => [p.name, r]));
    // a rule persona's view does not move with the debate
    assert.deepEqual(
      rows.map((row) => row.action),
      expected.map((o) => o.kind === "decision" ? o.decision.action : null),
    );
  }
  const trend = expected[0]!;
  assert.equal(trend.kind, "decision");
  if (trend.kind === "decision") {
    assert.deepEqual(record.rounds[0]![0]!.factors, trend.decision.factors);
    assert.equal(record.rounds[0]![0]!.confidence, trend.decision.confidence);
  }
  assert.deepEqual(record.vote, vote(expected, { rule_trend: 2, rule_contrarian: 1, rule_momentum: 1 }));
  // on this walk: trend buy 1 (w 0.5), contrarian sell 1 (w 0.25), momentum buy 1 (w 0.25)
  assert.deepEqual(record.rounds[2]!.map((row) => [row.action, row.confidence]), [["buy", 1], ["sell", 1], ["buy", 1]]);
  assert.deepEqual([record.vote.action, record.vote.confidence, record.vote.net], ["buy", 0.75, 0.5]);
  assert.deepEqual(record.dissent, [{ persona: "rule_contrarian", action: "sell", confidence: 1, voteAction: "buy" }]);
  const h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)) / Math.log(4);
  assert.ok(Math.abs(record.disagreement - h) < 1e-12);
  assert.equal(record.calls, 0);
  assert.equal(record.costUsd, 0);
  // round 0: no others; round r: the other two personas' rows of round r - 1, and their positions in the prompt
  assert.deepEqual(seen.filter((s) => s.round === 0).map((s) => s.others.length), [0, 0, 0]);
  const r2 = seen.find((s) => s.round === 2 && s.persona === "rule_contrarian")!;
  assert.deepEqual(r2.others, [record.rounds[1]![0], record.rounds[1]![2]]);
  assert.ok(r2.user!.endsWith(`\n\n${formatPositions(r2.others)}`));
  assert.match(r2.user!, /after round 1 .*\n- rule_trend: (buy|sell|hold|close), confidence [0-9.]+, factors: trend /);
  assert.ok(!seen.find((s) => s.round === 0)!.user!.includes("Positions of the other personas"));
});

Deno.test("runDebate: an abstention is a row of its round, shown as such, and asked again the next round", async () => {
  const asked: string[] = [];
  const script: Record<string, PersonaOutcome[]> = {
    bull: [decisionOutcome("bull", "buy", 0.9), decisionOutcome("bull", "buy", 0.8)],
    bear: [abstainOutcome("bear", "api_error"), decisionOutcome("bear", "sell", 0.7)],
    flat: [decisionOutcome("flat", "hold", 0.5), abstainOutcome("flat", "refusal")],
  };
  const personas = ["bull", "bear", "flat"].map((name) => ({ name }) as Persona);
  const record = await runDebate({
    personas,
    promptFor: (p, round, others) => ({
      ...testPrompt(p.name),
      user: `facts of ${p.name} r${round}${round === 0 ? "" : `\n\n${formatPositions(others)}`}`,
    }),
    decide: (p, prompt) => {
      asked.push(prompt.user);
      return Promise.resolve(script[p.name]!.shift()!);
    },
    dissentThreshold: 0.7,
  });
  assert.equal(record.rounds.length, 2);
  assert.deepEqual(record.rounds[0]![1], {
    persona: "bear",
    round: 0,
    kind: "abstain",
    action: null,
    confidence: null,
    factors: [],
    abstainReason: "api_error",
    detail: "stop_reason api_error",
  });
  assert.equal(
    asked[3],
    "facts of bull r1\n\nPositions of the other personas after round 0 (action, confidence, factors as id direction " +
      "weight):\n- bear: abstained (api_error)\n- flat: hold, confidence 0.5, factors: trend bullish 0.5, momentum " +
      "bullish 0.3, volatility neutral 0.2",
  );
  // final round: bull buy 0.8, bear sell 0.7, flat abstains; w = 1/3 each, voter weight 2/3
  assert.equal(record.vote.action, "buy");
  assert.ok(Math.abs(record.vote.confidence - 0.4) < 1e-12);
  assert.deepEqual(record.vote.abstained, ["flat"]);
  assert.deepEqual(record.dissent, [{ persona: "bear", action: "sell", confidence: 0.7, voteAction: "buy" }]);
  // shares 0.8/1.5 and 0.7/1.5
  const p = 0.8 / 1.5, q = 0.7 / 1.5;
  assert.ok(Math.abs(record.disagreement - -(p * Math.log(p) + q * Math.log(q)) / Math.log(4)) < 1e-12);
  DebateRecordSchema.parse(record);
});

Deno.test("runDebate: bad options are errors naming the value", async () => {
  const base = { personas: [], promptFor: () => testPrompt(), decide: () => Promise.reject(new Error("x")) };
  await assert.rejects(runDebate({ ...base, rounds: -1 }), /rounds -1 is not a whole number/);
  await assert.rejects(runDebate({ ...base, rule: "moderator" }), /needs options.moderator/);
  await assert.rejects(runDebate({ ...base, dissentThreshold: 2 }), /dissentThreshold 2/);
  const p = { name: "a" } as Persona;
  await assert.rejects(runDebate({ ...base, personas: [p, p] }), /"a" is listed twice/);
});

const LLM_PERSONAS = ["trend_follower", "mean_reverter", "risk_officer", "macro_skeptic"];

Deno.test("runDebate: 4 LLM personas, 2 rounds, real gateway + SDK on the fake; replays the same", async () => {
  const personas = LLM_PERSONAS.map(persona);
  await using h = await llmHarness();
  const debate = (gateway: LlmGateway) =>
    runDebate({
      personas,
      promptFor: (p, round, others) => {
        const prompt = promptAt(p);
        return round === 0 ? prompt : { ...prompt, user: `${prompt.user}\n\n${formatPositions(others)}` };
      },
      decide: (p, prompt) => decidePersona({ persona: p, prompt, gateway, model: TEST_MODEL, maxTokens: 2_048 }),
      rounds: 1,
    });
  const record = await debate(h.gateway);
  DebateRecordSchema.parse(record);
  assert.equal(record.rounds.length, 2);
  assert.ok(record.rounds.flat().every((row) => row.kind === "decision" && row.requestHash && row.responseHash));
  assert.equal(record.calls, 8);
  assert.equal(h.fake.calls("/v1/messages"), 8);
  assert.ok(Math.abs(record.costUsd - h.gateway.totals().costUsd) < 1e-12);
  assert.ok(record.vote.action !== "abstain");
  const users = h.fake.requests.map((r) => JSON.stringify(r.body));
  assert.equal(users.filter((u) => u.includes("Positions of the other personas after round 0")).length, 4);
  // replay on the same store: the same record, no request
  const replay = createLlmGateway({ mode: "replay", store: h.store });
  const again = await debate(replay);
  assert.equal(h.fake.calls("/v1/messages"), 8);
  assert.deepEqual(again.rounds, record.rounds);
  assert.deepEqual(again.vote, record.vote);
  assert.equal(again.costUsd, record.costUsd);
});

Deno.test("runDebate: moderator decides through the gateway; its failure falls back to the weighted vote", async () => {
  const personas = ["bull", "bear"].map((name) => ({ name }) as Persona);
  const decide = (p: Persona) =>
    Promise.resolve(p.name === "bull" ? decisionOutcome("bull", "buy", 0.9) : decisionOutcome("bear", "sell", 0.5));
  const run = (gateway: LlmGateway) =>
    runDebate({
      personas,
      promptFor: (p) => testPrompt(p.name),
      decide,
      rounds: 0,
      rule: "moderator",
      moderator: { gateway, model: TEST_MODEL, maxTokens: 512 },
    });
  {
    await using h = await llmHarness(() => json({ action: "hold", confidence: 0.55, rationale: "split desk" }));
    const record = await run(h.gateway);
    assert.equal(record.vote.action, "hold");
    assert.equal(record.vote.confidence, 0.55);
    assert.equal(record.vote.rule, "moderator");
    assert.equal(record.vote.moderator?.ok, true);
    assert.equal(record.vote.moderator?.weightedAction, "buy");
    assert.equal(record.vote.moderator?.detail, "split desk");
    assert.ok(record.vote.moderator?.requestHash);
    assert.equal(record.calls, 1);
    assert.deepEqual(record.dissent.map((d) => d.persona), ["bull"]);
    const body = h.fake.requests[0]!.body as { messages: { content: unknown }[]; output_config: unknown };
    assert.match(JSON.stringify(body.messages), /- bull: buy, confidence 0.9.*Vote weights:.*- bull: 0.5/);
    assert.match(JSON.stringify(body.output_config), /"enum":\["buy","sell","hold","close"\]/);
    DebateRecordSchema.parse(record);
  }
  for (const reply of [refusal(), json({ action: "moon" }), sequence([agentAnswer({ action: "sell" })])]) {
    await using h = await llmHarness(() => reply);
    const record = await run(h.gateway);
    assert.equal(record.vote.action, "buy");
    assert.equal(record.vote.rule, "moderator");
    assert.equal(record.vote.moderator?.ok, false);
    assert.match(record.vote.moderator!.detail, /^moderator failed \(.*\): the weighted vote decided$/);
    assert.equal(record.calls, 1);
  }
  // nobody to moderate: no call
  const none = await runDebate({
    personas,
    promptFor: (p) => testPrompt(p.name),
    decide: (p) => Promise.resolve(abstainOutcome(p.name)),
    rounds: 0,
    rule: "moderator",
    moderator: { gateway: never, model: TEST_MODEL, maxTokens: 512 },
  });
  assert.equal(none.vote.action, "abstain");
  assert.equal(none.vote.moderator?.ok, false);
  assert.equal(none.calls, 0);
});
