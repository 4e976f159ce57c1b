import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Client, StdioClientTransport } from "../lib/mcp/_sdk.ts";
import { samplesDataDir } from "../lib/mcp/tools/_data_testing.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Starts `deno task mcp`'s command as an MCP client would (a stripped environment, no write permission). */
function transport(dataDir: string): StdioClientTransport {
  return new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "--allow-read", "--allow-env", "--allow-ffi", "--allow-sys", "cli/mcp.ts", "--data-dir", dataDir],
    cwd: ROOT,
    stderr: "pipe",
  });
}

const text = (res: object): string => (res as { content: { text: string }[] }).content[0]!.text;

Deno.test("deno task mcp: the SDK client over stdio lists read-only tools and calls them; figures on stderr", async () => {
  const dataDir = await samplesDataDir();
  const t0 = performance.now();
  const t = transport(dataDir);
  let stderr = "";
  t.stderr?.on("data", (d: Uint8Array) => stderr += new TextDecoder().decode(d));
  const client = new Client({ name: "stdio-test", version: "1.0.0" });
  await client.connect(t);
  const tConnected = performance.now() - t0;
  try {
    const first = await client.callTool({ name: "list_datasets", arguments: {} });
    const tFirst = performance.now() - t0;
    assert.notEqual(first.isError, true, text(first));
    const n = (first.structuredContent as { datasets: unknown[] }).datasets.length;
    assert.ok(n >= 10, `${n} datasets`);

    const { tools } = await client.listTools();
    assert.ok(tools.length >= 6);
    assert.ok(tools.every((tool) => tool.annotations?.readOnlyHint === true && tool.outputSchema));

    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      await client.callTool({ name: "list_datasets", arguments: {} });
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const median = times[10]!;

    const capped = await client.callTool({ name: "get_candles", arguments: { series: "samples:SPX:1d", limit: 5000 } });
    assert.match(text(capped), /capped at 5000 of 5105 rows/);
    const bad = await client.callTool({ name: "get_candles", arguments: { series: "samples:SPX:1d", limit: 5001 } });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /limit/);
    const ind = await client.callTool({
      name: "compute_indicators",
      arguments: { series: "samples:SPX:1d", indicators: [{ name: "rsi", period: 14 }], limit: 3 },
    });
    assert.notEqual(ind.isError, true, text(ind));

    console.error(
      `mcp stdio: connect (spawn + initialize) ${tConnected.toFixed(0)} ms; start to first list_datasets answer ` +
        `${tFirst.toFixed(0)} ms; list_datasets warm median ${median.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, ` +
        `max ${times[19]!.toFixed(1)}) over ${n} series`,
    );
    assert.ok(median < 100, `list_datasets median ${median} ms`);
  } finally {
    await client.close();
  }
  assert.match(stderr, /serving .* read-only on stdio/);
});

Deno.test("deno task mcp --help prints usage and exits 0", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", "--allow-ffi", "--allow-sys", "cli/mcp.ts", "--help"],
    cwd: ROOT,
  }).output();
  assert.equal(out.code, 0);
  assert.match(new TextDecoder().decode(out.stdout), /Usage: deno task mcp/);
});
