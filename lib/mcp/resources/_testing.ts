// Test helpers of the resources and prompts: a client connected in memory to a full server over a data dir, and a
// snapshot of a folder to show reads leave it byte-identical.

export { dirSnapshot as snapshot } from "../../testing/mod.ts";
import { join } from "node:path";
import { Client, InMemoryTransport } from "../_sdk.ts";
import { RunRegistry } from "../../runs/mod.ts";
import type { Trade } from "../../types/mod.ts";
import { createMcpServer } from "../create_mcp_server.ts";

/** A client connected to `createMcpServer({ dataDir })` in memory; `close` closes both ends. */
export async function connectedClient(dataDir: string): Promise<Client & AsyncDisposable> {
  const server = createMcpServer({ dataDir });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "resources-test", version: "1.0.0" });
  await client.connect(clientSide);
  return Object.assign(client, {
    async [Symbol.asyncDispose]() {
      await client.close();
      await server.close();
    },
  });
}

/** The text of the one content of a `resources/read` answer. */
export function textOf(res: { contents: readonly { uri: string; text?: unknown; mimeType?: string }[] }): string {
  const c = res.contents[0];
  if (c === undefined || typeof c.text !== "string") throw new Error("the answer has no text content");
  return c.text;
}

const DAY = 86_400_000;

/** A run recorded from raw input: `n` one-day trades on a rising equity curve (one asset name needs quoting). */
export async function manyTradesRun(dataDir: string, n: number): Promise<string> {
  const t0 = Date.UTC(2020, 0, 1);
  const trades: Trade[] = Array.from({ length: n }, (_, i) => ({
    asset: i === 0 ? "WEIRD,NAME" : "X",
    direction: i % 2 ? "short" : "long",
    entryIndex: i,
    exitIndex: i + 1,
    entryTs: t0 + i * DAY,
    exitTs: t0 + (i + 1) * DAY,
    entryPrice: 100,
    exitPrice: 101,
    size: 1,
    pnl: 1,
    return: i === 1 ? Number.NaN : 0.01,
    fees: 0,
    bars: 1,
    durationMs: DAY,
    exitReason: "signal",
  }));
  const ts = Float64Array.from({ length: n + 1 }, (_, i) => t0 + i * DAY);
  const equity = Float64Array.from({ length: n + 1 }, (_, i) => 1_000 + i);
  const runs = await RunRegistry.open({ dir: join(dataDir, "_runs") });
  try {
    const rec = await runs.record({
      kind: "single",
      series: ["x:X:1d"],
      strategy: "sma_cross",
      params: { fast: 10, slow: 50 },
      options: {},
      manifest: { id: "f".repeat(64), engine_version: "test" },
      stats: { total_return: n / 1_000, max_drawdown: 0 },
      equity: { ts, equity },
      trades,
    });
    return rec.id;
  } finally {
    await runs.close();
  }
}
