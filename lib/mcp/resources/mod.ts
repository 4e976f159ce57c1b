/**
 * The read-only resources of the MCP server, one template per file: `sentinel://datasets/{series}` (a stored series'
 * description and quality report, JSON), `sentinel://datasets/{series}/candles.csv` (its latest bars, capped),
 * `sentinel://runs/{id}` (a recorded run's stats and manifest, JSON) and `sentinel://runs/{id}/trades.csv` (its
 * trades, capped). The series is percent-encoded in the URI (`encodeURIComponent`, as RFC 6570 simple expansion
 * does). {@link registerResources} is what `createMcpServer` calls; add a template with one line in
 * {@link ALL_RESOURCES}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Client, InMemoryTransport, McpServer } from "../_sdk.ts";
 * import { registerResources } from "./mod.ts";
 *
 * const dataDir = await Deno.makeTempDir();
 * const server = new McpServer({ name: "doc", version: "1.0.0" });
 * registerResources(server, { dataDir });
 * const [a, b] = InMemoryTransport.createLinkedPair();
 * await server.connect(a);
 * const client = new Client({ name: "doc", version: "1.0.0" });
 * await client.connect(b);
 * const { resourceTemplates } = await client.listResourceTemplates();
 * assert.ok(resourceTemplates.some((t) => t.uriTemplate === "sentinel://runs/{id}"));
 * await assert.rejects(client.readResource({ uri: "sentinel://runs/nope" }), /no recorded run/);
 * await client.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 * @module
 */
export * from "./register_resources.ts";
export * from "./dataset_resource.ts";
export * from "./dataset_candles_resource.ts";
export * from "./run_resource.ts";
export * from "./run_trades_resource.ts";
export type { ListedResource, McpResource, ResourceContext } from "./_resource.ts";
