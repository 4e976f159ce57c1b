import type { Frame } from "../frame/mod.ts";
import type { AuditEventInput } from "../audit/mod.ts";
import { timeframeMs } from "../types/mod.ts";
import { buildPrompt } from "./build_prompt.ts";
import { computeFacts } from "./compute_facts.ts";
import type { DebateRecord } from "./debate_record.ts";
import { decidePersona } from "./decide_persona.ts";
import type { DecisionPrompt } from "./decision_prompt.ts";
import type { LlmGateway } from "./llm_gateway.ts";
import type { PersonaOutcome } from "./outcome.ts";
import type { Persona } from "./persona.ts";
import { formatPositions, runDebate } from "./run_debate.ts";
import { pseudonymFor } from "./mask.ts";
import { decisionEvents } from "./_desk_events.ts";
import { AgentBudgetStop } from "./agent_budget_stop.ts";
import { addOutcome, type DeskStats, emptyDeskStats } from "./_desk_stats.ts";

/** How prompts are masked against the model's memory of the market. */
export interface MaskingOptions {
  /** Times relative to the decision ("3 bars ago") instead of dates. Default true. */
  relativeTimes?: boolean;
  /** Call the asset by a pseudonym (`ASSET_QX`) instead of its symbol. Default true. */
  pseudonym?: boolean;
  /** Prices as 100 x price / the first close shown. Default true. */
  rebase?: boolean;
}

/** Options of {@link AgentDesk}. */
export interface AgentDeskOptions {
  /** The personas it may ask, by name. */
  personas: readonly Persona[];
  /** Every model call goes through it. Absent: only rule personas can decide (an LLM persona throws a TypeError). */
  gateway?: LlmGateway;
  /** Default model for LLM personas that do not name one. Default `claude-sonnet-4-5`. */
  model?: string;
  /** Default answer budget in tokens. Default 1024. */
  maxTokens?: number;
  /** Default sampling temperature. Default 0 (the most repeatable answer a live call can give). */
  temperature?: number;
  masking?: MaskingOptions;
  /** Where decision events go (an {@link AgentJournal}'s `append`, or a runner's audit batch). */
  record?: (event: AuditEventInput) => void;
  /** `runId` of the events. Default `agents`. */
  runId?: string;
  /**
   * Leave the position out of every prompt, whatever the persona's `sees.position`: each bar's first-round request
   * then depends on the data alone, so a backtest can prefetch them all as one Message Batch ({@link batchPrefetch}).
   * Default false.
   */
  positionBlind?: boolean;
}

/** One bar to decide on: the history `0..t` of a series. */
export interface BarInput {
  frame: Frame;
  /** Index of the decision bar. */
  t: number;
  timeframe: string;
  symbol: string;
  /** Position held through bar t (-1, 0, 1). */
  position: -1 | 0 | 1;
  /** Links the decision events to the orders they cause (a runner's batch id). */
  correlationId?: string;
  signal?: AbortSignal;
  /** Where this bar's decision events go instead of the desk's `record` (a runner's audit batch). */
  record?: (event: AuditEventInput) => void;
}

/** What a bar's decision came to. */
export interface BarDecision {
  action: "buy" | "sell" | "hold" | "close" | "abstain";
  confidence: number;
  /** The final outcome of each persona (the last round's in a debate). */
  outcomes: PersonaOutcome[];
  debate: DebateRecord | null;
  /** The first-round prompt of each persona, by name. */
  prompts: Record<string, DecisionPrompt>;
}

/** Options of {@link AgentDesk.debate}. */
export interface DebateBarOptions {
  personas: readonly string[];
  /** Rebuttal rounds after the independent one. Default 1. */
  rounds?: number;
  /** Vote weights by persona (default equal). */
  weights?: Readonly<Record<string, number>>;
  rule?: "weighted_vote" | "moderator";
  dissentThreshold?: number;
}

/**
 * The decision pipeline of one bar, shared by the `llm_persona` and `llm_debate` strategies, `deno task agents
 * decide` and the runners: facts from bars `0..t` only (`computeFacts`), a masked prompt that refuses any fact from
 * after the decision (`buildPrompt`), the persona's answer through the gateway (`decidePersona`: validated, repaired
 * once, or an abstention with its reason), the debate and its deterministic vote (`runDebate`), and one `decision`
 * audit event per persona and round plus one for the vote, with the request and response hashes of every call.
 *
 * When the gateway's budget refuses a call, the bar's events are recorded and the desk throws
 * {@link AgentBudgetStop}: the run stops cleanly instead of trading on a partial panel.
 *
 * The desk never sizes or sends an order: the strategy turns the action into a target position and the risk engine
 * is the only gate to orders.
 */
export class AgentDesk {
  readonly #personas: Map<string, Persona>;
  readonly gateway: LlmGateway | undefined;
  readonly model: string;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly masking: Required<MaskingOptions>;
  readonly runId: string;
  readonly positionBlind: boolean;
  readonly #record: ((event: AuditEventInput) => void) | undefined;
  readonly #stats: DeskStats = emptyDeskStats();

  constructor(options: AgentDeskOptions) {
    this.#personas = new Map(options.personas.map((p) => [p.name, p]));
    this.gateway = options.gateway;
    this.model = options.model ?? "claude-sonnet-4-5";
    this.maxTokens = options.maxTokens ?? 1024;
    this.temperature = options.temperature ?? 0;
    this.masking = {
      relativeTimes: options.masking?.relativeTimes ?? true,
      pseudonym: options.masking?.pseudonym ?? true,
      rebase: options.masking?.rebase ?? true,
    };
    this.runId = options.runId ?? "agents";
    this.positionBlind = options.positionBlind ?? false;
    this.#record = options.record;
  }

  /** The persona named `name`, or a TypeError listing the known ones. */
  persona(name: string): Persona {
    const p = this.#personas.get(name);
    if (p === undefined) {
      throw new TypeError(
        `unknown persona ${JSON.stringify(name)}: use one of ${[...this.#personas.keys()].sort().join(", ")}` +
          ` (or add a JSON file to personas/)`,
      );
    }
    if (p.kind === "llm" && this.gateway === undefined) {
      throw new TypeError(
        `persona ${name} needs a model, and no LLM gateway is configured: pass --llm-cache replay|record|live` +
          ` (or use a rule persona such as rule_trend)`,
      );
    }
    return p;
  }

  /** Every persona the desk knows. */
  personas(): Persona[] {
    return [...this.#personas.values()];
  }

  /** Usage, cost and abstentions so far. */
  stats(): DeskStats {
    return structuredClone(this.#stats);
  }

  /** The prompt of `persona` at bar `t` (facts from bars 0..t, masked). */
  prompt(persona: Persona, bar: BarInput): DecisionPrompt {
    const { frame, t, timeframe, symbol } = bar;
    const decisionTime = frame.ts[t]! + timeframeMs(timeframe);
    const sees = this.positionBlind && persona.sees.position ? { ...persona.sees, position: false } : persona.sees;
    const facts = computeFacts({ frame, t, timeframe, sees, position: bar.position });
    const shownFrom = Math.max(0, t - Math.max(persona.sees.recentCloses - 1, 0));
    return buildPrompt({
      persona,
      facts,
      decisionTime,
      symbol,
      timeframe,
      basePrice: frame.close[shownFrom]!,
      masking: {
        relativeTimes: this.masking.relativeTimes,
        pseudonym: this.masking.pseudonym ? pseudonymFor(symbol) : null,
        rebase: this.masking.rebase,
      },
    });
  }

  /** One persona decides alone. */
  async decide(personaName: string, bar: BarInput): Promise<BarDecision> {
    const persona = this.persona(personaName);
    const prompt = this.prompt(persona, bar);
    const outcome = await this.#ask(persona, prompt, bar.signal);
    addOutcome(this.#stats, outcome);
    this.#stats.decisions++;
    this.#emit(bar, prompt.decisionTime, decisionEvents({ bar, outcomes: [outcome], prompts: [prompt], round: 0 }));
    this.#stopOnBudget([outcome], prompt.decisionTime);
    const d = outcome.kind === "decision" ? outcome.decision : null;
    return {
      action: d?.action ?? "abstain",
      confidence: d?.confidence ?? 0,
      outcomes: [outcome],
      debate: null,
      prompts: { [persona.name]: prompt },
    };
  }

  /** Several personas decide, rebut each other's structured positions, and a deterministic vote decides. */
  async debate(options: DebateBarOptions, bar: BarInput): Promise<BarDecision> {
    const personas = options.personas.map((n) => this.persona(n));
    const base = new Map(personas.map((p) => [p.name, this.prompt(p, bar)]));
    const asked: { round: number; outcome: PersonaOutcome; prompt: DecisionPrompt }[] = [];
    const record = await runDebate({
      personas,
      rounds: options.rounds ?? 1,
      weights: options.weights,
      rule: options.rule ?? "weighted_vote",
      dissentThreshold: options.dissentThreshold,
      promptFor: (persona, round, others) => {
        const p = base.get(persona.name)!;
        if (round === 0) return p;
        return { ...p, user: `${p.user}\n\n${formatPositions(others)}` };
      },
      decide: async (persona, prompt, round) => {
        const outcome = await this.#ask(persona, prompt, bar.signal);
        asked.push({ round: round ?? 0, outcome, prompt });
        return outcome;
      },
      moderator: this.gateway === undefined ? undefined : {
        gateway: this.gateway,
        model: this.model,
        maxTokens: this.maxTokens,
        temperature: this.temperature,
      },
    });
    // Answers arrive in network order; stats and events must not depend on it (a replay sums in another order).
    const order = new Map(personas.map((p, i) => [p.name, i]));
    asked.sort((a, b) => a.round - b.round || order.get(a.outcome.persona)! - order.get(b.outcome.persona)!);
    const last = personas.map((p) => lastOutcome(asked, p.name)!);
    for (const a of asked) addOutcome(this.#stats, a.outcome);
    this.#stats.decisions++;
    this.#stats.debates++;
    const decisionTime = base.get(personas[0]!.name)!.decisionTime;
    this.#emit(bar, decisionTime, decisionEvents({ bar, asked, record }));
    this.#stopOnBudget(asked.map((a) => a.outcome), decisionTime);
    return {
      action: record.vote.action,
      confidence: record.vote.confidence,
      outcomes: last,
      debate: record,
      prompts: Object.fromEntries(base),
    };
  }

  /** A budget abstention ends the run (after its events are recorded): see {@link AgentBudgetStop}. */
  #stopOnBudget(outcomes: readonly PersonaOutcome[], decisionTime: number): void {
    const hit = outcomes.find((o) => o.kind === "abstain" && o.reason === "budget");
    if (hit === undefined || hit.kind !== "abstain") return;
    throw new AgentBudgetStop({ decisionTime, decisions: this.#stats.decisions - 1, detail: hit.detail });
  }

  #ask(persona: Persona, prompt: DecisionPrompt, signal?: AbortSignal): Promise<PersonaOutcome> {
    return decidePersona({
      persona,
      prompt,
      gateway: this.gateway!,
      model: persona.model?.id ?? this.model,
      maxTokens: persona.model?.maxTokens ?? this.maxTokens,
      temperature: persona.model?.temperature ?? this.temperature,
      signal,
    });
  }

  #emit(bar: BarInput, ts: number, events: Omit<AuditEventInput, "runId" | "ts">[]): void {
    const record = bar.record ?? this.#record;
    if (record === undefined) return;
    for (const e of events) {
      record({
        ...e,
        runId: this.runId,
        ts,
        ...(bar.correlationId === undefined ? {} : { correlationId: bar.correlationId }),
      } as AuditEventInput);
    }
  }
}

function lastOutcome(
  asked: readonly { round: number; outcome: PersonaOutcome }[],
  persona: string,
): PersonaOutcome | undefined {
  let best: { round: number; outcome: PersonaOutcome } | undefined;
  for (const a of asked) if (a.outcome.persona === persona && (best === undefined || a.round >= best.round)) best = a;
  return best?.outcome;
}
