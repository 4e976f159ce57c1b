import assert from "node:assert/strict";
import { ConfigError } from "../types/mod.ts";
import { costUsd } from "./price_table.ts";
import { createAgentRuntime, loadPriceTable } from "./mod.ts";

Deno.test("loadPriceTable: the data dir's prices.json overrides the built-in table; a bad file names the field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/agents`);
    const file = `${dir}/agents/prices.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({ "claude-sonnet-4-5": { input: 1, output: 2, cacheWrite: 3, cacheRead: 4 } }),
    );
    const prices = loadPriceTable({ dataDir: dir })!;
    const usage = { inputTokens: 1e6, outputTokens: 1e6, cacheReadTokens: 0, cacheWriteTokens: 0 };
    assert.equal(costUsd("claude-sonnet-4-5", usage, { prices }), 3);
    // The runtime picks it up by default.
    const rt = await createAgentRuntime({ dataDir: dir, storePath: ":memory:" });
    rt.close();
    await Deno.writeTextFile(file, JSON.stringify({ "claude-sonnet-4-5": { input: -1, output: 2, cacheWrite: 3 } }));
    assert.throws(() => loadPriceTable({ dataDir: dir }), (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /prices\.json.*input.*USD per million tokens/s);
      return true;
    });
    assert.throws(() => loadPriceTable({ path: `${dir}/missing.json` }), /cannot read the prices file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
