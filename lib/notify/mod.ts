/**
 * Operator notifications: what the risk engine and the runner tell people (a pause, a kill, a run stopped).
 *
 * A {@link Notification} is a small zod-typed record. A {@link Notifier} takes it with `notify`, which returns
 * at once and never throws, so telling operators never blocks or breaks trading; `close()` delivers what is
 * queued up to a deadline. Sinks: {@link ConsoleSink} (one line each on stderr), {@link WebhookSink} (JSON POST
 * from a background worker: bounded queue that drops the oldest, retries with exponential backoff and full
 * jitter on network errors, timeouts, 5xx and 429 with `Retry-After`, none on other 4xx) and
 * {@link MultiNotifier} (fan-out; one sink's failure never reaches another). {@link createNotifier} builds one
 * from an account config's `notify` block ({@link NotifyConfigSchema}), with a minimum level per sink.
 *
 * Secrets: every sink passes notifications and its own error messages through {@link redact} with the secrets
 * it was given; a webhook adds its URL (Slack-style URLs are tokens), path, query and header values, and logs
 * the URL as its origin only. Redaction masks known strings, it does not recognise key shapes: never put an
 * environment, a config object or a client in `data`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createNotifier } from "./mod.ts";
 * const lines: string[] = [];
 * const notifier = createNotifier({ console: true }, { secrets: ["api-key-123"], write: (l) => lines.push(l) });
 * notifier.notify({
 *   ts: Date.UTC(2026, 0, 2), account: "paper-1", level: "pause", kind: "risk_verdict",
 *   title: "daily loss limit", detail: "loss 2.1% > 2%", correlationId: "b-42", data: { limit: 0.02 },
 * });
 * await notifier.close({ timeoutMs: 1000 });
 * assert.equal(lines[0], '2026-01-02T00:00:00.000Z PAUSE paper-1 risk_verdict daily loss limit: loss 2.1% > 2% corr=b-42 {"limit":0.02}');
 * assert.deepEqual(notifier.stats(), { sent: 1, failed: 0, dropped: 0, retried: 0 });
 * ```
 * @module
 */
export * from "./console_sink.ts";
export * from "./create_notifier.ts";
export * from "./multi_notifier.ts";
export * from "./notification.ts";
export * from "./notification_level.ts";
export * from "./notifier.ts";
export * from "./notify_config.ts";
export * from "./redact.ts";
export * from "./webhook_sink.ts";
