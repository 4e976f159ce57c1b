import { Redis } from "ioredis";
import { redactRedisUrl } from "./redact_redis_url.ts";
import { RedisUnreachableError } from "./redis_unreachable_error.ts";

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /** Milliseconds to wait for the first connection. Default 3000. */
  connectTimeoutMs?: number;
  /** Keep reconnecting after a lost connection (workers: true). Default false: the first failure is reported. */
  reconnect?: boolean;
}

/**
 * Opens an ioredis connection to `url` (`redis://HOST:PORT[/DB]`) and waits until it answers PING. Without
 * `reconnect`, ioredis is told not to retry (no `retryStrategy`, no offline queue), so an unreachable server is one
 * {@link RedisUnreachableError} naming the URL (password hidden), not a stream of reconnect errors.
 * `maxRetriesPerRequest` is null, as BullMQ workers require.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { connectRedis, RedisUnreachableError } from "./mod.ts";
 * // Port 1 on loopback: nothing listens there.
 * await assert.rejects(connectRedis("redis://127.0.0.1:1", { connectTimeoutMs: 1000 }), RedisUnreachableError);
 * ```
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`redis URL ${JSON.stringify(redactRedisUrl(url))} is not a URL: give redis://HOST:PORT`);
  }
  if (parsed.protocol !== "redis:" || parsed.hostname === "") {
    throw new TypeError(`redis URL ${JSON.stringify(redactRedisUrl(url))} must look like redis://HOST:PORT`);
  }
  const reconnect = options.reconnect ?? false;
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    connectTimeout: options.connectTimeoutMs ?? 3000,
    lazyConnect: true,
    enableOfflineQueue: reconnect,
    retryStrategy: reconnect ? (times: number) => Math.min(times * 200, 2000) : () => null,
  });
  // ioredis emits "error" on every failed attempt; the first one is reported by connect() below.
  let last: Error | undefined;
  client.on("error", (e: Error) => (last = e));
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    const why = (last ?? e as Error)?.message ?? String(e);
    throw new RedisUnreachableError(
      `redis at ${redactRedisUrl(url)} is unreachable (${why}): start redis-server or fix the URL`,
    );
  }
  return client;
}
