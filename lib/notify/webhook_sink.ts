import { abortableSleep, backoffMs, retryAfterMs } from "./_backoff.ts";
import { passes } from "./_levels.ts";
import { validate, writeStderr } from "./_prepare.ts";
import { Ring } from "./_ring.ts";
import { webhookSecrets } from "./_webhook_secrets.ts";
import type { Notification } from "./notification.ts";
import type { NotificationLevel } from "./notification_level.ts";
import type { CloseOptions, Notifier, NotifierStats } from "./notifier.ts";
import { createRedactor } from "./_redactor.ts";

/** Retry policy of a {@link WebhookSink}. */
export interface WebhookRetryOptions {
  /** POSTs per notification, the first included (1 = never retry). */
  attempts: number;
  /** Backoff before retry k (k = 0, 1, ...) is uniform in [0, min(maxMs, baseMs * 2^k)) (full jitter). */
  baseMs: number;
  /** Cap of a backoff, and of a `Retry-After` (so one answer cannot park the queue for an hour). */
  maxMs: number;
}

/** Options of {@link WebhookSink}. */
export interface WebhookSinkOptions {
  /** Where to POST. It may carry a token (Slack-style URLs): only its origin is ever logged. `https:`, or
   * `http:` for 127.0.0.1, ::1 or localhost. */
  url: string;
  /** Extra request headers (e.g. `Authorization`). Their values are treated as secrets. */
  headers?: Record<string, string>;
  /** Notifications waiting at most; when full the oldest is dropped and counted (`dropped`). */
  maxQueue: number;
  retry: WebhookRetryOptions;
  /** One POST is abandoned (and retried) after this many ms. */
  timeoutMs: number;
  /** Least urgent level sent (default `info`: everything). */
  minLevel?: NotificationLevel;
  /** Strings masked in every body and error message, besides the URL and header values. */
  secrets?: readonly string[];
  /** The JSON body of a notification (default: the notification itself). Applied after redaction. */
  format?: (notification: Notification) => unknown;
  /** Default deadline of `close()` in ms (default 5000). */
  closeTimeoutMs?: number;
  /** Told of each notification given up on, one line, secrets masked, the URL as its origin (default: stderr). */
  onError?: (message: string) => void;
  /** Injected for tests. */
  fetch?: typeof fetch;
  /** Injected for tests: waits `ms` or rejects when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Injected for tests: uniform in [0, 1). */
  random?: () => number;
}

type Outcome = { kind: "ok" } | { kind: "retry"; reason: string; waitMs?: number } | {
  kind: "fatal";
  reason: string;
};

/**
 * Sends notifications as JSON POSTs from a background worker. `notify` makes a masked copy, queues it
 * (bounded, oldest dropped first) and returns; the worker validates (an invalid notification is counted
 * `failed` and reported), serialises and sends one at a time, in order. Network
 * errors, timeouts, 5xx and 429 are retried with exponential backoff and full jitter (a `Retry-After` in
 * seconds or as a date is waited instead, up to `retry.maxMs`). Delivery is at least once: a POST that timed
 * out may have arrived, so every attempt of one notification carries the same `Idempotency-Key` header (a
 * random UUID) for the receiver to drop duplicates; other answers that are not 2xx (4xx, and 3xx:
 * redirects are not followed) fail at once. `close()` stops taking notifications, sends what is queued and,
 * at the deadline, aborts the POST in flight (counted `failed`) and drops the rest (counted `dropped`).
 *
 * What is never carried: the URL (it may hold a token) appears in messages as its origin only; the URL, its
 * path and query, header values and the given `secrets` are masked in bodies and messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WebhookSink } from "./mod.ts";
 * const bodies: unknown[] = [];
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
 *   bodies.push(await req.json());
 *   return new Response(null, { status: 204 });
 * });
 * const sink = new WebhookSink({
 *   url: `http://127.0.0.1:${server.addr.port}/hooks/T0KEN-123`,
 *   maxQueue: 100,
 *   retry: { attempts: 3, baseMs: 10, maxMs: 100 },
 *   timeoutMs: 1000,
 * });
 * sink.notify({ ts: 0, account: "paper-1", level: "kill", kind: "kill", title: "kill switch", detail: "by operator" });
 * await sink.close();
 * assert.equal(sink.stats().sent, 1);
 * assert.deepEqual(bodies, [{ ts: 0, account: "paper-1", level: "kill", kind: "kill", title: "kill switch", detail: "by operator" }]);
 * ```
 */
export class WebhookSink implements Notifier {
  readonly #url: string;
  readonly #label: string;
  readonly #headers: Record<string, string>;
  readonly #redact: (value: unknown) => unknown;
  readonly #queue: Ring<unknown>;
  readonly #retry: WebhookRetryOptions;
  readonly #timeoutMs: number;
  readonly #minLevel: NotificationLevel;
  readonly #format: (n: Notification) => unknown;
  readonly #closeTimeoutMs: number;
  readonly #onError: (message: string) => void;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #stats: NotifierStats = { sent: 0, failed: 0, dropped: 0, retried: 0 };
  /** Aborted at the close deadline: ends the POST in flight and any backoff. */
  readonly #giveUp = new AbortController();
  #worker: Promise<void> | undefined;
  #closed = false;

  constructor(options: WebhookSinkOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      // URL's own message quotes the input, which may be a token.
      throw new TypeError(
        "webhook url is not a valid URL (value hidden: it may carry a token); give a full https:// URL",
      );
    }
    if (!isAllowedUrl(url)) {
      throw new TypeError(
        `webhook url ${url.protocol}//${url.hostname} is refused: use https:// (http:// only for 127.0.0.1, ::1 or localhost)`,
      );
    }
    checkPositiveInt("maxQueue", options.maxQueue);
    checkPositiveInt("retry.attempts", options.retry.attempts);
    checkNonNegative("retry.baseMs", options.retry.baseMs);
    checkNonNegative("retry.maxMs", options.retry.maxMs);
    checkPositive("timeoutMs", options.timeoutMs);
    this.#url = url.href;
    this.#label = `webhook ${url.origin}`;
    this.#headers = { ...options.headers };
    this.#redact = createRedactor([...(options.secrets ?? []), ...webhookSecrets(options.url, this.#headers)]);
    this.#queue = new Ring(options.maxQueue);
    this.#retry = { ...options.retry };
    this.#timeoutMs = options.timeoutMs;
    this.#minLevel = options.minLevel ?? "info";
    this.#format = options.format ?? ((n) => n);
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 5000;
    this.#onError = options.onError ?? ((m) => writeStderr(`notify: ${m}`));
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? abortableSleep;
    this.#random = options.random ?? Math.random;
  }

  notify(notification: Notification): void {
    try {
      if (this.#closed) {
        this.#stats.dropped++;
        return;
      }
      if (!passes(notification.level, this.#minLevel)) return;
      // Only a masked copy is made here (the caller may mutate its object later); validation and JSON
      // happen in the worker, off the trading path.
      if (this.#queue.push(this.#redact(notification))) this.#stats.dropped++;
      // Started on a microtask so `notify` never waits for fetch to begin.
      this.#worker ??= Promise.resolve().then(() => this.#drain());
    } catch (e) {
      this.#stats.failed++;
      this.#report(`notification refused: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async close(options: CloseOptions = {}): Promise<void> {
    this.#closed = true;
    const timeoutMs = options.timeoutMs ?? this.#closeTimeoutMs;
    if (this.#worker === undefined) return;
    const timer = setTimeout(() => this.#giveUp.abort(new Error("close deadline")), timeoutMs);
    try {
      await this.#worker;
    } finally {
      clearTimeout(timer);
    }
  }

  stats(): NotifierStats {
    return { ...this.#stats };
  }

  async #drain(): Promise<void> {
    try {
      for (let item = this.#queue.shift(); item !== undefined; item = this.#queue.shift()) {
        if (this.#giveUp.signal.aborted) {
          this.#stats.dropped += 1 + this.#queue.size;
          this.#report(`close deadline passed: ${1 + this.#queue.size} queued notification(s) dropped`);
          while (this.#queue.shift() !== undefined);
          break;
        }
        const body = this.#serialize(item);
        // One key per notification, the same on every attempt: a POST that timed out may still have arrived.
        if (body !== undefined) await this.#deliver(body, crypto.randomUUID());
      }
    } catch (e) {
      // A bug here must not become an unhandled rejection that stops the trading process.
      this.#report(`worker failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      // The loop only ends on an empty queue, synchronously, so no notify() can slip in between.
      this.#worker = undefined;
    }
  }

  /** The JSON body of a queued (masked) notification, or undefined when it is invalid (counted, reported). */
  #serialize(item: unknown): string | undefined {
    try {
      const prepared = validate(item);
      if (!prepared.ok) {
        this.#stats.failed++;
        this.#report(prepared.error);
        return undefined;
      }
      return JSON.stringify(this.#redact(this.#format(prepared.value)));
    } catch (e) {
      this.#stats.failed++;
      this.#report(`notification refused: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  async #deliver(body: string, key: string): Promise<void> {
    const { attempts, baseMs, maxMs } = this.#retry;
    for (let attempt = 0;; attempt++) {
      const outcome = await this.#post(body, key);
      if (outcome.kind === "ok") {
        this.#stats.sent++;
        return;
      }
      if (outcome.kind === "fatal" || attempt + 1 >= attempts) {
        this.#stats.failed++;
        const tried = `${attempt + 1} attempt${attempt === 0 ? "" : "s"}`;
        this.#report(`notification not delivered after ${tried}: ${outcome.reason}`);
        return;
      }
      const wait = outcome.waitMs !== undefined
        ? Math.min(outcome.waitMs, maxMs)
        : backoffMs(attempt, baseMs, maxMs, this.#random);
      try {
        await this.#sleep(wait, this.#giveUp.signal);
      } catch {
        this.#stats.failed++;
        this.#report(`notification not delivered: close deadline passed while waiting to retry (${outcome.reason})`);
        return;
      }
      this.#stats.retried++;
    }
  }

  async #post(body: string, key: string): Promise<Outcome> {
    if (this.#giveUp.signal.aborted) return { kind: "fatal", reason: "close deadline passed" };
    const request = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      request.abort(new Error("timeout"));
    }, this.#timeoutMs);
    const onGiveUp = (): void => request.abort(new Error("close deadline"));
    this.#giveUp.signal.addEventListener("abort", onGiveUp, { once: true });
    try {
      const res = await this.#fetch(this.#url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": key, ...this.#headers },
        body,
        signal: request.signal,
        redirect: "manual",
      });
      // The body is never needed; cancelling frees the connection.
      await res.body?.cancel().catch(() => {});
      if (res.status >= 200 && res.status < 300) return { kind: "ok" };
      const reason = `HTTP ${res.status}`;
      if (res.status === 429 || res.status >= 500) {
        return { kind: "retry", reason, waitMs: retryAfterMs(res.headers.get("retry-after"), Date.now()) };
      }
      const hint = res.status >= 300 && res.status < 400 ? " (redirects are not followed: give the final URL)" : "";
      return { kind: "fatal", reason: reason + hint };
    } catch (e) {
      if (this.#giveUp.signal.aborted) return { kind: "fatal", reason: "close deadline passed during the POST" };
      if (timedOut) return { kind: "retry", reason: `no answer within ${this.#timeoutMs} ms` };
      return { kind: "retry", reason: `network error: ${describeError(e)}` };
    } finally {
      clearTimeout(timer);
      this.#giveUp.signal.removeEventListener("abort", onGiveUp);
    }
  }

  #report(message: string): void {
    try {
      this.#onError(this.#redact(`${this.#label}: ${message}`) as string);
    } catch {
      // A failing reporter must not reach the trading path.
    }
  }
}

/** The message and its causes: fetch puts the useful part ("connection refused") and the full URL in `cause`. */
function describeError(e: unknown): string {
  const parts: string[] = [];
  for (let c: unknown = e, depth = 0; c !== undefined && c !== null && depth < 4; depth++) {
    parts.push(c instanceof Error ? c.message : String(c));
    c = c instanceof Error ? c.cause : undefined;
  }
  return parts.join(": ");
}

function isAllowedUrl(url: URL): boolean {
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && ["127.0.0.1", "[::1]", "localhost"].includes(url.hostname);
}

function checkPositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`webhook ${name} must be an integer >= 1, got ${v}`);
}

function checkPositive(name: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`webhook ${name} must be a number > 0, got ${v}`);
}

function checkNonNegative(name: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`webhook ${name} must be a number >= 0, got ${v}`);
}
