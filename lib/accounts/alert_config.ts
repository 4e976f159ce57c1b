import { z } from "zod";
import { NotificationLevelSchema } from "../notify/mod.ts";

const fraction = z.number().gt(0, "a fraction above 0 (0.1 = 10 %)").max(1, "a fraction of at most 1 (0.1 = 10 %)");
const rule = <T extends z.ZodRawShape>(shape: T, level: z.infer<typeof NotificationLevelSchema>) =>
  z.strictObject({
    enabled: z.boolean().default(false),
    ...shape,
    /** How urgent the notification is (a sink's `minLevel` decides whether it gets it). */
    level: NotificationLevelSchema.default(level),
  });

/**
 * The `alerts` block of an account config: rules evaluated on the runner's events (lib/monitor's `AlertEngine`) and
 * sent to the account's `notify` sinks. Every rule is off unless `enabled: true`; a config without the block has
 * no alerts (and keeps its config hash). Thresholds are fractions as in the risk config (`0.1` = 10 %).
 *
 * - `drawdown.above`: equity this far below its peak.
 * - `dailyLoss.above`: equity this far below the equity the UTC day started with.
 * - `feedStale.seconds`: no closed bar for a symbol this long after the next one was due (or the streaming feed
 *   reports the stream stale).
 * - `orderRejected`, `reconciliationMismatch`, `killSwitch`: each such event.
 *
 * The same rule, account and key (a symbol, an order, the account) alerts at most once per `dedupSeconds`; each
 * sink takes at most `perSinkPerMinute` alerts a minute (a token bucket of that size), the rest are dropped and
 * counted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AlertConfigSchema } from "./mod.ts";
 * const cfg = AlertConfigSchema.parse({ drawdown: { enabled: true, above: 0.1 }, killSwitch: { enabled: true } });
 * assert.equal(cfg.dedupSeconds, 900);
 * assert.equal(cfg.drawdown?.level, "warning");
 * assert.equal(cfg.killSwitch?.level, "kill");
 * assert.equal(cfg.feedStale, undefined);
 * assert.equal(AlertConfigSchema.safeParse({ drawdown: { enabled: true, above: 10 } }).success, false);
 * ```
 */
export const AlertConfigSchema = z.strictObject({
  /** Seconds during which the same rule + account + key alerts once. */
  dedupSeconds: z.number().int().min(0).max(7 * 86_400).default(900),
  /** Alerts each sink takes per minute at most (burst of the same size). */
  perSinkPerMinute: z.number().int().min(1).max(10_000).default(10),
  drawdown: rule({ above: fraction }, "warning").optional(),
  dailyLoss: rule({ above: fraction }, "warning").optional(),
  feedStale: rule({ seconds: z.number().int().min(1).max(7 * 86_400) }, "warning").optional(),
  orderRejected: rule({}, "warning").optional(),
  reconciliationMismatch: rule({}, "error").optional(),
  killSwitch: rule({}, "kill").optional(),
});
export type AlertConfig = z.output<typeof AlertConfigSchema>;
export type AlertConfigInput = z.input<typeof AlertConfigSchema>;
