import type { AuditEventOf } from "./audit_event.ts";
import type { OpenOrder } from "./replay.ts";

/**
 * The open order an `order_intent` event starts (status `intent`, nothing filled): how {@link replay} and every
 * incremental fold of the log that must equal it (the lab's live stream) begin tracking an order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openOrderOf } from "./mod.ts";
 * const intent = { clientOrderId: "a-1", account: "p", strategy: "s", symbol: "BTC/USDT", side: "buy", qty: 1, price: 100, type: "market", barTs: 0 } as const;
 * const o = openOrderOf({ kind: "order_intent", seq: 7, correlationId: "bars:0", payload: intent } as never);
 * assert.deepEqual(o, { clientOrderId: "a-1", symbol: "BTC/USDT", side: "buy", qty: 1, filledQty: 0, price: 100, status: "intent", seq: 7, correlationId: "bars:0" });
 * ```
 */
export function openOrderOf(e: AuditEventOf<"order_intent">): OpenOrder {
  const i = e.payload;
  const o: OpenOrder = {
    clientOrderId: i.clientOrderId,
    symbol: i.symbol,
    side: i.side,
    qty: i.qty,
    filledQty: 0,
    price: i.price,
    status: "intent",
    seq: e.seq,
  };
  if (e.correlationId !== undefined) o.correlationId = e.correlationId;
  return o;
}
