/**
 * A run's LLM budget (`--llm-budget`) was reached at a decision: the desk recorded that bar's events (the personas
 * that could not be asked abstain with reason `budget`) and stops the run rather than trade on a partial panel.
 * Every answer received so far is in the store, so a rerun with a higher budget replays them for free and pays only
 * for the rest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AgentBudgetStop } from "./agent_budget_stop.ts";
 * const e = new AgentBudgetStop({ decisionTime: Date.UTC(2024, 0, 2), decisions: 41, detail: "LLM budget reached: spent $0.99" });
 * assert.match(e.message, /2024-01-02T00:00:00.000Z.*41 decisions.*--llm-budget/);
 * ```
 */
export class AgentBudgetStop extends Error {
  override name = "AgentBudgetStop";
  /** The decision time of the bar where the budget ran out. */
  readonly decisionTime: number;
  /** Bars decided before it. */
  readonly decisions: number;

  constructor(options: { decisionTime: number; decisions: number; detail: string }) {
    super(
      `stopped at the decision of ${new Date(options.decisionTime).toISOString()} after ${options.decisions} ` +
        `decisions: ${options.detail}. The answers so far are in the LLM store: rerun with a higher --llm-budget ` +
        "and they replay for free",
    );
    this.decisionTime = options.decisionTime;
    this.decisions = options.decisions;
  }
}
