// The shared body of the `llm_persona` and `llm_debate` strategies: `prepare` walks the decision bars in order and
// asks the desk (async), `signals` turns the memoised targets into entries and exits (sync).

import type { z } from "zod";
import type { Frame } from "../frame/mod.ts";
import type { PrepareOptions, Strategy } from "../strategies/mod.ts";
import type { SignalSet } from "../types/mod.ts";
import { inferTimeframe } from "../types/mod.ts";
import type { AgentDesk, BarDecision, BarInput } from "./agent_desk.ts";
import { AgentTape, KEEP } from "./_agent_tape.ts";
import { personaRequest } from "./decide_persona.ts";
import type { LlmRequest } from "./llm_gateway.ts";
import type { Persona } from "./persona.ts";
import type { PersonaOutcome } from "./outcome.ts";

/** The params every agent strategy has. */
export interface AgentParams {
  /** A decision every `every` bars (from the first bar after the warm-up). */
  every: number;
  /** Decisions below this confidence keep the position (a `hold`). */
  min_confidence: number;
}

/** An earlier decision bar: its index and the personas' final outcomes. */
export interface DecidedBar {
  t: number;
  outcomes: readonly PersonaOutcome[];
}

/** Where an agent strategy finds its desk: given, or built on first use (so a registry can list it for free). */
export type DeskSource = AgentDesk | (() => AgentDesk);

export interface AgentStrategyDefinition<P extends AgentParams> {
  name: string;
  title: string;
  description: string;
  params: z.ZodType<P>;
  version: string;
  /** The personas a param set asks (for the warm-up). */
  personasOf(desk: AgentDesk, p: P): Persona[];
  /** One bar's decision; `history` holds the earlier decision bars' final outcomes (bars before `bar.t` only). */
  decide(desk: AgentDesk, p: P, bar: BarInput, history: readonly DecidedBar[]): Promise<BarDecision>;
}

/**
 * The bars a persona's facts need before its first decision: the longest lookback among its indicators (the largest
 * number in each key, `sma:close:50` -> 50), returns, volatility and recent closes, plus one.
 */
export function personaWarmup(persona: Persona): number {
  let w = 0;
  for (const key of persona.sees.indicators) {
    for (const m of key.matchAll(/\d+/g)) w = Math.max(w, Number(m[0]));
  }
  for (const r of persona.sees.returns) w = Math.max(w, r);
  if (persona.sees.volatility !== undefined) w = Math.max(w, persona.sees.volatility);
  w = Math.max(w, persona.sees.recentCloses);
  return w + 1;
}

/** Target code of an action: buy 1, sell -1, close 0, hold and abstain KEEP. */
function targetOf(d: BarDecision, minConfidence: number): number {
  if (d.action === "abstain" || d.action === "hold" || d.confidence < minConfidence) return KEEP;
  return d.action === "buy" ? 1 : d.action === "sell" ? -1 : 0;
}

/**
 * Sends requests as one Message Batch and stores the answers (`batchComplete` bound to a gateway): given, the
 * strategy prefetches the first round of every decision bar before it decides bar by bar, which then finds each
 * answer in the store. Needs a position-blind desk (otherwise a prompt depends on earlier decisions).
 */
export type BatchSender = (requests: LlmRequest[], signal?: AbortSignal) => Promise<unknown>;

/** Whether bar `t` is a decision bar: from the first bar after the warm-up, every `every` bars. */
export function isDecisionBar(t: number, warmup: number, every: number): boolean {
  return t >= warmup - 1 && (t - (warmup - 1)) % every === 0;
}

/** Builds the strategy object of an agent definition bound to a desk. */
export function defineAgentStrategy<P extends AgentParams>(
  def: AgentStrategyDefinition<P>,
  source: DeskSource,
  batch?: BatchSender,
): Strategy<P> {
  let desk: AgentDesk | undefined = typeof source === "function" ? undefined : source;
  const getDesk = (): AgentDesk => (desk ??= (source as () => AgentDesk)());
  // One tape per param set and series: the same strategy object serves a sweep, several sleeves and tests.
  const tapes = new Map<string, Map<string, AgentTape>>();
  const tapesOf = (p: P): Map<string, AgentTape> => {
    const k = JSON.stringify(p);
    let m = tapes.get(k);
    if (m === undefined) tapes.set(k, m = new Map());
    return m;
  };

  const warmup = (p: P): number => Math.max(...def.personasOf(getDesk(), p).map(personaWarmup), 1);

  async function prefetch(
    d: AgentDesk,
    p: P,
    frame: Frame,
    from: number,
    timeframe: string,
    symbol: string,
    signal?: AbortSignal,
  ): Promise<void> {
    if (!d.positionBlind) {
      throw new TypeError(
        `strategy ${def.name}: a Message Batch prefetch needs position-blind prompts (positionBlind: true), or the` +
          " first round of a bar would depend on the decisions before it",
      );
    }
    const personas = def.personasOf(d, p).filter((x) => x.kind === "llm");
    const first = warmup(p), close = frame.close, requests: LlmRequest[] = [];
    for (let t = from; t < frame.ts.length; t++) {
      if (!isDecisionBar(t, first, p.every) || close[t] !== close[t]) continue;
      for (const persona of personas) {
        const prompt = d.prompt(persona, { frame, t, timeframe, symbol, position: 0 });
        requests.push(personaRequest(persona, prompt, {
          model: persona.model?.id ?? d.model,
          maxTokens: persona.model?.maxTokens ?? d.maxTokens,
          temperature: persona.model?.temperature ?? d.temperature,
        }));
      }
    }
    if (requests.length > 0) await batch!(requests, signal);
  }

  return {
    name: def.name,
    title: def.title,
    description: def.description,
    params: def.params,
    version: def.version,
    warmup,
    async prepare(frame: Frame, p: P, options: PrepareOptions = {}): Promise<void> {
      const d = getDesk();
      const symbol = options.symbol ?? "ASSET";
      const series = tapesOf(p);
      let tape = series.get(symbol);
      if (tape === undefined) series.set(symbol, tape = new AgentTape());
      const ts = frame.ts, close = frame.close;
      tape.truncate(tape.matching(ts, close));
      const n = ts.length;
      const timeframe = options.timeframe ?? inferTimeframe(ts);
      if (timeframe === null) {
        throw new TypeError(
          `strategy ${def.name}: cannot tell the timeframe of the frame (its bar spacing is irregular); pass it in the` +
            ` prepare options (timeframe: "1h")`,
        );
      }
      const first = warmup(p);
      // A runner's batch takes the decision events (same transaction and correlation id as the orders they lead to).
      const emit = options.emit;
      const record = emit === undefined
        ? undefined
        : (e: { kind: string; payload: unknown }) => emit(e.kind, e.payload);
      let position = tape.positionBefore(tape.n);
      const total = n - tape.n;
      if (batch !== undefined && total > 0) await prefetch(d, p, frame, tape.n, timeframe, symbol, options.signal);
      for (let t = tape.n; t < n; t++) {
        options.signal?.throwIfAborted();
        let target = KEEP;
        if (isDecisionBar(t, first, p.every) && close[t] === close[t]) {
          const held = options.position?.(t) ?? position;
          const decision = await def.decide(d, p, {
            frame,
            t,
            timeframe,
            symbol,
            position: held,
            signal: options.signal,
            ...(record === undefined ? {} : { record }),
          }, tape.decided);
          tape.decided.push({ t, outcomes: decision.outcomes });
          target = targetOf(decision, p.min_confidence);
          if (target !== KEEP) position = target as -1 | 0 | 1;
        }
        tape.push(ts[t]!, close[t]!, target);
        options.progress?.(t - (n - total) + 1, total);
      }
    },
    signals(frame: Frame, p: P): SignalSet {
      const n = frame.ts.length;
      let tape: AgentTape | undefined;
      for (const candidate of tapesOf(p).values()) {
        if (candidate.matching(frame.ts, frame.close) === n) {
          tape = candidate;
          break;
        }
      }
      if (tape === undefined) {
        throw new TypeError(
          `strategy ${def.name}: signals on bars that were not prepared; await prepareStrategy(strategy, frame, params)` +
            ` first (its decisions need the model, which is asynchronous)`,
        );
      }
      const entries = new Uint8Array(n), exits = new Uint8Array(n);
      const shortEntries = new Uint8Array(n), shortExits = new Uint8Array(n);
      for (let t = 0; t < n; t++) {
        const v = tape.target[t]!;
        if (v === 1) entries[t] = shortExits[t] = 1;
        else if (v === -1) shortEntries[t] = exits[t] = 1;
        else if (v === 0) exits[t] = shortExits[t] = 1;
      }
      return { kind: "signals", entries, exits, shortEntries, shortExits };
    },
  };
}
