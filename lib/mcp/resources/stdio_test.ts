// Resources and prompts through `deno task mcp` over stdio, with the task's own (narrower) permissions.

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Client, StdioClientTransport } from "../_sdk.ts";
import { researchDataDir } from "../tools/_research_testing.ts";
import { snapshot, textOf } from "./_testing.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

Deno.test("deno task mcp over stdio: resources list and read, prompts list and get, and the data dir stays byte-identical", async () => {
  const fx = await researchDataDir();
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)) as { tasks: Record<string, string> };
  const [deno, ...args] = config.tasks.mcp!.split(/\s+/);
  assert.equal(deno, "deno");
  const stderr: string[] = [];
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: [...args, "--data-dir", fx.dataDir],
    cwd: ROOT,
    env: { ...Deno.env.toObject(), NO_COLOR: "1" },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Uint8Array) => stderr.push(new TextDecoder().decode(chunk)));
  const client = new Client({ name: "stdio-resources-test", version: "1.0.0" });
  try {
    const before = await snapshot(fx.dataDir);
    await client.connect(transport);
    const ms: Record<string, number> = {};
    const timed = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await f();
      } finally {
        ms[label] = Math.round(performance.now() - t0);
      }
    };
    const { resources } = await timed("resources/list", () => client.listResources());
    assert.equal(resources.length, 2 * 2 + 2 * 2);
    const spx = "sentinel://datasets/samples%3ASPX%3A1d";
    const desc = JSON.parse(textOf(await timed("read dataset", () => client.readResource({ uri: spx }))));
    assert.equal(desc.series, "samples:SPX:1d");
    const csv = textOf(await timed("read candles.csv", () => client.readResource({ uri: `${spx}/candles.csv` })));
    assert.match(csv, /^# capped: the latest 5000 of \d{4} bars/);
    const run = JSON.parse(
      textOf(await timed("read run", () => client.readResource({ uri: `sentinel://runs/${fx.runId}` }))),
    );
    assert.equal(run.id, fx.runId);
    const trades = textOf(await timed("read trades.csv", () => client.readResource({ uri: run.trades })));
    assert.equal(trades.trimEnd().split("\n").length - 1, run.tradeCount);
    await assert.rejects(client.readResource({ uri: "sentinel://runs/nope" }), /no recorded run has the id "nope"/);

    const { prompts } = await client.listPrompts();
    assert.equal(prompts.length, 3);
    const review = await timed("get review_strategy", () =>
      client.getPrompt({
        name: "review_strategy",
        arguments: { strategy: "sma_cross", series: "samples:SPX:1d" },
      }));
    assert.match((review.messages[0]!.content as { text: string }).text, /`walk_forward` with/);
    const dd = await timed(
      "get explain_drawdown",
      () => client.getPrompt({ name: "explain_drawdown", arguments: { run: fx.runId } }),
    );
    assert.match((dd.messages[0]!.content as { text: string }).text, /worst drawdown: -/);
    const cmp = await timed(
      "get compare_runs",
      () => client.getPrompt({ name: "compare_runs", arguments: { first: fx.runId, second: fx.otherRunId } }),
    );
    assert.equal(cmp.messages.length, 3, "the text and a link to each run");
    console.log(`stdio: ${Object.entries(ms).map(([k, v]) => `${k} ${v} ms`).join(", ")}`);

    const after = await snapshot(fx.dataDir);
    assert.deepEqual([...after.keys()].filter((p) => !before.has(p)), [], "no file or folder appeared");
    for (const [path, hash] of before) assert.equal(after.get(path), hash, `${path} changed or vanished`);
    assert.doesNotMatch(stderr.join(""), /NotCapable|PermissionDenied|Requires .* access/);
  } finally {
    await client.close();
    await Deno.remove(fx.dataDir, { recursive: true });
  }
});
