// `deno task agents decide`: one persona's decision at one bar, with everything that went into it and what it cost.

import type { AgentRuntime, BarDecision, PersonaOutcome } from "../lib/agents/mod.ts";
import { timeframeMs } from "../lib/types/mod.ts";
import { isoTime, textTable, UsageError } from "./_cli.ts";
import type { LoadedData } from "./_backtest_data.ts";

/** Options of {@link decideAt}. */
export interface DecideAtOptions {
  runtime: AgentRuntime;
  persona: string;
  data: LoadedData;
  /** Epoch ms: decide at the last bar whose open time is at or before it. Default: the last bar. */
  at?: number;
  position: -1 | 0 | 1;
  signal?: AbortSignal;
}

/** The JSON form of one decision (`--json`). */
export interface DecideReport {
  persona: { name: string; kind: string; model: string | null; templateVersion: string };
  data: string;
  bar: { index: number; ts: number; decisionTime: number };
  position: number;
  action: BarDecision["action"];
  confidence: number;
  facts: { id: string; label: string; value: number | string; unit?: string; availableAt: number }[];
  prompt: {
    system: string;
    user: string;
    masking: { relativeTimes: boolean; pseudonym: string | null; rebased: boolean };
  };
  outcome: PersonaOutcome;
  validation: string;
  cost: {
    usd: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
    apiCalls: number;
    storeHits: number;
  };
  cache: string;
}

/** Decides once and gathers the facts, prompt, answer, validation and cost. */
export async function decideAt(o: DecideAtOptions): Promise<DecideReport> {
  const { frame } = o.data;
  const t = o.at === undefined ? frame.length - 1 : frame.indexAt(o.at + 1) - 1;
  if (t < 0) {
    throw new UsageError(
      `--at ${isoTime(o.at)} is before the first bar of ${o.data.label} (${isoTime(frame.ts[0])}): pick a later date`,
    );
  }
  const persona = o.runtime.desk.persona(o.persona);
  const d = await o.runtime.desk.decide(persona.name, {
    frame,
    t,
    timeframe: o.data.series.timeframe,
    symbol: o.data.series.symbol,
    position: o.position,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  });
  const prompt = d.prompts[persona.name]!;
  const outcome = d.outcomes[0]!;
  const calls = outcome.calls;
  const sum = (k: "inputTokens" | "outputTokens" | "cacheReadTokens" | "cacheWriteTokens"): number =>
    calls.reduce((s, c) => s + c.usage[k], 0);
  return {
    persona: {
      name: persona.name,
      kind: persona.kind,
      model: persona.kind === "rule" ? null : persona.model?.id ?? o.runtime.desk.model,
      templateVersion: persona.template.version,
    },
    data: o.data.label,
    bar: { index: t, ts: frame.ts[t]!, decisionTime: frame.ts[t]! + timeframeMs(o.data.series.timeframe) },
    position: o.position,
    action: d.action,
    confidence: d.confidence,
    facts: prompt.facts,
    prompt: { system: prompt.system, user: prompt.user, masking: prompt.masking },
    outcome,
    validation: validationOf(outcome),
    cost: {
      usd: calls.reduce((s, c) => s + c.costUsd, 0),
      inputTokens: sum("inputTokens"),
      outputTokens: sum("outputTokens"),
      cacheReadTokens: sum("cacheReadTokens"),
      cacheWriteTokens: sum("cacheWriteTokens"),
      apiCalls: calls.filter((c) => !c.fromStore).length,
      storeHits: calls.filter((c) => c.fromStore).length,
    },
    cache: o.runtime.gateway.mode,
  };
}

/** Continuation lines of a multi-line answer field, indented under its label. */
function indent(s: string): string {
  return s.replace(/\n/g, "\n    ");
}

function validationOf(o: PersonaOutcome): string {
  if (o.kind === "abstain") return `abstained (${o.reason})`;
  if (o.calls.length === 0) return "rule (no model call)";
  return o.validation.repaired ? `repaired (first answer: ${o.validation.firstIssues.join("; ")})` : "ok";
}

/** The human form of a {@link DecideReport}. */
export function decideText(r: DecideReport): string {
  const out: string[] = [];
  out.push(
    `${r.persona.name} (${r.persona.kind}${
      r.persona.model ? `, model ${r.persona.model}` : ""
    }, template ${r.persona.templateVersion}) on ${r.data}`,
    `bar ${r.bar.index} opened ${isoTime(r.bar.ts)}, decision at its close ${isoTime(r.bar.decisionTime)}; ` +
      `position ${r.position}; cache ${r.cache}`,
    "",
    "Facts (each with the time it became available; none after the decision)",
    textTable(
      ["id", "label", "value", "unit", "available at"],
      r.facts.map((f) => [f.id, f.label, f.value, f.unit ?? "", isoTime(f.availableAt)]),
    ),
    "",
    `Prompt (masking: ${r.prompt.masking.relativeTimes ? "relative times" : "dates"}, ${
      r.prompt.masking.pseudonym ?? "real symbol"
    }, ${r.prompt.masking.rebased ? "rebased to 100" : "raw prices"})`,
    "--- system ---",
    r.prompt.system,
    "--- user ---",
    r.prompt.user,
    "---",
    "",
  );
  const o = r.outcome;
  if (o.kind === "abstain") {
    out.push(`Answer: ABSTAINED (${o.reason}): ${o.detail}`);
  } else {
    const d = o.decision;
    out.push(
      `Answer: ${d.action.toUpperCase()} with confidence ${d.confidence}`,
      `  factors: ${d.factors.map((f) => `${f.id} ${f.direction} ${f.weight}`).join(", ") || "-"}`,
      `  reasoning: ${indent(d.reasoning)}`,
      `  risk: ${indent(d.riskAssessment)}`,
      `  invalidation level: ${d.invalidationLevel ?? "-"}`,
    );
  }
  out.push(`Validation: ${r.validation}`, "");
  if (o.calls.length > 0) {
    out.push(
      "Calls",
      textTable(
        ["request hash", "response hash", "model", "in", "out", "cache read", "cache write", "USD", "from"],
        o.calls.map((c) => [
          c.requestHash,
          c.responseHash,
          c.model,
          c.usage.inputTokens,
          c.usage.outputTokens,
          c.usage.cacheReadTokens,
          c.usage.cacheWriteTokens,
          c.costUsd.toFixed(6),
          c.fromStore ? "store" : "API",
        ]),
      ),
    );
  }
  const c = r.cost;
  out.push(
    `Cost: $${c.usd.toFixed(6)} (tokens in ${c.inputTokens}, out ${c.outputTokens}, cache read ${c.cacheReadTokens},` +
      ` cache write ${c.cacheWriteTokens}; ${c.apiCalls} API call(s), ${c.storeHits} from the store)`,
  );
  return out.join("\n");
}
