import type { AnyStrategy } from "../strategies/mod.ts";
import { AgentDesk, type MaskingOptions } from "./agent_desk.ts";
import { AgentJournal } from "./agent_journal.ts";
import { createLlmGateway, type MeteredLlmGateway } from "./create_llm_gateway.ts";
import type { DeskStats } from "./_desk_stats.ts";
import type { LlmGatewayTotals } from "./_gateway_core.ts";
import type { LlmCacheMode, LlmRequest } from "./llm_gateway.ts";
import { batchComplete } from "./batch_complete.ts";
import { LlmStore } from "./llm_store.ts";
import { loadPersonas } from "./load_personas.ts";
import { createLlmDebateStrategy } from "./llm_debate_strategy.ts";
import { createLlmPersonaStrategy } from "./llm_persona_strategy.ts";
import { type MemoryOverlap, memoryOverlap } from "./model_cutoffs.ts";
import type { Persona } from "./persona.ts";
import type { PriceTable } from "./price_table.ts";
import { loadPriceTable } from "./load_price_table.ts";
import type { AuditEventInput } from "../audit/mod.ts";

/** Options of {@link createAgentRuntime}. */
export interface AgentRuntimeOptions {
  /** `replay` (default: never spends), `record` or `live`. */
  cache?: LlmCacheMode;
  /** Hard cap in USD on API spend (`--llm-budget`). */
  budgetUsd?: number;
  /** The store's SQLite file (default `<dataDir>/agents/llm_store.sqlite`; `:memory:` for a throwaway one). */
  storePath?: string;
  dataDir?: string;
  /** Default model of LLM personas. Default `claude-sonnet-4-5`. */
  model?: string;
  maxTokens?: number;
  temperature?: number;
  masking?: MaskingOptions;
  /** Folders of user persona files (default `personas/` of the working directory, when it exists). */
  personaDirs?: string[];
  /** The personas to use instead of loading them. */
  personas?: Persona[];
  /** Passed to the SDK client (tests: the fake's URL; otherwise `ANTHROPIC_BASE_URL` or the SDK's default). */
  baseURL?: string;
  apiKey?: string;
  maxRetries?: number;
  timeoutMs?: number;
  prices?: PriceTable;
  /** A prices file (`--llm-prices`; default `<dataDir>/agents/prices.json` when it exists): see `loadPriceTable`. */
  pricesPath?: string;
  /** `runId` of the decision events. Default `agents`. */
  runId?: string;
  /**
   * Message Batches for backtests (`--llm-batch`): prompts leave out the position (so they are path-independent) and
   * each agent strategy prefetches the first round of every decision bar as one batch, at half price; rebuttal
   * rounds and repairs still go one by one. Only with `record` or `live`.
   */
  batch?: boolean;
  /**
   * Where decision events go. Default: the runtime's {@link AgentJournal} (a backtest); a runner passes its own
   * sink to write them into the account's audit log.
   */
  record?: (event: AuditEventInput) => void;
}

/** What an agent run cost and decided, for results, the CLI and the lab. */
export interface AgentRunSummary {
  cache: LlmCacheMode;
  model: string;
  masking: Required<MaskingOptions>;
  budgetUsd: number | null;
  desk: DeskStats;
  gateway: LlmGatewayTotals;
  /** Cost per decision (priced as if every call were made) and what this run spent on the API. */
  costPerDecisionUsd: number;
  /** The decision events' hash chain: equal heads mean equal decisions, recorded or replayed. */
  journal: { events: number; headHash: string };
}

/** The agents of one process: store, gateway, desk, journal and the two strategies bound to them. */
export interface AgentRuntime {
  readonly store: LlmStore;
  readonly gateway: MeteredLlmGateway;
  readonly desk: AgentDesk;
  readonly journal: AgentJournal;
  readonly personas: readonly Persona[];
  /** `llm_persona` and `llm_debate`, bound to this runtime's desk. */
  readonly strategies: readonly AnyStrategy[];
  summary(): AgentRunSummary;
  /**
   * Marks a backtest window against the model's training data (unknown models say so); a run that asked only rule
   * personas says no model was asked.
   */
  memory(from: number, to: number): MemoryOverlap;
  close(): void;
}

/**
 * Builds the agents of one process (the backtest CLI, the lab, a runner, a notebook): the content-addressed store,
 * the gateway in the chosen cache mode with its budget, the personas (built-in plus `personas/*.json`), the desk and
 * the `llm_persona` / `llm_debate` strategies bound to it. Replay is the default, so nothing spends by accident.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAgentRuntime } from "./create_agent_runtime.ts";
 * const rt = await createAgentRuntime({ storePath: ":memory:" });
 * assert.equal(rt.gateway.mode, "replay");
 * assert.deepEqual(rt.strategies.map((s) => s.name), ["llm_persona", "llm_debate"]);
 * rt.close();
 * ```
 */
export async function createAgentRuntime(options: AgentRuntimeOptions = {}): Promise<AgentRuntime> {
  const cache = options.cache ?? "replay";
  const personas = options.personas ?? await loadPersonas(options.personaDirs ? { dirs: options.personaDirs } : {});
  // The agents config's prices: given, else `--llm-prices FILE`, else `<dataDir>/agents/prices.json` when present.
  const prices = options.prices ?? loadPriceTable({
    ...(options.pricesPath === undefined ? {} : { path: options.pricesPath }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  const store = LlmStore.open({
    ...(options.storePath === undefined ? {} : { path: options.storePath }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  const gateway = createLlmGateway({
    mode: cache,
    store,
    ...(options.budgetUsd === undefined ? {} : { budgetUsd: options.budgetUsd }),
    ...(prices === undefined ? {} : { prices }),
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  const journal = new AgentJournal({ validate: false });
  const desk = new AgentDesk({
    personas,
    gateway,
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    ...(options.masking === undefined ? {} : { masking: options.masking }),
    runId: options.runId ?? "agents",
    record: options.record ?? ((e) => journal.append(e)),
    positionBlind: options.batch === true,
  });
  const batch = options.batch === true && cache !== "replay"
    ? (requests: LlmRequest[], signal?: AbortSignal) =>
      batchComplete(gateway, requests, signal === undefined ? {} : { signal })
    : undefined;
  const strategies = [createLlmPersonaStrategy(desk, batch), createLlmDebateStrategy(desk, batch)];
  return {
    store,
    gateway,
    desk,
    journal,
    personas,
    strategies,
    summary(): AgentRunSummary {
      const d = desk.stats();
      const head = journal.head();
      return {
        cache,
        model: desk.model,
        masking: desk.masking,
        budgetUsd: options.budgetUsd ?? null,
        desk: d,
        gateway: gateway.totals(),
        costPerDecisionUsd: d.decisions === 0 ? 0 : d.costUsd / d.decisions,
        journal: { events: head.seq, headHash: head.hash },
      };
    },
    memory(from: number, to: number): MemoryOverlap {
      const overlap = memoryOverlap({ model: desk.model, from, to });
      // A run of rule personas asked no model: its result cannot be the model's memory, and saying so keeps the label
      // meaningful where it matters.
      const asked = Object.keys(desk.stats().byPersona);
      if (asked.some((n) => personas.find((p) => p.name === n)?.kind === "llm")) return overlap;
      return {
        ...overlap,
        insideMemory: false,
        label: `no model was asked (rule personas only: ${asked.join(", ") || "none"}): the result is not model memory`,
      };
    },
    close: () => store.close(),
  };
}
