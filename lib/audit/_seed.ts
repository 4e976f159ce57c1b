import type { AuditEvent } from "./audit_event.ts";

/**
 * The starting cash an event seeds an account with, or undefined: a `run_started` carrying `startingCash`, or an
 * `account` `config_change` whose `after.startingCash` is a number. The first such event wins (`replay`,
 * `equitySeries`).
 */
export function seedOf(ev: AuditEvent): number | undefined {
  if (ev.kind === "run_started") return ev.payload.startingCash;
  if (ev.kind !== "config_change" || ev.payload.target !== "account") return undefined;
  const after = ev.payload.after as { startingCash?: unknown } | null | undefined;
  return typeof after?.startingCash === "number" ? after.startingCash : undefined;
}

/** Validates an explicit starting cash option (finite, >= 0). */
export function checkStartingCash(startingCash: number | undefined): void {
  if (startingCash !== undefined && !(Number.isFinite(startingCash) && startingCash >= 0)) {
    throw new RangeError(`Invalid startingCash ${startingCash}: use a finite number >= 0`);
  }
}
