import { passes } from "./_levels.ts";
import { formatLine } from "./_format.ts";
import { validate, writeStderr } from "./_prepare.ts";
import type { Notification } from "./notification.ts";
import type { NotificationLevel } from "./notification_level.ts";
import type { CloseOptions, Notifier, NotifierStats } from "./notifier.ts";
import { createRedactor } from "./_redactor.ts";

/** Options of {@link ConsoleSink}. */
export interface ConsoleSinkOptions {
  /** Strings masked in every line (API keys, tokens, webhook URLs). */
  secrets?: readonly string[];
  /** Least urgent level written (default `info`: everything). */
  minLevel?: NotificationLevel;
  /** Where lines go (default: stderr, synchronously). */
  write?: (line: string) => void;
}

/**
 * Writes each notification as one line: `<ISO time> <LEVEL> <account> <kind> <title>: <detail>`, then
 * `corr=<id>` and the `data` JSON when present. Secrets are masked; newlines and other control characters are
 * escaped so a notification cannot forge a second line. A writer that throws counts as `failed`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConsoleSink } from "./mod.ts";
 * const lines: string[] = [];
 * const sink = new ConsoleSink({ secrets: ["s3cret-key"], write: (l) => lines.push(l) });
 * sink.notify({
 *   ts: 0, account: "paper-1", level: "pause", kind: "risk_verdict",
 *   title: "daily loss limit", detail: "key s3cret-key\nsecond line",
 * });
 * assert.equal(lines[0], "1970-01-01T00:00:00.000Z PAUSE paper-1 risk_verdict daily loss limit: key [REDACTED]\\nsecond line");
 * await sink.close();
 * ```
 */
export class ConsoleSink implements Notifier {
  readonly #redact: (value: unknown) => unknown;
  readonly #minLevel: NotificationLevel;
  readonly #write: (line: string) => void;
  readonly #stats: NotifierStats = { sent: 0, failed: 0, dropped: 0, retried: 0 };
  #closed = false;

  constructor(options: ConsoleSinkOptions = {}) {
    this.#redact = createRedactor(options.secrets ?? []);
    this.#minLevel = options.minLevel ?? "info";
    this.#write = options.write ?? writeStderr;
  }

  notify(notification: Notification): void {
    try {
      if (this.#closed) {
        this.#stats.dropped++;
        return;
      }
      if (!passes(notification.level, this.#minLevel)) return;
      const prepared = validate(this.#redact(notification));
      if (!prepared.ok) {
        this.#stats.failed++;
        this.#write(`${new Date().toISOString()} ERROR notify ${prepared.error}`);
        return;
      }
      this.#write(formatLine(prepared.value));
      this.#stats.sent++;
    } catch {
      // The writer failed (closed stderr): nothing sensible to report it to.
      this.#stats.failed++;
    }
  }

  close(_options?: CloseOptions): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  stats(): NotifierStats {
    return { ...this.#stats };
  }
}
