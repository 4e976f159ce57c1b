import assert from "node:assert/strict";
import { builtinPersonas } from "./builtin_personas.ts";
import type { Fact } from "./fact.ts";
import type { Persona } from "./persona.ts";
import { ruleDecision } from "./rule_decision.ts";

const rule = builtinPersonas().find((p) => p.name === "rule_trend")!;
const fact = (id: string, value: number | string): Fact => ({ id, label: id, value, availableAt: 0 });

Deno.test("ruleDecision: hand-worked scores give sell, hold and buy", () => {
  // weights 0.4, 0.3, 0.3: all bearish = -1
  const sell = ruleDecision(rule, [fact("close_vs_sma_close_50", -3), fact("ret_20", -12.5), fact("rsi_close_14", 31)]);
  assert.equal(sell.kind, "decision");
  if (sell.kind !== "decision") return;
  assert.equal(sell.decision.action, "sell");
  assert.ok(Math.abs(sell.decision.confidence - 1) < 1e-12);
  assert.deepEqual(sell.decision.factors.map((f) => f.direction), ["bearish", "bearish", "bearish"]);
  assert.deepEqual(sell.decision.citations, [
    { fact: "close_vs_sma_close_50", value: -3 },
    { fact: "ret_20", value: -12.5 },
    { fact: "rsi_close_14", value: 31 },
  ]);
  assert.match(sell.decision.reasoning, /ret_20 = -12\.5 vs pivot 0 -> bearish/);
  assert.equal(sell.calls.length, 0);
  // 0.4 - 0.3 + 0 (RSI exactly at its pivot) = 0.1: inside the threshold
  const hold = ruleDecision(rule, [fact("close_vs_sma_close_50", 1), fact("ret_20", -1), fact("rsi_close_14", 50)]);
  assert.ok(hold.kind === "decision" && hold.decision.action === "hold");
  assert.ok(hold.kind === "decision" && Math.abs(hold.decision.confidence - 0.1) < 1e-12);
  assert.equal(hold.kind === "decision" && hold.decision.factors[2]!.direction, "neutral");
  const w = hold.kind === "decision" ? hold.decision.factors.reduce((s, f) => s + f.weight, 0) : 0;
  assert.ok(Math.abs(w - 1) < 1e-12);
});

Deno.test("ruleDecision: invert flips a factor and weights are normalised", () => {
  const p: Persona = structuredClone(rule);
  p.factors = [
    { id: "rsi", description: "RSI low is bullish", fact: "rsi_close_14", pivot: 50, invert: true, weight: 3 },
    { id: "trend", description: "trend", fact: "ret_20", weight: 1 },
  ];
  const out = ruleDecision(p, [fact("rsi_close_14", 25), fact("ret_20", -2)]);
  assert.ok(out.kind === "decision");
  if (out.kind !== "decision") return;
  assert.deepEqual(out.decision.factors, [
    { id: "rsi", direction: "bullish", weight: 0.75 },
    { id: "trend", direction: "bearish", weight: 0.25 },
  ]);
  assert.equal(out.decision.action, "buy");
  assert.equal(out.decision.confidence, 0.5);
});

Deno.test("ruleDecision: a missing fact abstains with no_data naming it; a label abstains invalid", () => {
  const out = ruleDecision(rule, [fact("ret_20", 1), fact("rsi_close_14", 60)]);
  assert.deepEqual(out, {
    kind: "abstain",
    persona: "rule_trend",
    reason: "no_data",
    detail: "fact close_vs_sma_close_50 (factor trend) is not available yet (warm-up)",
    calls: [],
  });
  const bad = ruleDecision(rule, [fact("close_vs_sma_close_50", "up"), fact("ret_20", 1), fact("rsi_close_14", 60)]);
  assert.ok(bad.kind === "abstain" && bad.reason === "invalid");
  assert.throws(() => ruleDecision(builtinPersonas()[0]!, []), /not "rule"/);
});
