import { evaluate, type EvaluateGatesOptions } from "./_evaluate.ts";
import type { PromotionChecklist } from "./promotion_checklist.ts";

export type { EvaluateGatesOptions } from "./_evaluate.ts";
export type { EvidenceData } from "./_gates.ts";

/**
 * Checks the promotion gates of a strategy version (code hash and params) for an account, in order, and returns
 * every gate with its evidence; nothing is written to the account.
 *
 * 1. `backtest`: a recorded single backtest (runs registry) of the same code hash, params and options (cash aside:
 *    it is the allocation) spanning at least `minDays` (183) days of data, with Sharpe > 0.
 * 2. `walk_forward`: a recorded walk-forward of the same code hash and options that covers the params (its last
 *    fold chose exactly them, or its grid holds them: the procedure it tested could pick them), with at least 2
 *    folds and a mean out-of-sample Sharpe > 0 (a fold without trades has no Sharpe and counts as 0).
 * 3. `risk_limits`: the account's config loads and has a daily-loss or drawdown limit enabled; the limits in force
 *    are listed.
 * 4. `parity`: `checkParity` (the paper runner's replay against the backtest, order for order) on the evidence data
 *    with the same options.
 * 5. `audit_chain`: the account's audit log verifies.
 *
 * With `data`, a missing backtest or walk-forward is computed on it and recorded (label `promotion evidence`), so it
 * becomes evidence with a run id; a computed walk-forward tests the promoted params on 4 rolling out-of-sample folds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAccount } from "../accounts/mod.ts";
 * import { evaluateGates } from "./evaluate_gates.ts";
 * const dataDir = await Deno.makeTempDir();
 * createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000, quote: "USD" });
 * // 20 % of equity per entry: the default limits cap a position at 25 % (all-in would fail the risk gate).
 * const c = await evaluateGates({
 *   dataDir, account: "paper-1", strategy: "sma_cross", params: { fast: 10, slow: 30 },
 *   options: { size: { kind: "fraction", value: 0.2 } },
 * });
 * assert.equal(c.ok, false);
 * assert.deepEqual(c.gates.map((g) => [g.name, g.ok]), [
 *   ["backtest", false], ["walk_forward", false], ["risk_limits", true], ["parity", false], ["audit_chain", true],
 * ]);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function evaluateGates(options: EvaluateGatesOptions): Promise<PromotionChecklist> {
  return (await evaluate(options)).checklist;
}
