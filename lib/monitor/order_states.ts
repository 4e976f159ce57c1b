import type { TradingState } from "../types/mod.ts";

/**
 * The `state` label of an order metric for each audit kind that moves an order, shared by the runner's metrics and
 * the lab's `/metrics` so both expose the same label values.
 *
 * A dry run (`order_dry_run`: an unarmed account's order, never sent) is its own state `dry_run`, not `rejected`:
 * nothing refused it, and a rejection rate or alert must not move when an operator runs a dry run. It is counted
 * rather than left out because what a dry run would have sent is exactly what its operator watches before arming.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ORDER_STATE_OF_KIND } from "./order_states.ts";
 * assert.equal(ORDER_STATE_OF_KIND["order_partially_filled"], "partially_filled");
 * assert.equal(ORDER_STATE_OF_KIND["order_dry_run"], "dry_run");
 * assert.equal(ORDER_STATE_OF_KIND["bars"], undefined);
 * ```
 */
export const ORDER_STATE_OF_KIND: Readonly<Record<string, string>> = Object.freeze({
  order_submitted: "submitted",
  order_acknowledged: "acknowledged",
  order_partially_filled: "partially_filled",
  order_filled: "filled",
  order_rejected: "rejected",
  order_cancelled: "cancelled",
  order_expired: "expired",
  order_dry_run: "dry_run",
});

/** Every trading state, in the order the `trading_state` gauges list them. */
export const TRADING_STATES: readonly TradingState[] = Object.freeze(["active", "reducing", "halted"]);
