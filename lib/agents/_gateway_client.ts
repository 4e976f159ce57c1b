import Anthropic from "@anthropic-ai/sdk";
import { anthropicKey } from "./anthropic_key.ts";

/** How to reach the API (shared by the gateway, the countTokens preflight and batches). */
export interface LlmClientOptions {
  /** The API key. Default {@link anthropicKey} (env `ANTHROPIC_API_KEY`, else the vault), read on the first call. */
  apiKey?: string;
  /** The API's base URL. Default: the SDK's (env `ANTHROPIC_BASE_URL`, else api.anthropic.com). */
  baseURL?: string;
  /** SDK retries of 408/409/429/5xx and connection errors. Default 2. */
  maxRetries?: number;
  /** Per-attempt timeout, ms. Default: the SDK's. */
  timeoutMs?: number;
  /** A custom fetch (tests, proxies). */
  fetch?: typeof fetch;
  /** The data dir whose vault holds the key. */
  dataDir?: string;
}

/** A client built on first use, with the key kept for redaction only. */
export interface LazyClient {
  get(): Promise<{ client: Anthropic; key: string }>;
  /** The key once read (for scrubbing error messages), else undefined. */
  key(): string | undefined;
}

/** Builds the SDK client on the first API call, so replay needs no key and reads no vault. */
export function lazyClient(options: LlmClientOptions): LazyClient {
  let pending: Promise<{ client: Anthropic; key: string }> | undefined;
  let key: string | undefined;
  return {
    get() {
      pending ??= (async () => {
        key = options.apiKey ?? await anthropicKey(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
        const client = new Anthropic({
          apiKey: key,
          maxRetries: options.maxRetries ?? 2,
          // Only when given, so the SDK's ANTHROPIC_BASE_URL default stays in force otherwise.
          ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
          ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
          ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        });
        return { client, key };
      })();
      pending.catch(() => pending = undefined);
      return pending;
    },
    key: () => key,
  };
}

/**
 * Removes the key from an error's message and stack in place (keeping its class, so an `APIError` subclass stays
 * one), in case a proxy or the SDK echoed it.
 */
export function scrubKey(error: unknown, key: string | undefined): unknown {
  if (!key || key.length < 4 || !(error instanceof Error)) return error;
  const scrub = (s: string) => s.split(key).join("[redacted]");
  if (error.message.includes(key)) error.message = scrub(error.message);
  if (error.stack?.includes(key)) error.stack = scrub(error.stack);
  return error;
}
