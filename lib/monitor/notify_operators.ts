import type { NotificationLevel, Notifier } from "../notify/mod.ts";
import type { EventBus, RunnerEventType } from "../runner/mod.ts";

const LEVELS: Partial<Record<RunnerEventType, NotificationLevel>> = {
  risk_limit_exceeded: "warning",
  agent_state_change: "info",
  agent_error: "error",
};

/**
 * Operators hear of a runner's denials, pauses, kills, starts, stops and errors on the account's notify sinks (never
 * blocking the runner: a notifier queues). Every event the bus publishes is already durable in the audit log.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { notifyOperators } from "./notify_operators.ts";
 * import { EventBus } from "../runner/mod.ts";
 * const heard: string[] = [];
 * const bus = new EventBus();
 * notifyOperators(bus, { notify: (n: { level: string; title: string }) => heard.push(`${n.level} ${n.title}`) } as never, "paper-1");
 * bus.emit("agent_state_change", {
 *   seq: 1, ts: 0, account: "paper-1", runId: "r", kind: "kill", payload: { by: "operator", reason: "test" },
 *   prevHash: "", hash: "",
 * } as never);
 * assert.deepEqual(heard, ["kill kill: test"]);
 * ```
 */
export function notifyOperators(bus: EventBus, notifier: Notifier, account: string): void {
  for (const type of Object.keys(LEVELS) as RunnerEventType[]) {
    bus.on(type, (e) => {
      let level = LEVELS[type]!;
      if (e.kind === "kill") level = "kill";
      else if (e.kind === "pause") level = "pause";
      notifier.notify({
        ts: e.ts,
        account,
        level,
        kind: e.kind,
        title: `${e.kind.replace(/_/g, " ")}${
          "reason" in e.payload ? `: ${String(e.payload.reason).slice(0, 150)}` : ""
        }`,
        detail: JSON.stringify(e.payload).slice(0, 4_000),
        ...(e.correlationId ? { correlationId: e.correlationId } : {}),
      });
    });
  }
}
