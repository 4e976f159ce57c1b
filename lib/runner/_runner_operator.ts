import type { AuditEvent, AuditEventInput } from "../audit/mod.ts";
import type { RiskSession, Verdict } from "../risk/mod.ts";
import { busTypeOf, type EventBus } from "./event_bus.ts";

/**
 * The event of an account rule that moved the trading state (a `pause` or a `kill` by `rule`), or undefined for a
 * verdict that did not (markEquity and onTradeClosed return only those).
 */
export function ruleEventOf(
  v: Verdict | null,
  risk: RiskSession,
  runId: string,
  now: number,
): AuditEventInput | undefined {
  if (v === null || v.ok) return undefined;
  const rule = v.code.slice(0, 64);
  if (v.level === "kill") {
    return {
      kind: "kill",
      runId,
      ts: now,
      payload: { by: "rule", reason: v.detail.slice(0, 1_000), flatten: risk.flattenOnKill, rule },
    };
  }
  if (v.level === "pause") {
    return { kind: "pause", runId, ts: now, payload: { by: "rule", reason: v.detail.slice(0, 1_000), rule } };
  }
  return undefined;
}

/**
 * The runner's acknowledgement of an operator command: a `config_change` (target `trading_state`,
 * `diff.operatorSeq`) in its own stream of events that says where the command took effect, so a restarted runner
 * applies it between the same two batches.
 */
export function operatorAck(
  e: AuditEvent,
  before: string,
  after: string,
  runId: string,
  now: number,
  configHash: string,
): AuditEventInput {
  return {
    kind: "config_change",
    runId,
    ts: now,
    payload: { target: "trading_state", before, after, diff: { operatorSeq: e.seq, command: e.kind }, configHash },
  };
}

/** The operator command's seq an acknowledgement names, or undefined for any other event. */
export function ackedSeq(e: AuditEvent | AuditEventInput): number | undefined {
  if (e.kind !== "config_change" || e.payload.target !== "trading_state") return undefined;
  const seq = (e.payload.diff as { operatorSeq?: unknown } | undefined)?.operatorSeq;
  return typeof seq === "number" ? seq : undefined;
}

/**
 * Publishes durable events on the bus; an operator command (written by another process, so never passing here
 * itself) is published right after the acknowledgement that says where it took effect, so a monitor's kill alert
 * and trading-state gauge follow operator commands as they follow the rules'. `applied` holds the commands applied
 * and not yet published, by seq.
 */
export function publishDurable(bus: EventBus, stored: readonly AuditEvent[], applied: Map<number, AuditEvent>): void {
  const active = bus.active;
  if (!active && applied.size === 0) return;
  for (const e of stored) {
    const type = busTypeOf(e);
    if (active && type !== undefined) bus.emit(type, e);
    if (applied.size === 0) continue;
    const seq = ackedSeq(e);
    const cmd = seq === undefined ? undefined : applied.get(seq);
    if (cmd === undefined) continue;
    applied.delete(cmd.seq);
    const cmdType = busTypeOf(cmd);
    if (active && cmdType !== undefined) bus.emit(cmdType, cmd);
  }
}
