// Test fixtures: a realistic sequence of events for one decision cycle per bar.
import type { AuditEventInput } from "./audit_event.ts";

export const HASH_A = "a".repeat(64);

/** `n` events cycling through bar, signal, decision, verdict, intent, submitted, ack, fill. */
export function sampleEvents(n: number, runId = "run-1", account = "paper-1"): AuditEventInput[] {
  const out: AuditEventInput[] = [];
  let i = 0;
  while (out.length < n) {
    const ts = 1_700_000_000_000 + i * 60_000;
    const c = `c${i}`;
    const id = `${account}-${runId}-${i}`;
    const price = 100 + (i % 7);
    const side = i % 2 === 0 ? "buy" as const : "sell" as const;
    const cycle: AuditEventInput[] = [
      {
        kind: "bar",
        runId,
        ts,
        correlationId: c,
        payload: {
          symbol: "BTC/USDT",
          timeframe: "1m",
          ts,
          open: price,
          high: price + 1,
          low: price - 1,
          close: price,
          volume: 10,
          dataHash: HASH_A,
        },
      },
      {
        kind: "signal",
        runId,
        ts,
        correlationId: c,
        payload: { strategy: "sma_cross", symbol: "BTC/USDT", barTs: ts, action: "enter_long" },
      },
      {
        kind: "decision",
        runId,
        ts,
        correlationId: c,
        payload: {
          agent: "sma_cross",
          action: side,
          confidence: 0.6,
          reasoning: "fast above slow",
          factors: [{ name: "trend", weight: 1, value: 0.2 }],
          targetWeights: { "BTC/USDT": 1 },
        },
      },
      {
        kind: "order_intent",
        runId,
        ts,
        correlationId: c,
        payload: {
          clientOrderId: id,
          account,
          strategy: "sma_cross",
          symbol: "BTC/USDT",
          side,
          qty: 1,
          price,
          reduceOnly: false,
          barTs: ts,
        },
      },
      {
        kind: "risk_verdict",
        runId,
        ts,
        correlationId: c,
        payload: { clientOrderId: id, ok: true, code: "ok", detail: "" },
      },
      { kind: "order_submitted", runId, ts, correlationId: c, payload: { clientOrderId: id } },
      {
        kind: "order_acknowledged",
        runId,
        ts,
        correlationId: c,
        payload: { clientOrderId: id, exchangeOrderId: `x${i}` },
      },
      {
        kind: "order_filled",
        runId,
        ts,
        correlationId: c,
        payload: { clientOrderId: id, symbol: "BTC/USDT", side, qty: 1, price, fee: 0.1, ts },
      },
    ];
    for (const e of cycle) if (out.length < n) out.push(e);
    i++;
  }
  return out;
}

/**
 * A live runner's `reconciliation` that found an open order the log cannot explain (sell 0.1 BTC/USDT at 120, client
 * id web_8f2): the account is held reducing until an operator acknowledges it.
 */
export function mismatchEvent(runId = "live-run"): AuditEventInput & { kind: "reconciliation" } {
  return {
    kind: "reconciliation",
    runId,
    payload: {
      trigger: "start",
      ok: false,
      needsAck: true,
      tradingState: "reducing",
      resolved: [],
      unknownOpenOrders: [{
        symbol: "BTC/USDT",
        exchangeOrderId: "99",
        exchangeClientId: "web_8f2",
        side: "sell",
        type: "limit",
        qty: 0.1,
        filled: 0,
        price: 120,
      }],
      balanceMismatches: [],
      messages: ["open order 99 (web_8f2) at the exchange is not in the log: sell 0.1 BTC/USDT at 120"],
    },
  };
}
