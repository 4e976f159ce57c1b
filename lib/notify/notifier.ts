import type { Notification } from "./notification.ts";

/** Counters of a sink (summed over the sinks of a {@link MultiNotifier}). */
export interface NotifierStats {
  /** Notifications delivered (a 2xx answer, a line written). */
  sent: number;
  /** Notifications given up on after trying: a 4xx, attempts exhausted, an invalid notification. */
  failed: number;
  /** Notifications discarded without a finished attempt: queue overflow (oldest first), or still queued or
   * notified after `close()`. */
  dropped: number;
  /** Extra attempts made (a notification delivered on its third POST counts 2). */
  retried: number;
}

/** Options of {@link Notifier.close}. */
export interface CloseOptions {
  /** Give up on what is still queued or in flight after this many ms (default: the sink's `closeTimeoutMs`). */
  timeoutMs?: number;
}

/**
 * Where operator notifications go. `notify` is called on the trading path: it returns at once, never throws
 * and never awaits (delivery happens in the background); problems are counted in {@link NotifierStats} and
 * reported through the sink's `onError`. `close` delivers what is queued, up to a deadline, then gives up.
 */
export interface Notifier {
  notify(notification: Notification): void;
  close(options?: CloseOptions): Promise<void>;
  stats(): NotifierStats;
}
