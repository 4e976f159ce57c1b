import type { Registry } from "prom-client";

/** Options of {@link serveMetrics}. */
export interface ServeMetricsOptions {
  /** What `/metrics` exposes. */
  registry: Registry;
  /** TCP port; 0 picks a free one (read it from `server.addr`). */
  port: number;
  /** A loopback address (default 127.0.0.1): the endpoint has no token, so it is never offered beyond this machine. */
  hostname?: string;
  /** Stops the server when aborted. */
  signal?: AbortSignal;
  /** Called once listening (default: silent). */
  onListen?: (addr: Deno.NetAddr) => void;
}

function loopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Serves `GET /metrics` (prom-client's exposition and content type) on a loopback address: a runner's own scrape
 * endpoint (`deno task paper --metrics-port N`). Anything else is a 404, another method a 405. A Prometheus on
 * another machine scrapes through an SSH tunnel or the lab's token-protected `/metrics`; a non-loopback `hostname`
 * is refused with a RangeError.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Registry } from "prom-client";
 * import { RunnerMetrics, serveMetrics } from "./mod.ts";
 * const m = new RunnerMetrics({ account: "paper-1", registry: new Registry() });
 * const server = serveMetrics({ registry: m.registry, port: 0 });
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/metrics`);
 * assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0.0.4/);
 * assert.match(await res.text(), /sentinel_trading_state\{account="paper-1",state="active"\} 1/);
 * await server.shutdown();
 * ```
 */
export function serveMetrics(options: ServeMetricsOptions): Deno.HttpServer<Deno.NetAddr> {
  const hostname = options.hostname ?? "127.0.0.1";
  if (!loopback(hostname)) {
    throw new RangeError(
      `the metrics endpoint has no token, so it listens on loopback only; got hostname ${JSON.stringify(hostname)}: ` +
        `use 127.0.0.1 (and an SSH tunnel, or the lab's /metrics with its token, from another machine)`,
    );
  }
  if (!(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65_535)) {
    throw new RangeError(`metrics port must be an integer 0-65535, got ${options.port}`);
  }
  const registry = options.registry;
  return Deno.serve({
    hostname,
    port: options.port,
    signal: options.signal,
    onListen: options.onListen ?? (() => {}),
  }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path !== "/metrics") return new Response("not found: the metrics are at /metrics\n", { status: 404 });
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("method not allowed: GET /metrics\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    const body = await registry.metrics();
    return new Response(req.method === "HEAD" ? null : body, {
      headers: { "content-type": registry.contentType, "cache-control": "no-store" },
    });
  });
}
