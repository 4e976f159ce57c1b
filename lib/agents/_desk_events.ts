import { hash } from "node:crypto";
import type { AuditEventInput } from "../audit/mod.ts";
import type { DebateRecord } from "./debate_record.ts";
import type { DecisionPrompt } from "./decision_prompt.ts";
import type { PersonaOutcome } from "./outcome.ts";

type DecisionInput = Omit<Extract<AuditEventInput, { kind: "decision" }>, "runId" | "ts">;
type Payload = DecisionInput["payload"];

/** The target position an action implies, as `targetWeights` of its symbol (hold and abstain imply none). */
export function impliedTarget(action: string, symbol: string): Record<string, number> {
  if (action === "buy") return { [symbol]: 1 };
  if (action === "sell") return { [symbol]: -1 };
  if (action === "close") return { [symbol]: 0 };
  return {};
}

const cap = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** The `decision` event payload of one persona's outcome in one round. */
export function outcomePayload(
  o: PersonaOutcome,
  prompt: DecisionPrompt,
  bar: { symbol: string; frame: { ts: Float64Array }; t: number },
  round: number,
  final: boolean,
): Payload {
  const calls = o.calls.slice(-8).map((c) => ({
    requestHash: c.requestHash,
    responseHash: c.responseHash,
    model: c.model,
    inputTokens: c.usage.inputTokens,
    outputTokens: c.usage.outputTokens,
    cacheReadTokens: c.usage.cacheReadTokens,
    cacheWriteTokens: c.usage.cacheWriteTokens,
    costUsd: c.costUsd,
  }));
  const last = calls.at(-1);
  const common = {
    agent: o.persona,
    symbol: bar.symbol,
    barTs: bar.frame.ts[bar.t]!,
    decisionTime: prompt.decisionTime,
    round,
    final,
    // A model call's request hash already covers its prompt; a rule persona's decision has none, so its prompt is
    // hashed here (hashing 14 KB per LLM answer twice was 5% of a replayed debate).
    ...(last === undefined
      ? { promptHash: hash("sha256", `${prompt.system}\n\n${prompt.user}`, "hex") }
      : { requestHash: last.requestHash, responseHash: last.responseHash, calls }),
    costUsd: o.calls.reduce((s, c) => s + c.costUsd, 0),
  };
  if (o.kind === "abstain") {
    return {
      ...common,
      action: "abstain",
      confidence: 0,
      reasoning: "",
      factors: [],
      targetWeights: {},
      validation: o.reason,
      abstainReason: o.reason,
      detail: cap(o.detail, 4_000),
    };
  }
  const d = o.decision;
  return {
    ...common,
    action: d.action,
    confidence: d.confidence,
    reasoning: cap(d.reasoning, 16_000),
    riskAssessment: cap(d.riskAssessment, 4_000),
    factors: d.factors.slice(0, 100).map((f) => ({ name: f.id, weight: f.weight, direction: f.direction })),
    targetWeights: impliedTarget(d.action, bar.symbol),
    validation: o.calls.length === 0 ? "rule" : o.validation.repaired ? "repaired" : "ok",
    ...(o.validation.repaired ? { detail: cap(o.validation.firstIssues.join("; "), 4_000) } : {}),
    invalidationLevel: d.invalidationLevel,
  };
}

/** The `decision` event of a debate's vote (`agent: "vote"`). */
export function votePayload(
  record: DebateRecord,
  bar: { symbol: string; frame: { ts: Float64Array }; t: number },
  decisionTime: number,
): Payload {
  const v = record.vote;
  return {
    agent: "vote",
    action: v.action,
    confidence: v.confidence,
    reasoning: cap(
      `${v.rule}: buy ${v.scores.buy.toFixed(4)}, sell ${v.scores.sell.toFixed(4)}, hold ${
        v.scores.hold.toFixed(4)
      }, close ${v.scores.close.toFixed(4)}` + (v.moderator ? `; moderator: ${v.moderator.detail}` : ""),
      16_000,
    ),
    factors: [],
    targetWeights: impliedTarget(v.action, bar.symbol),
    symbol: bar.symbol,
    barTs: bar.frame.ts[bar.t]!,
    decisionTime,
    round: Math.max(0, record.rounds.length - 1),
    final: true,
    costUsd: record.costUsd,
    vote: {
      rule: v.rule,
      weights: v.weights,
      net: v.net,
      disagreement: record.disagreement,
      dissent: record.dissent.map((d) => d.persona),
      abstained: v.abstained,
      rounds: record.rounds.length,
    },
  };
}

/** The events of one bar: every persona's outcome per round (the last round's marked `final`), then the vote. */
export function decisionEvents(
  input:
    | { bar: BarRef; outcomes: PersonaOutcome[]; prompts: DecisionPrompt[]; round: number }
    | {
      bar: BarRef;
      asked: { round: number; outcome: PersonaOutcome; prompt: DecisionPrompt }[];
      record: DebateRecord;
    },
): DecisionInput[] {
  if ("outcomes" in input) {
    return input.outcomes.map((o, i) => ({
      kind: "decision" as const,
      payload: outcomePayload(o, input.prompts[i]!, input.bar, input.round, true),
    }));
  }
  const lastRound = new Map<string, number>();
  for (const a of input.asked) {
    lastRound.set(a.outcome.persona, Math.max(lastRound.get(a.outcome.persona) ?? 0, a.round));
  }
  const sorted = [...input.asked].sort((a, b) =>
    a.round - b.round || (a.outcome.persona < b.outcome.persona ? -1 : a.outcome.persona > b.outcome.persona ? 1 : 0)
  );
  const out: DecisionInput[] = sorted.map((a) => ({
    kind: "decision" as const,
    payload: outcomePayload(a.outcome, a.prompt, input.bar, a.round, lastRound.get(a.outcome.persona) === a.round),
  }));
  const decisionTime = sorted[0]?.prompt.decisionTime ?? input.bar.frame.ts[input.bar.t]!;
  out.push({ kind: "decision", payload: votePayload(input.record, input.bar, decisionTime) });
  return out;
}

type BarRef = { symbol: string; frame: { ts: Float64Array }; t: number };
