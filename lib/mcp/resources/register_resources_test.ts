import assert from "node:assert/strict";
import { Frame } from "../../frame/mod.ts";
import { Store } from "../../store/mod.ts";
import { researchDataDir } from "../tools/_research_testing.ts";
import { closeReadOnlyStores } from "../tools/_series.ts";
import { CANDLES_RESOURCE_MAX_BARS } from "./dataset_candles_resource.ts";
import { datasetResource } from "./dataset_resource.ts";
import { RUN_RESOURCES_LISTED } from "./run_resource.ts";
import { ALL_RESOURCES } from "./register_resources.ts";
import { connectedClient, snapshot, textOf } from "./_testing.ts";

const BTC = "binance:BTC/USDT:1h";

/** The research fixture plus an hourly BTC/USDT series of `bars` bars (a name with ':' and '/'). */
async function fixture(bars = 6_000) {
  const fx = await researchDataDir();
  const ts = new Float64Array(bars), open = new Float64Array(bars), high = new Float64Array(bars);
  const low = new Float64Array(bars), close = new Float64Array(bars), volume = new Float64Array(bars);
  for (let i = 0; i < bars; i++) {
    ts[i] = Date.UTC(2024, 0, 1) + i * 3_600_000;
    open[i] = 40_000 + i;
    close[i] = 40_000 + i + 0.5;
    high[i] = close[i]! + 1;
    low[i] = open[i]! - 1;
    volume[i] = 1 + (i % 7);
  }
  using store = await Store.open({ dir: fx.dataDir });
  await store.append(
    { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" },
    new Frame(ts, { open, high, low, close, volume }),
  );
  return fx;
}

Deno.test("resources: list, templates and a read of each, through the SDK client, leave the data dir byte-identical", async () => {
  const fx = await fixture();
  try {
    const before = await snapshot(fx.dataDir);
    await using client = await connectedClient(fx.dataDir);

    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate), [
      "sentinel://datasets/{series}",
      "sentinel://datasets/{series}/candles.csv",
      "sentinel://runs/{id}",
      "sentinel://runs/{id}/trades.csv",
    ]);
    assert.deepEqual(resourceTemplates.map((t) => t.mimeType), ALL_RESOURCES.map((r) => r.mimeType));

    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    const btc = "sentinel://datasets/binance%3ABTC%2FUSDT%3A1h";
    for (
      const uri of [
        btc,
        `${btc}/candles.csv`,
        "sentinel://datasets/samples%3ASPX%3A1d",
        "sentinel://datasets/samples%3AGOOG%3A1d/candles.csv",
        `sentinel://runs/${fx.runId}`,
        `sentinel://runs/${fx.otherRunId}/trades.csv`,
      ]
    ) assert.ok(uris.includes(uri), `${uri} is listed`);
    assert.equal(resources.length, 3 * 2 + 2 * 2);
    assert.equal(resources.find((r) => r.uri === btc)?.name, BTC);

    // Round trip: every listed URI reads back, with its own URI and MIME type.
    for (const r of resources) {
      const res = await client.readResource({ uri: r.uri });
      assert.equal(res.contents.length, 1);
      assert.equal(res.contents[0]!.uri, r.uri);
      assert.equal(res.contents[0]!.mimeType, r.mimeType);
      assert.ok(textOf(res).length > 0);
    }

    const desc = JSON.parse(textOf(await client.readResource({ uri: btc })));
    assert.equal(desc.series, BTC);
    assert.equal(desc.bars, 6_000);
    assert.equal(desc.from, "2024-01-01T00:00:00.000Z");
    assert.equal(desc.quality.gapCount, 0);
    assert.equal(desc.provenance.series, BTC);
    assert.equal(desc.candles, `${btc}/candles.csv`);
    // The same as the URI built from the name.
    assert.equal(datasetResource.uri(BTC), btc);

    const csv = textOf(await client.readResource({ uri: `${btc}/candles.csv` })).trimEnd().split("\n");
    assert.match(csv[0]!, /^# capped: the latest 5000 of 6000 bars \(from 2024-02-11T16:00:00\.000Z\); get_candles/);
    assert.equal(csv[1], "time,open,high,low,close,volume");
    assert.equal(csv.length, 2 + CANDLES_RESOURCE_MAX_BARS);
    assert.equal(
      csv.at(-1),
      `${new Date(Date.UTC(2024, 0, 1) + 5_999 * 3_600_000).toISOString()},45999,46000.5,45998,45999.5,1`,
    );
    const goog = textOf(await client.readResource({ uri: "sentinel://datasets/samples%3AGOOG%3A1d/candles.csv" }));
    assert.ok(goog.startsWith("time,open,high,low,close,volume\n"), "an uncapped CSV has no note line");
    const googBars = JSON.parse(textOf(await client.readResource({ uri: "sentinel://datasets/samples%3AGOOG%3A1d" })));
    assert.equal(goog.trimEnd().split("\n").length - 1, googBars.bars);

    const run = JSON.parse(textOf(await client.readResource({ uri: `sentinel://runs/${fx.runId}` })));
    assert.equal(run.id, fx.runId);
    assert.equal(run.strategy, "sma_cross");
    assert.deepEqual(run.params, { fast: 10, slow: 50 });
    assert.ok(run.stats.some((s: { key: string }) => s.key === "sharpe"));
    assert.equal(typeof run.manifest.id, "string");
    assert.equal(run.provenance.runId, fx.runId);
    assert.equal(run.provenance.series, "samples:SPX:1d");
    assert.match(run.provenance.fill, /^next_open/);
    assert.equal(run.trades, `sentinel://runs/${fx.runId}/trades.csv`);

    const trades = textOf(await client.readResource({ uri: run.trades })).trimEnd().split("\n");
    assert.equal(
      trades[0],
      "asset,direction,entryTime,exitTime,entryPrice,exitPrice,size,pnl,return,fees,bars,exitReason",
    );
    assert.equal(trades.length - 1, run.tradeCount);
    assert.ok(run.tradeCount > 0);
    assert.match(trades[1]!, /^[^,]*,long,\d{4}-\d\d-\d\dT/);

    const after = await snapshot(fx.dataDir);
    assert.deepEqual([...after.keys()].filter((p) => !before.has(p)), [], "no file or folder appeared");
    for (const [path, hash] of before) assert.equal(after.get(path), hash, `${path} changed or vanished`);
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  }
});

Deno.test("resources: unknown series and runs, bad encodings and unknown URIs are MCP errors naming the URI and the fix", async () => {
  const fx = await fixture(10);
  try {
    await using client = await connectedClient(fx.dataDir);
    const read = (uri: string) => client.readResource({ uri });
    await assert.rejects(
      read("sentinel://datasets/kraken%3AETH%2FUSD%3A1h"),
      (e: Error) => {
        assert.match(e.message, /-32002/);
        assert.match(e.message, /Resource sentinel:\/\/datasets\/kraken%3AETH%2FUSD%3A1h not found/);
        assert.match(e.message, /"kraken:ETH\/USD:1h" is not stored; stored series: .*binance:BTC\/USDT:1h/);
        assert.match(e.message, /sentinel:\/\/datasets\/binance%3ABTC%2FUSDT%3A1h/);
        return true;
      },
    );
    await assert.rejects(
      read("sentinel://datasets/nocolons/candles.csv"),
      /exchange:SYMBOL:timeframe.*percent-encoded/,
    );
    await assert.rejects(read("sentinel://runs/0000000000"), (e: Error) => {
      assert.match(
        e.message,
        /Resource sentinel:\/\/runs\/0000000000 not found: no recorded run has the id "0000000000"/,
      );
      assert.match(e.message, /list_runs/);
      assert.doesNotMatch(e.message, new RegExp(fx.dataDir.replaceAll("/", "\\/")), "no server folder in the text");
      return true;
    });
    await assert.rejects(read("sentinel://runs/nope/trades.csv"), /no recorded run has the id "nope"/);
    await assert.rejects(read("sentinel://datasets/%E0%A4%A"), /is not valid percent-encoding; encode the series/);
    // A series written raw has a '/' the template cannot hold: the SDK names the URI.
    await assert.rejects(read("sentinel://datasets/binance:BTC/USDT:1h"), /binance:BTC\/USDT:1h not found/);
    await assert.rejects(read("sentinel://elsewhere/x"), /sentinel:\/\/elsewhere\/x not found/);
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  }
});

Deno.test("resources: completion of series and run ids; an empty data dir lists nothing and creates nothing", async () => {
  const fx = await fixture(10);
  const empty = await Deno.makeTempDir({ prefix: "mcp-res-empty-" });
  try {
    await using client = await connectedClient(fx.dataDir);
    const done = await client.complete({
      ref: { type: "ref/resource", uri: "sentinel://datasets/{series}" },
      argument: { name: "series", value: "bin" },
    });
    assert.deepEqual(done.completion.values, [BTC]);
    const ids = await client.complete({
      ref: { type: "ref/resource", uri: "sentinel://runs/{id}/trades.csv" },
      argument: { name: "id", value: fx.runId.slice(0, fx.runId.length - 2) },
    });
    assert.deepEqual(ids.completion.values, [fx.runId]);

    await using bare = await connectedClient(empty);
    assert.deepEqual((await bare.listResources()).resources, []);
    assert.equal((await bare.listResourceTemplates()).resourceTemplates.length, 4);
    assert.deepEqual([...Deno.readDirSync(empty)], []);
    assert.ok(RUN_RESOURCES_LISTED >= 100);
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
    await Deno.remove(empty, { recursive: true });
  }
});
