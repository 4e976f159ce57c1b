/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Port on 127.0.0.1. Default: a free port the OS picks (so parallel tests never share a server). */
  port?: number;
  /** The server binary. Default `redis-server` from `PATH`. */
  binary?: string;
  /** How long to wait for the first PONG before giving up. Default 10,000 ms. */
  readyTimeoutMs?: number;
}

/** A real `redis-server` started for a test; it keeps nothing on disk. */
export interface RedisServer {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Process id of the server. */
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 2 s) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * SIGKILLs the server at once, as a crash would, without waiting: for restart tests (start another on the same
   * `port`). Call {@link RedisServer.stop} afterwards to reap the process.
   */
  kill(): void;
  [Symbol.asyncDispose](): Promise<void>;
}

const NOT_INSTALLED = "redis-server is not installed (not on PATH): install it with " +
  "`apt-get install -y redis-server` (Debian; .ci/run does this), or pass `binary` to startRedisServer";

/**
 * Starts a real `redis-server` on 127.0.0.1 (`--save '' --appendonly no`: nothing is written to disk) and resolves
 * once it answers (as this very process: a server already on the port does not count). Tests that need Redis (BullMQ queues, the cluster) use it; on a machine without
 * `redis-server` it rejects naming the package to install, so a test never skips silently.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Redis } from "ioredis";
 * import { startRedisServer } from "./redis_server.ts";
 *
 * await using redis = await startRedisServer();
 * assert.match(redis.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
 * const client = new Redis(redis.url);
 * assert.equal(await client.ping(), "PONG");
 * await client.quit();
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  // A port picked by the OS can be taken again between our probe and the server's bind: retry on a new one.
  const attempts = options.port === undefined ? 5 : 1;
  let last: Error | undefined;
  for (let i = 0; i < attempts; i++) {
    const port = options.port ?? freePort();
    try {
      return await startOn(port, options);
    } catch (e) {
      last = e as Error;
      if (!(e instanceof PortInUse)) throw e;
    }
  }
  throw last;
}

class PortInUse extends Error {}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function startOn(port: number, options: RedisServerOptions): Promise<RedisServer> {
  const dir = await Deno.makeTempDir({ prefix: "sentinel-redis-" });
  const command = new Deno.Command(options.binary ?? "redis-server", {
    args: [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--logfile",
      "",
      "--daemonize",
      "no",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  let child: Deno.ChildProcess;
  try {
    child = command.spawn();
  } catch (e) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    if (e instanceof Deno.errors.NotFound) throw new Error(NOT_INSTALLED);
    throw e;
  }
  // The log is kept (last 8 KiB) only to explain a failed start; draining it keeps the pipe from filling up.
  let log = "";
  const keep = (chunk: string): void => {
    log = (log + chunk).slice(-8192);
  };
  const drained = Promise.all([drain(child.stdout, keep), drain(child.stderr, keep)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (!exited) trySignal(child, "SIGTERM");
      const timer = setTimeout(() => trySignal(child, "SIGKILL"), 2000);
      try {
        await status;
        await drained;
      } finally {
        clearTimeout(timer);
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    })();
    return stopped;
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  while (true) {
    if (exited) {
      await stop();
      if (/address already in use/i.test(log)) {
        throw new PortInUse(
          `redis-server could not listen on port ${port}: it is in use (leave \`port\` unset for a free one):\n${log.trim()}`,
        );
      }
      throw new Error(`redis-server exited before answering on port ${port}:\n${log.trim()}`);
    }
    if (await answers(port, child.pid)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `redis-server did not answer on port ${port} within ${options.readyTimeoutMs ?? 10_000} ms ` +
          `(raise readyTimeoutMs on a loaded machine):\n${log.trim()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    stop,
    kill: () => {
      if (!exited) trySignal(child, "SIGKILL");
    },
    [Symbol.asyncDispose]: stop,
  };
}

function trySignal(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch {
    // Already exited: nothing to stop.
  }
}

async function drain(stream: ReadableStream<Uint8Array>, keep: (chunk: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) keep(decoder.decode(chunk, { stream: true }));
}

/**
 * True once the server on `port` answers and is the process `pid`: another server already on the port (which
 * would make ours exit) must not pass for ours.
 */
async function answers(port: number, pid: number): Promise<boolean> {
  let conn: Deno.TcpConn | undefined;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new TextEncoder().encode("INFO server\r\n"));
    const buf = new Uint8Array(4096);
    const decoder = new TextDecoder();
    let got = "";
    while (!/process_id:\d+\r\n/.test(got)) {
      // `-LOADING` and the like mean it is up but not ready yet.
      if (got.startsWith("-") && got.includes("\r\n")) return false;
      const n = await conn.read(buf);
      if (n === null) return false;
      got += decoder.decode(buf.subarray(0, n), { stream: true });
    }
    return /process_id:(\d+)\r\n/.exec(got)?.[1] === String(pid);
  } catch {
    return false;
  } finally {
    try {
      conn?.close();
    } catch {
      // Closed by the server already.
    }
  }
}
