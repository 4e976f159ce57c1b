import type { CloseOptions, Notification, Notifier, NotifierStats } from "../notify/mod.ts";

/** Options of {@link RateLimitedNotifier}. */
export interface RateLimitedNotifierOptions {
  /** Notifications passed per minute at most; also the burst. */
  perMinute: number;
  /** The clock (epoch ms). Default `Date.now`. */
  clock?: () => number;
  /** Called for each notification dropped by the limit. */
  onDrop?: (n: Notification) => void;
}

/**
 * A token bucket in front of one sink: `perMinute` tokens, refilled continuously; a notification without a token is
 * dropped (counted in `stats().dropped`, reported to `onDrop`), never queued, so a storm of alerts cannot flood a
 * chat channel nor delay the trading path. `close` and the other counters are the sink's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConsoleSink } from "../notify/mod.ts";
 * import { RateLimitedNotifier } from "./mod.ts";
 * let now = 0;
 * const lines: string[] = [];
 * const sink = new RateLimitedNotifier(new ConsoleSink({ write: (l) => lines.push(l) }), { perMinute: 2, clock: () => now });
 * const n = { ts: 0, account: "paper-1", level: "warning" as const, kind: "alert_drawdown", title: "drawdown", detail: "" };
 * for (let i = 0; i < 5; i++) sink.notify(n);
 * assert.equal(lines.length, 2);
 * now = 30_000; // half a minute: one token back
 * sink.notify(n);
 * assert.equal(lines.length, 3);
 * assert.equal(sink.stats().dropped, 3);
 * ```
 */
export class RateLimitedNotifier implements Notifier {
  readonly sink: Notifier;
  readonly #perMs: number;
  readonly #max: number;
  readonly #clock: () => number;
  readonly #onDrop: ((n: Notification) => void) | undefined;
  #tokens: number;
  #at: number;
  #dropped = 0;

  constructor(sink: Notifier, options: RateLimitedNotifierOptions) {
    if (!(Number.isFinite(options.perMinute) && options.perMinute >= 1)) {
      throw new RangeError(`perMinute must be a number >= 1, got ${options.perMinute}`);
    }
    this.sink = sink;
    this.#max = options.perMinute;
    this.#perMs = options.perMinute / 60_000;
    this.#clock = options.clock ?? Date.now;
    this.#onDrop = options.onDrop;
    this.#tokens = this.#max;
    this.#at = this.#clock();
  }

  notify(notification: Notification): void {
    const now = this.#clock();
    // A clock that steps back refills nothing (and takes nothing away).
    if (now > this.#at) this.#tokens = Math.min(this.#max, this.#tokens + (now - this.#at) * this.#perMs);
    this.#at = Math.max(this.#at, now);
    if (this.#tokens < 1) {
      this.#dropped++;
      try {
        this.#onDrop?.(notification);
      } catch {
        // A counter's failure must not reach the trading path.
      }
      return;
    }
    this.#tokens -= 1;
    this.sink.notify(notification);
  }

  close(options?: CloseOptions): Promise<void> {
    return this.sink.close(options);
  }

  stats(): NotifierStats {
    const s = this.sink.stats();
    return { ...s, dropped: s.dropped + this.#dropped };
  }
}
