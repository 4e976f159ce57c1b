/**
 * LLM decision agents, tested like any strategy (DESIGN.md "Agents"): personas as data, structured decisions
 * validated by zod with abstentions instead of silent holds, debates kept as data with a deterministic vote, every
 * model call through a content-addressed store (record / replay), cost as a metric with a hard budget, and learning
 * from the decision history without look-ahead.
 *
 * The pipeline of one bar ({@link AgentDesk}): facts from bars `0..t` with the time each became available
 * ({@link computeFacts}) → a masked prompt that refuses any fact from after the decision ({@link buildPrompt}) → the
 * persona's answer through the {@link LlmGateway} ({@link decidePersona}: schema and semantic checks, one repair,
 * or an abstention with its reason) → a debate and its vote ({@link runDebate}) → `decision` audit events with the
 * request and response hash of every call. The strategies `llm_persona` and `llm_debate` turn the action into a
 * target position by a fixed rule; the risk engine is the only gate to orders.
 *
 * Conventions:
 * - A bar's `ts` is its open time; a decision on bar t is made at its close (`ts[t] + timeframe`), and every fact
 *   carries `availableAt` ≤ that time.
 * - Cache modes: `replay` (default for tests, notebooks and the lab: a miss is an {@link LlmReplayMissError}, never a
 *   spend), `record` (call on a miss, store), `live` (always call, store). The store key is the sha256 of the
 *   canonical request (model, every parameter, system, messages, output schema, template version).
 * - The Anthropic key comes from `ANTHROPIC_API_KEY` or the vault entry `anthropic`, only at the first real call;
 *   `ANTHROPIC_BASE_URL` is honoured. It never enters the store, the audit log, an error or an output.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { AgentDesk, builtinPersonas } from "./mod.ts";
 * const close = Float64Array.from({ length: 60 }, (_, i) => 100 + i);
 * const frame = new Frame(Float64Array.from(close, (_, i) => i * 86_400_000), { close, open: close, high: close, low: close });
 * const desk = new AgentDesk({ personas: builtinPersonas() });
 * const d = await desk.decide("rule_trend", { frame, t: 59, timeframe: "1d", symbol: "BTC/USDT", position: 0 });
 * assert.equal(d.action, "buy");
 * assert.ok(!d.prompts.rule_trend!.user.includes("BTC")); // masked: a pseudonym, no symbol, no dates
 * ```
 * @module
 */
export * from "./agent_decision.ts";
export * from "./agent_desk.ts";
export * from "./agent_journal.ts";
export * from "./agents_file.ts";
export * from "./anthropic_key.ts";
export * from "./attach_outcomes.ts";
export * from "./batch_complete.ts";
export * from "./build_prompt.ts";
export * from "./builtin_personas.ts";
export * from "./compute_facts.ts";
export * from "./count_tokens_estimate.ts";
export * from "./create_llm_gateway.ts";
export * from "./debate_record.ts";
export * from "./decide_persona.ts";
export * from "./decision_prompt.ts";
export * from "./decision_row.ts";
export * from "./decision_rows_from_audit.ts";
export * from "./fact.ts";
export * from "./learn_weights.ts";
export * from "./learning_report.ts";
export * from "./llm_debate_strategy.ts";
export * from "./llm_errors.ts";
export * from "./llm_gateway.ts";
export * from "./llm_persona_strategy.ts";
export * from "./llm_store.ts";
export * from "./load_personas.ts";
export * from "./look_ahead_error.ts";
export * from "./mask.ts";
export * from "./model_cutoffs.ts";
export * from "./outcome.ts";
export * from "./parse_decisions_file.ts";
export * from "./persona.ts";
export * from "./persona_scores.ts";
export * from "./price_table.ts";
export * from "./request_hash.ts";
export * from "./rule_decision.ts";
export * from "./run_debate.ts";
export * from "./validate_decision.ts";
export * from "./vote.ts";
export * from "./create_agent_runtime.ts";
export * from "./agent_budget_stop.ts";
export * from "./masking_comparison.ts";
export * from "./learned_vote_weights.ts";
export * from "./load_price_table.ts";
