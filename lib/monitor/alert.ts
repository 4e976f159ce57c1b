import type { NotificationLevel } from "../notify/mod.ts";

/** The alert rules of an account config's `alerts` block, in snake_case (the `rule` label and notification kind). */
export type AlertRule =
  | "drawdown"
  | "daily_loss"
  | "feed_stale"
  | "order_rejected"
  | "reconciliation_mismatch"
  | "kill_switch";

/** One alert as sent to the sinks (as notification kind `alert_<rule>`). */
export interface Alert {
  rule: AlertRule;
  account: string;
  /** What the alert is about within the rule (a symbol, an order id, `account`): the deduplication key. */
  key: string;
  level: NotificationLevel;
  /** When it fired (the engine's clock), epoch ms. */
  ts: number;
  title: string;
  detail: string;
  /** The measured value and the threshold it crossed, for threshold rules. */
  value?: number;
  threshold?: number;
  /** Seq of the event that fired it (none for a timer's staleness check). */
  seq?: number;
  correlationId?: string;
}
