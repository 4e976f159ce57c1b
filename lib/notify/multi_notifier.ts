import type { Notification } from "./notification.ts";
import type { CloseOptions, Notifier, NotifierStats } from "./notifier.ts";

/**
 * Fans each notification out to several sinks. A sink that throws (a custom one breaking the contract) is
 * skipped for that notification and counted `failed`; the others still get it. `close` closes every sink in
 * parallel with the same deadline; `stats` sums the sinks' counters (see {@link MultiNotifier.sinks} for each).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConsoleSink, MultiNotifier } from "./mod.ts";
 * const a: string[] = [];
 * const b: string[] = [];
 * const all = new MultiNotifier([new ConsoleSink({ write: (l) => a.push(l) }), new ConsoleSink({ write: (l) => b.push(l) })]);
 * all.notify({ ts: 0, account: "paper-1", level: "info", kind: "run_started", title: "run started", detail: "" });
 * await all.close();
 * assert.equal(a.length + b.length, 2);
 * assert.equal(all.stats().sent, 2);
 * ```
 */
export class MultiNotifier implements Notifier {
  readonly sinks: readonly Notifier[];
  #thrown = 0;

  constructor(sinks: readonly Notifier[]) {
    this.sinks = [...sinks];
  }

  notify(notification: Notification): void {
    for (const sink of this.sinks) {
      try {
        sink.notify(notification);
      } catch {
        this.#thrown++;
      }
    }
  }

  async close(options?: CloseOptions): Promise<void> {
    await Promise.all(this.sinks.map(async (sink) => {
      try {
        await sink.close(options);
      } catch {
        this.#thrown++;
      }
    }));
  }

  stats(): NotifierStats {
    const total: NotifierStats = { sent: 0, failed: this.#thrown, dropped: 0, retried: 0 };
    for (const sink of this.sinks) {
      try {
        const s = sink.stats();
        total.sent += s.sent;
        total.failed += s.failed;
        total.dropped += s.dropped;
        total.retried += s.retried;
      } catch {
        // A sink that cannot count adds nothing.
      }
    }
    return total;
  }
}
