// Retry policy for exchange calls: which errors are transient, how long to wait.
import type ccxtModule from "ccxt";

/** The ccxt module, loaded lazily by the download so importing lib/data stays cheap. */
export type Ccxt = typeof ccxtModule;

/** A page the exchange answered with a body we refuse to store. Treated as transient. */
export class MalformedResponse extends Error {
  override name = "MalformedResponse";
}

/** How an error from an exchange call should be handled. */
export type ErrorClass = "transient" | "rateLimit" | "permanent" | "unknown";

/**
 * - `rateLimit`: ccxt `DDoSProtection` / `RateLimitExceeded` (Binance maps HTTP 418/429 to DDoSProtection).
 * - `transient`: other ccxt `OperationFailed` (NetworkError, RequestTimeout, ExchangeNotAvailable,
 *   OnMaintenance, BadResponse, NullResponse, Binance's -1001 "internal error") and
 *   {@link MalformedResponse}; also a `SyntaxError` (a body ccxt could not parse).
 * - `permanent`: any other ccxt error (BadSymbol, BadRequest, AuthenticationError, NotSupported,
 *   plain ExchangeError): retrying cannot help.
 * - `unknown`: not an exchange error at all (a bug); rethrown as is.
 */
export function classify(e: unknown, ccxt: Ccxt): ErrorClass {
  if (e instanceof ccxt.DDoSProtection || e instanceof ccxt.RateLimitExceeded) return "rateLimit";
  if (e instanceof ccxt.OperationFailed || e instanceof MalformedResponse || e instanceof SyntaxError) {
    return "transient";
  }
  if (e instanceof ccxt.BaseError) return "permanent";
  return "unknown";
}

/** Exponential backoff with full jitter: uniform in [0, min(maxMs, baseMs * 2^attempt)). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.min(maxMs, baseMs * 2 ** attempt) * random();
}

/**
 * Milliseconds from a `Retry-After` header (seconds or an HTTP date), or undefined when absent
 * or unreadable. ccxt does not put it on the error; it keeps the last response's headers in
 * `exchange.last_response_headers` (capitalised, `Retry-After`), set before errors are raised.
 */
export function retryAfterMs(headers: unknown, now: number): number | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  let raw: unknown;
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
    if (k.toLowerCase() === "retry-after") raw = v;
  }
  if (typeof raw !== "string" && typeof raw !== "number") return undefined;
  const text = String(raw).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Sleeps `ms`, rejecting with the signal's reason when it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
