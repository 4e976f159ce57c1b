// /mcp through the SDK's own client over Streamable HTTP, against the lab served by Deno.serve on 127.0.0.1.
import assert from "node:assert/strict";
import { join } from "node:path";
import { Client, StreamableHTTPClientTransport } from "../mcp/_sdk.ts";
import { exerciseServer, firstText, TOOL_NAMES } from "../mcp/_client_testing.ts";
import { ALL_TOOLS, closeReadOnlyStores } from "../mcp/mod.ts";
import { researchDataDir, type ResearchDataDirOptions, type ResearchFixture } from "../mcp/tools/_research_testing.ts";
import { RunRegistry } from "../runs/mod.ts";
import { Store } from "../store/mod.ts";
import { Hono } from "hono";
import { z } from "zod";
import { defineTool, type McpTool } from "../mcp/mod.ts";
import { LabAuth } from "./_auth.ts";
import { mcpRoutes } from "./_mcp.ts";
import { createApp, type LabDeps } from "./create_app.ts";
import { JobQueue } from "./job_queue.ts";

const TOKEN = "test-token-0123456789abcdefghij";

interface Served {
  url: URL;
  fx: ResearchFixture;
  app: ReturnType<typeof createApp>;
  /** What the app was built from (store, runs, jobs). */
  deps: Pick<LabDeps, "store" | "runs" | "jobs">;
  close(): Promise<void>;
}

/** The lab over a research fixture, served on 127.0.0.1:0 as `deno task lab` does (the lab's own writable store). */
async function serveLab(deps: Partial<LabDeps> = {}, fixture: ResearchDataDirOptions = {}): Promise<Served> {
  const fx = await researchDataDir(fixture);
  const store = await Store.open({ dir: fx.dataDir });
  const runs = await RunRegistry.open({ dir: join(fx.dataDir, "_runs") });
  const jobs = new JobQueue();
  const app = createApp({ store, runs, jobs, ...deps });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  return {
    url: new URL(`http://127.0.0.1:${server.addr.port}/mcp`),
    fx,
    app,
    deps: { store, runs, jobs },
    async close() {
      await server.shutdown();
      await jobs.shutdown();
      await runs.close();
      store.close();
      await closeReadOnlyStores();
      await Deno.remove(fx.dataDir, { recursive: true });
    },
  };
}

async function connect(url: URL, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "http-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}

const INIT = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const MCP_HEADERS = { "Content-Type": "application/json", "Accept": "application/json, text/event-stream" };

Deno.test("/mcp on a loopback lab without a token: the SDK client lists every tool and calls each with good and bad arguments, capped, with sweep progress", async () => {
  const lab = await serveLab({}, { agentRun: true });
  const client = await connect(lab.url);
  try {
    const seen = await exerciseServer(client, lab.fx);
    assert.ok(seen.tools.length >= TOOL_NAMES.length);
    // Through a real client over HTTP: the issue's speed figures.
    const time = async (name: string, args: Record<string, unknown>): Promise<number> => {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const res = await client.callTool({ name, arguments: args });
        best = Math.min(best, performance.now() - t0);
        assert.notEqual(res.isError, true, firstText(res));
      }
      return best;
    };
    const list = await time("list_datasets", {});
    const bt = await time("run_backtest", { strategy: "sma_cross", series: "samples:SPX:1d" });
    assert.equal(seen.plotted, ALL_TOOLS.some((t) => t.name === "plot"), "plot answered with a PNG when registered");
    const plot = seen.plotted
      ? `, plot of a 5105-bar equity ${(await time("plot", { kind: "equity", run: lab.fx.runId })).toFixed(1)} ms`
      : " (no plot tool registered)";
    console.log(
      `over HTTP (best of 5): list_datasets ${list.toFixed(1)} ms, run_backtest on 5105 bars ${
        bt.toFixed(1)
      } ms${plot}`,
    );
  } finally {
    await client.close();
    await lab.close();
  }
});

Deno.test("/mcp: stateless GET and DELETE are 405; Host and Origin must be this machine on a loopback lab; no stack in errors", async () => {
  const lab = await serveLab();
  try {
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(lab.url, { method, headers: { Accept: "text/event-stream" } });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get("allow"), "POST");
      assert.equal(((await res.json()) as { error: { code: number } }).error.code, -32000);
    }
    // A page of another site that rebinds its name to 127.0.0.1 sends its own name as Host.
    const rebound = await lab.app.request("http://evil.example:8000/mcp", {
      method: "POST",
      headers: MCP_HEADERS,
      body: INIT,
    });
    assert.equal(rebound.status, 403);
    assert.match(((await rebound.json()) as { error: string }).error, /Host/);
    const crossOrigin = await fetch(lab.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, Origin: "https://evil.example" },
      body: INIT,
    });
    assert.equal(crossOrigin.status, 403);
    await crossOrigin.body?.cancel();
    const local = await fetch(lab.url, {
      method: "POST",
      headers: { ...MCP_HEADERS, Origin: "http://localhost:6274" },
      body: INIT,
    });
    assert.equal(local.status, 200, "a local page (the MCP Inspector) may call it");
    await local.body?.cancel();
    const garbage = await fetch(lab.url, { method: "POST", headers: MCP_HEADERS, body: "{not json" });
    assert.equal(garbage.status, 400);
    assert.doesNotMatch(await garbage.text(), /\n\s+at |file:\/\//);
    const html = await fetch(lab.url, { method: "POST", headers: { "Content-Type": "text/plain" }, body: INIT });
    assert.equal(html.status, 406, "an MCP POST must accept JSON and SSE");
    await html.body?.cancel();
  } finally {
    await lab.close();
  }
});

Deno.test("/mcp with a lab token: 401 without or with a wrong Bearer (backoff after three), 200 with it; never echoes the token", async () => {
  const lab = await serveLab({ token: TOKEN, security: { freeFailures: 3 } });
  try {
    const missing = await fetch(lab.url, { method: "POST", headers: MCP_HEADERS, body: INIT });
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get("www-authenticate"), 'Bearer realm="sentinel-lab"');
    assert.match(((await missing.json()) as { error: string }).error, /Authorization: Bearer/);
    await assert.rejects(
      () => connect(lab.url),
      (e: Error & { code?: number }) => e.code === 401 && /Authorization: Bearer/.test(e.message),
      "the SDK client without the token is refused",
    );
    const get = await fetch(lab.url, { headers: { Accept: "text/event-stream" } });
    assert.equal(get.status, 401, "GET needs the token too");
    await get.body?.cancel();

    const client = await connect(lab.url, { Authorization: `Bearer ${TOKEN}` });
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.length >= TOOL_NAMES.length);
      const res = await client.callTool({ name: "get_candles", arguments: { series: "samples:SPX:1d" } });
      assert.match(firstText(res), /Capped: capped at 500 of 5105 rows/);
    } finally {
      await client.close();
    }

    const wrong = TOKEN.slice(0, -1) + "X";
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(lab.url, {
        method: "POST",
        headers: { ...MCP_HEADERS, Authorization: `Bearer ${wrong}` },
        body: INIT,
      });
      statuses.push(res.status);
      const body = await res.text();
      assert.ok(!body.includes(TOKEN) && !body.includes(wrong), "the answer never echoes a token");
      if (res.status === 429) assert.ok(Number(res.headers.get("retry-after")) >= 1);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 429], "three free failures, then the lab's backoff");
  } finally {
    await lab.close();
  }
});

Deno.test("/mcp on a non-loopback lab: the token guards it (401 without or with a wrong Bearer, a lab without one never starts), so any Host name is served", async () => {
  const lab = await serveLab({ token: TOKEN, host: "0.0.0.0" });
  try {
    // The rest of the lab's rule beyond 127.0.0.1: it refuses to start without a token, so /mcp is never open there.
    assert.throws(() => createApp({ ...lab.deps, host: "0.0.0.0" }), /needs a token/);
    for (const auth of [undefined, `Bearer ${TOKEN.slice(0, -1)}X`, `Basic ${btoa(`x:${TOKEN}`)}`]) {
      const refused = await lab.app.request("http://lab.example.org:8000/mcp", {
        method: "POST",
        headers: { ...MCP_HEADERS, ...(auth ? { Authorization: auth } : {}) },
        body: INIT,
      });
      assert.equal(refused.status, 401, `Authorization: ${auth ?? "(none)"}`);
      assert.ok(!(await refused.text()).includes(TOKEN));
    }
    const res = await lab.app.request("http://lab.example.org:8000/mcp", {
      method: "POST",
      headers: { ...MCP_HEADERS, Authorization: `Bearer ${TOKEN}` },
      body: INIT,
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /"serverInfo"/);
  } finally {
    await lab.close();
  }
});

Deno.test("/mcp: a client that goes away mid-call aborts the tool (its ctx.signal), so a sweep stops working for nobody", async () => {
  const started = Promise.withResolvers<void>();
  const aborted = Promise.withResolvers<void>();
  const wait = defineTool({
    name: "wait",
    title: "Wait",
    description: "reports progress once, then waits until its call is aborted",
    input: z.strictObject({}),
    output: z.strictObject({}),
    async run(_args, ctx) {
      await ctx.progress(1, 2, "started");
      started.resolve();
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
      aborted.resolve();
      return { structured: {}, text: "aborted" };
    },
  });
  const app = new Hono().route(
    "/mcp",
    mcpRoutes({
      dataDir: "/nonexistent",
      auth: new LabAuth(undefined),
      host: "127.0.0.1",
      tools: [wait] as unknown as McpTool[],
    }),
  );
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  try {
    const call = JSON.stringify({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "wait", arguments: {}, _meta: { progressToken: "p" } },
    });
    const stop = new AbortController();
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/mcp`, {
      method: "POST",
      headers: { ...MCP_HEADERS, "MCP-Protocol-Version": "2025-06-18" },
      body: call,
      signal: stop.signal,
    });
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /notifications\/progress/, "the progress notification streams before the answer");
    await started.promise;
    stop.abort();
    await reader.cancel().catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<string>((resolve) => timer = setTimeout(() => resolve("timeout"), 5_000));
    assert.equal(await Promise.race([aborted.promise.then(() => "aborted"), timeout]), "aborted");
    clearTimeout(timer);
  } finally {
    await server.shutdown();
  }
});
