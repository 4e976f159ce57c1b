// Starting a fake's HTTP server on 127.0.0.1: the fakes share it so each binds and learns its port the same way.

/** Where {@link serveLoopback} listens, and what stops it. */
export interface ServeLoopbackOptions {
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  /** Aborting it stops the server. */
  signal: AbortSignal;
}

/** A server listening on 127.0.0.1. */
export interface LoopbackServer {
  server: Deno.HttpServer<Deno.NetAddr>;
  port: number;
  /** `http://127.0.0.1:<port>`. */
  url: string;
}

/** Serves `handler` on 127.0.0.1 and resolves once it listens, with the port it got. */
export async function serveLoopback(
  handler: Deno.ServeHandler<Deno.NetAddr>,
  options: ServeLoopbackOptions,
): Promise<LoopbackServer> {
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      signal: options.signal,
      onListen: (addr) => resolve(addr as Deno.NetAddr),
    },
    handler,
  );
  const { port } = await listening;
  return { server, port, url: `http://127.0.0.1:${port}` };
}
