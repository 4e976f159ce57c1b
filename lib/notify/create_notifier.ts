import { ConfigError } from "../types/mod.ts";
import { slackBody } from "./_format.ts";
import { describeIssues } from "./_prepare.ts";
import { webhookSecrets } from "./_webhook_secrets.ts";
import { ConsoleSink } from "./console_sink.ts";
import { MultiNotifier } from "./multi_notifier.ts";
import type { Notification } from "./notification.ts";
import { NotifyConfigSchema } from "./notify_config.ts";
import { WebhookSink } from "./webhook_sink.ts";

/** Options of {@link createNotifier}. */
export interface CreateNotifierOptions {
  /** Strings every sink masks (exchange keys, lab token). Every webhook's URL and header values are added. */
  secrets?: readonly string[];
  /** Where the console sink writes (default stderr). */
  write?: (line: string) => void;
  /** Where sinks report what they gave up on (default stderr). */
  onError?: (message: string) => void;
  /** Injected for tests. */
  fetch?: typeof fetch;
}

/**
 * Builds the notifier of an account from its config's `notify` block (validated with
 * {@link NotifyConfigSchema}): a {@link MultiNotifier} over a {@link ConsoleSink} (when `console` is not false)
 * and one {@link WebhookSink} per webhook. A malformed block throws a `ConfigError` naming each field and rule;
 * it never quotes the values (a webhook URL may be a token).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createNotifier } from "./mod.ts";
 * const lines: string[] = [];
 * const notifier = createNotifier({ console: { minLevel: "warning" } }, { secrets: ["k-123456"], write: (l) => lines.push(l) });
 * notifier.notify({ ts: 0, account: "a", level: "info", kind: "run_started", title: "started", detail: "" });
 * notifier.notify({ ts: 0, account: "a", level: "kill", kind: "kill", title: "halted", detail: "key k-123456" });
 * await notifier.close();
 * assert.deepEqual(lines, ["1970-01-01T00:00:00.000Z KILL a kill halted: key [REDACTED]"]);
 * assert.throws(() => createNotifier({ webhooks: [{ url: "http://example.com/T0KEN" }] }), /webhooks\.0\.url: must be an https/);
 * ```
 */
export function createNotifier(
  config: unknown,
  options: CreateNotifierOptions = {},
): MultiNotifier {
  const parsed = NotifyConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw new ConfigError(
      `notify config refused: ${describeIssues(parsed.error.issues)}; fix the account's notify block`,
    );
  }
  const { console, webhooks } = parsed.data;
  // Every sink masks every webhook's URL and headers: a detail quoting one must not reach the console either.
  const secrets = [...(options.secrets ?? []), ...webhooks.flatMap((w) => webhookSecrets(w.url, w.headers))];
  const sinks = [];
  if (console !== false) {
    sinks.push(
      new ConsoleSink({ secrets, minLevel: console === true ? "info" : console.minLevel, write: options.write }),
    );
  }
  for (const w of webhooks) {
    sinks.push(
      new WebhookSink({
        url: w.url,
        headers: w.headers,
        maxQueue: w.maxQueue,
        retry: w.retry,
        timeoutMs: w.timeoutMs,
        minLevel: w.minLevel,
        secrets,
        format: w.format === "slack" ? (n: Notification) => slackBody(n) : undefined,
        onError: options.onError,
        fetch: options.fetch,
      }),
    );
  }
  return new MultiNotifier(sinks);
}
