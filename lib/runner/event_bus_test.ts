import assert from "node:assert/strict";
import type { AuditEvent } from "../audit/mod.ts";
import { busTypeOf } from "./event_bus.ts";

const ev = (kind: string, payload: unknown): AuditEvent =>
  ({ seq: 1, ts: 0, account: "a", runId: "r", kind, payload, prevHash: "", hash: "" }) as AuditEvent;

Deno.test("busTypeOf: the live kinds: an expiry ends an order, a report and an ack change the account's state", () => {
  assert.equal(busTypeOf(ev("order_expired", { clientOrderId: "a", reason: "IOC" })), "order_cancelled");
  assert.equal(busTypeOf(ev("reconciliation", { needsAck: true })), "agent_state_change");
  assert.equal(busTypeOf(ev("operator_ack", { reconciliationSeq: 1, note: "" })), "agent_state_change");
  assert.equal(busTypeOf(ev("kill", { by: "operator" })), "agent_state_change");
  assert.equal(busTypeOf(ev("kill", { by: "rule" })), "risk_limit_exceeded");
  assert.equal(busTypeOf(ev("config_change", { target: "trading_state" })), undefined);
});

Deno.test("busTypeOf: a dry run is its own type, never a cancellation or a rejection", () => {
  const dry = ev("order_dry_run", {
    clientOrderId: "a",
    symbol: "BTC/USDT",
    side: "buy",
    qty: 1,
    type: "market",
    reason: "dry run: the account is not armed",
  });
  assert.equal(busTypeOf(dry), "order_dry_run");
  assert.equal(busTypeOf(ev("order_rejected", { clientOrderId: "a", reason: "-2010" })), "order_cancelled");
});
