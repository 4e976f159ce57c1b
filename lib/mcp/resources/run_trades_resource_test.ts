import assert from "node:assert/strict";
import { closeReadOnlyStores } from "../tools/_series.ts";
import { TRADES_RESOURCE_MAX_TRADES } from "./run_trades_resource.ts";
import { connectedClient, manyTradesRun, textOf } from "./_testing.ts";

Deno.test("run trades resource: capped at the first 5000 trades with a note line, text quoted, NaN empty", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-trades-" });
  try {
    const id = await manyTradesRun(dataDir, TRADES_RESOURCE_MAX_TRADES + 7);
    await using client = await connectedClient(dataDir);
    const lines = textOf(await client.readResource({ uri: `sentinel://runs/${id}/trades.csv` })).trimEnd().split("\n");
    assert.equal(
      lines[0],
      `# capped: the first 5000 of 5007 trades; get_run with id=${id}, offset=5000 and limit up to 200 pages through ` +
        "the rest",
    );
    assert.equal(lines.length, 2 + TRADES_RESOURCE_MAX_TRADES);
    assert.match(
      lines[2]!,
      /^"WEIRD,NAME",long,2020-01-01T00:00:00\.000Z,2020-01-02T00:00:00\.000Z,100,101,1,1,0\.01,0,1,signal$/,
    );
    assert.match(lines[3]!, /^X,short,.*,1,,0,1,signal$/, "a NaN return is an empty cell");
    const run = JSON.parse(textOf(await client.readResource({ uri: `sentinel://runs/${id}` })));
    assert.equal(run.tradeCount, 5007);
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(dataDir, { recursive: true });
  }
});
