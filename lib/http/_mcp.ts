// /mcp: the read-only MCP research server (lib/mcp) over Streamable HTTP, stateless: each POST gets a fresh server and
// transport, answered as JSON or as a server-sent-event stream (progress notifications of a sweep travel on it).
import { Hono } from "hono";
import { createMcpServer, type McpTool } from "../mcp/mod.ts";
import { WebStandardStreamableHTTPServerTransport } from "../mcp/_sdk.ts";
import { clientAddress, isLoopback, type LabAuth } from "./_auth.ts";
import { HttpError } from "./_errors.ts";

/** What the `/mcp` sub-app needs from the lab. */
export interface McpRouteOptions {
  /** The data dir the tools read (the lab store's folder). */
  dataDir: string;
  /** The lab's token and backoff: with a token, every request needs `Authorization: Bearer <token>`. */
  auth: LabAuth;
  /** The address the lab listens on: on a loopback one, Host and Origin must name this machine too. */
  host: string;
  /** The tools served; default every tool of lib/mcp (tests pass their own). */
  tools?: readonly McpTool[];
}

// Stateless: no session to resume (GET) or end (DELETE), so the spec's answer is 405 with the methods that work.
const METHOD_NOT_ALLOWED = JSON.stringify({
  jsonrpc: "2.0",
  error: { code: -32000, message: "Method not allowed: this MCP endpoint is stateless; send JSON-RPC with POST" },
  id: null,
});

/**
 * The `/mcp` sub-app. Checks run before the SDK sees the request: DNS rebinding (on a loopback lab, a Host or Origin
 * that is not this machine is a page of another site reaching the lab through the browser: 403), the token (Bearer
 * only; a session cookie is a browser's, not an MCP client's; failures count towards the lab's backoff), then the
 * method. Errors go through the app's `onError`.
 */
export function mcpRoutes(options: McpRouteOptions): Hono {
  const { dataDir, auth, tools } = options;
  const loopback = isLoopback(options.host);
  const app = new Hono();

  app.use(async (c, next) => {
    if (loopback) {
      // Deno.serve builds the URL from the Host header; in-process requests (`app.request`) have only the URL.
      const host = hostnameOf(c.req.header("host") ?? new URL(c.req.url).host);
      if (host === undefined || !isLoopback(host)) {
        throw new HttpError(
          403,
          "the Host header must name this machine (127.0.0.1, localhost or [::1]) on a local lab",
        );
      }
      const origin = c.req.header("origin");
      if (origin !== undefined && !loopbackOrigin(origin)) {
        throw new HttpError(
          403,
          "cross-origin requests to /mcp are refused on a local lab; call it from an MCP client",
        );
      }
    }
    if (auth.token !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
      // A missing header is not a guess: it is refused without counting towards the backoff, as on the other routes.
      if (m === null || !(await auth.verify(clientAddress(c), m[1]!))) {
        throw new HttpError(401, "this lab's /mcp requires its token: send Authorization: Bearer <token>");
      }
    }
    await next();
  });

  app.post("/", async (c) => {
    const server = createMcpServer({ dataDir, ...(tools ? { tools } : {}) });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await server.connect(transport);
    const close = (): void => void server.close().catch(() => {});
    let res: Response;
    try {
      res = await transport.handleRequest(c.req.raw);
    } catch (e) {
      close();
      throw e;
    }
    if (res.body === null) {
      close();
      return res;
    }
    return new Response(closingWhenDone(res.body, close), res);
  });

  app.on(["GET", "DELETE"], "/", () =>
    new Response(METHOD_NOT_ALLOWED, {
      status: 405,
      headers: { "Allow": "POST", "Content-Type": "application/json" },
    }));
  return app;
}

/**
 * `body`, calling `done` once it has been read to the end or the client went away. Closing the server then aborts a
 * tool still running (its `ctx.signal`), so a disconnected client does not keep a sweep busy.
 */
function closingWhenDone(body: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done: end } = await reader.read();
        if (end) {
          controller.close();
          done();
        } else controller.enqueue(value);
      } catch (e) {
        controller.error(e);
        done();
      }
    },
    async cancel(reason) {
      done();
      await reader.cancel(reason).catch(() => {});
    },
  });
}

function hostnameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return new URL(`http://${header}`).hostname;
  } catch {
    return undefined;
  }
}

function loopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && isLoopback(url.hostname);
  } catch {
    return false;
  }
}
