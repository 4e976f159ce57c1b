import { z } from "zod";
import { NotificationLevelSchema } from "./notification_level.ts";

const LOOPBACK = ["127.0.0.1", "[::1]", "localhost"];

function allowedUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.includes(url.hostname));
}

const WebhookConfigSchema = z.strictObject({
  /** May carry a token: it is never logged (only its origin) and is masked everywhere. */
  url: z.string().refine(allowedUrl, "must be an https:// URL (http:// only for 127.0.0.1, ::1 or localhost)"),
  /** Least urgent level sent to this webhook. */
  minLevel: NotificationLevelSchema.default("warning"),
  /** `json`: the notification as is; `slack`: `{ "text": "<one line>" }` for Slack-style incoming webhooks. */
  format: z.enum(["json", "slack"]).default("json"),
  /** Extra headers (e.g. Authorization); their values are masked like secrets. */
  headers: z.record(z.string(), z.string()).optional(),
  maxQueue: z.number().int().min(1).max(100_000).default(1000),
  timeoutMs: z.number().int().min(1).max(120_000).default(10_000),
  retry: z.strictObject({
    attempts: z.number().int().min(1).max(20).default(5),
    baseMs: z.number().int().min(0).max(60_000).default(500),
    maxMs: z.number().int().min(0).max(600_000).default(30_000),
  }).default({ attempts: 5, baseMs: 500, maxMs: 30_000 }),
});

/**
 * The `notify` block of an account config. `console` is `true` (every level on stderr), `false`, or
 * `{ minLevel }`; each webhook has its own `minLevel` (default `warning`), format, queue, timeout and retry
 * policy. Levels rank `info < warning < pause < kill < error`.
 *
 * ```json
 * { "console": true, "webhooks": [{ "url": "https://hooks.slack.com/services/T0/B0/XXXX", "minLevel": "pause", "format": "slack" }] }
 * ```
 */
export const NotifyConfigSchema = z.strictObject({
  console: z.union([z.boolean(), z.strictObject({ minLevel: NotificationLevelSchema })]).default(true),
  webhooks: z.array(WebhookConfigSchema).max(16).default([]),
});
export type NotifyConfig = z.output<typeof NotifyConfigSchema>;
export type NotifyConfigInput = z.input<typeof NotifyConfigSchema>;
