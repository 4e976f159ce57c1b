import assert from "node:assert/strict";
import { runBacktest } from "../backtest/mod.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import { prepareStrategy } from "../strategies/mod.ts";
import { randomBars } from "../testing/mod.ts";
import { PaperRunner } from "./paper_runner.ts";
import { ReplayFeed } from "./replay_feed.ts";
import { asyncToy } from "./_async_toy.ts";

const options = { fee: 0.001, spread: 0.0005, finalize: "open" as const, direction: "both" as const };

Deno.test("a replay through the paper runner of a strategy with prepare fills exactly the backtest's orders, and a restart awaits prepare", async () => {
  const frame = randomBars({ n: 300, seed: 11, stepMs: 3_600_000, volatility: 0.02 });
  const dataDir = await Deno.makeTempDir();
  const runnerToy = asyncToy();
  const open = (strategy = runnerToy.strategy) =>
    PaperRunner.open({
      account: "agent",
      dataDir,
      sleeves: [{ id: "s1", strategy, params: { lag: 3 }, symbol: "X/USDT", options }],
      risk: noLimitsRiskConfig(),
      startingCash: 10_000,
      mode: "replay",
      timeframe: "1h",
    });
  let fills;
  let equity;
  {
    using runner = await open();
    const summary = await runner.run(new ReplayFeed({ frames: { "X/USDT": frame }, timeframe: "1h" }));
    equity = summary.equity;
    fills = runner.log.query({ kind: "order_filled", limit: 100_000 });
  }
  assert.equal(runnerToy.log.prepared, frame.length, "one bar's work per bar");
  const btToy = asyncToy();
  await prepareStrategy(btToy.strategy, frame, { lag: 3 });
  const bt = await runBacktest({
    frame,
    strategy: btToy.strategy,
    params: { lag: 3 },
    options: { ...options, cash: 10_000 },
  });
  assert.ok(bt.orders.length > 10);
  assert.equal(fills.length, bt.orders.length);
  bt.orders.forEach((o, k) => {
    const f = fills[k]!;
    if (f.kind !== "order_filled") throw new Error(`event ${k} is ${f.kind}`);
    assert.equal(f.payload.side, o.side, `order ${k}`);
    assert.equal(f.payload.qty, o.size, `order ${k} size`);
    assert.equal(f.payload.price, o.price, `order ${k} price`);
  });
  assert.equal(equity, bt.finalEquity);
  // The position prepare was shown at each bar is the backtest's position through that bar (after its open fill).
  const posAt = new Map<number, number>();
  let pos = 0;
  const byIndex = new Map<number, number>();
  for (const o of bt.orders) byIndex.set(o.index, (byIndex.get(o.index) ?? 0) + (o.side === "buy" ? o.size : -o.size));
  for (let t = 0; t < frame.length; t++) {
    pos += byIndex.get(t) ?? 0;
    posAt.set(frame.ts[t]!, Math.abs(pos) < 1e-9 ? 0 : Math.sign(pos));
  }
  let checked = 0;
  for (const [ts, p] of runnerToy.log.positions) {
    assert.equal(p, posAt.get(ts), `position at ${new Date(ts).toISOString()}`);
    checked++;
  }
  assert.equal(checked, frame.length);
  // A restart re-executes the log through a fresh strategy (empty memo): recovery awaits prepare for every bar.
  const fresh = asyncToy();
  {
    using runner = await open(fresh.strategy);
    assert.equal(fresh.log.prepared, frame.length);
    assert.equal(runner.equity(), equity);
    assert.equal(runner.sleeves()[0]!.bars, frame.length);
  }
  await Deno.remove(dataDir, { recursive: true });
});
