import assert from "node:assert/strict";
import { runBacktest } from "../backtest/mod.ts";
import { replay } from "../audit/mod.ts";
import { readCsv } from "../data/read_csv.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import { smaCross } from "../strategies/mod.ts";
import { PaperRunner } from "./paper_runner.ts";
import { ReplayFeed } from "./replay_feed.ts";

const sample = async (name: string) => (await readCsv(new URL(`../../data/samples/${name}`, import.meta.url))).frame;

Deno.test("a replay through the runner fills exactly the backtest's orders (sma_cross, BTCUSD daily sample)", async () => {
  const frame = await sample("BTCUSD.ohlcv.csv");
  const dataDir = await Deno.makeTempDir();
  const options = { fee: 0.001, spread: 0.0005, finalize: "open" as const };
  using runner = await PaperRunner.open({
    account: "t1",
    dataDir,
    sleeves: [{ id: "s1", strategy: smaCross, params: { fast: 10, slow: 30 }, symbol: "BTC/USD", options }],
    risk: noLimitsRiskConfig(),
    startingCash: 10_000,
    mode: "replay",
    timeframe: "1d",
  });
  const summary = await runner.run(new ReplayFeed({ frames: { "BTC/USD": frame }, timeframe: "1d" }));
  const bt = await runBacktest({
    frame,
    strategy: smaCross,
    params: { fast: 10, slow: 30 },
    options: { ...options, cash: 10_000 },
  });
  const fills = runner.log.query({ kind: "order_filled", limit: 100_000 });
  assert.equal(fills.length, bt.orders.length);
  bt.orders.forEach((o, k) => {
    const f = fills[k]!;
    assert.equal(f.kind, "order_filled");
    if (f.kind !== "order_filled") return;
    assert.equal(f.payload.side, o.side, `order ${k}`);
    assert.equal(f.payload.qty, o.size, `order ${k} size`);
    assert.equal(f.payload.price, o.price, `order ${k} price`);
  });
  assert.equal(summary.equity, bt.finalEquity);
  const state = replay(runner.log.query({ limit: 1_000_000 }));
  assert.ok(Math.abs(state.equity - summary.equity) < 1e-6 * summary.equity);
});
