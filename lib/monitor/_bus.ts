// Subscribing to every bus type at once: the monitor dispatches on an event's kind, whatever type it came under.
import type { EventBus, RunnerEventType } from "../runner/mod.ts";
import type { MonitorEvent } from "./monitor_event.ts";

// `satisfies` makes the compiler name a bus type added to RunnerEvents and missing here.
const TYPES = {
  bar: true,
  signal: true,
  order_placed: true,
  order_filled: true,
  order_cancelled: true,
  order_dry_run: true,
  risk_limit_exceeded: true,
  agent_state_change: true,
  agent_error: true,
  backtest_complete: true,
} as const satisfies Record<RunnerEventType, true>;

/** Every bus type. */
export const BUS_TYPES = Object.keys(TYPES) as RunnerEventType[];

/** Subscribes `fn` to every bus type; returns the unsubscribe function. */
export function subscribeAll(bus: EventBus, fn: (e: MonitorEvent) => void): () => void {
  const offs = BUS_TYPES.map((t) => bus.on(t, fn as (e: unknown) => void));
  return () => {
    for (const off of offs) off();
  };
}

/** Seconds, from milliseconds. */
export function seconds(ms: number): number {
  return ms / 1000;
}
