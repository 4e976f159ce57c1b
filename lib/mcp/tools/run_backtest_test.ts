import assert from "node:assert/strict";
import { runBacktest } from "../../backtest/mod.ts";
import { Store } from "../../store/mod.ts";
import { RUN_BACKTEST_TRADE_CAP, runBacktestTool } from "./run_backtest.ts";
import { call, fakeContext, researchDataDir } from "./_research_testing.ts";
import { closeReadOnlyStores } from "./_series.ts";

const fx = await researchDataDir();
const { ctx } = fakeContext(fx.dataDir);

type Out = typeof runBacktestTool.output._zod.output;

Deno.test("run_backtest equals runBacktest on the stored series, with provenance from the manifest", async () => {
  const r = await call<Out>(runBacktestTool, {
    strategy: "sma_cross",
    params: { fast: 10, slow: 50 },
    options: { fee: 0.001, fill: "close" },
    series: "samples:SPX:1d",
  }, ctx);
  const store = await Store.open({ dir: fx.dataDir, readOnly: true });
  const frame = await store.read({ exchange: "samples", symbol: "SPX", timeframe: "1d" });
  store.close();
  const bt = await runBacktest({
    frame,
    strategy: "sma_cross",
    params: { fast: 10, slow: 50 },
    options: { fee: 0.001, fill: "close" },
    series: { exchange: "samples", symbol: "SPX", timeframe: "1d" },
    calendar: "weekdays",
  });
  const s = r.structured;
  assert.equal(s.finalEquity, bt.finalEquity);
  assert.equal(s.tradeCount, bt.trades.length);
  assert.equal(s.stats.find((x) => x.key === "sharpe")?.value, bt.stats.sharpe);
  assert.deepEqual(s.params, { fast: 10, slow: 50 });
  const p = s.provenance;
  assert.equal(p.series, "samples:SPX:1d");
  assert.equal(p.bars, frame.length);
  assert.equal(p.from, new Date(frame.ts[0]!).toISOString());
  assert.equal(p.manifestHash, bt.manifest.id);
  assert.match(p.fill!, /^close/);
  assert.match(p.costs!, /fee 0\.1% of notional/);
  assert.match(p.annualization!, /^252 periods per year/);
  assert.equal(p.engineVersion, bt.manifest.engine_version);
  assert.ok(p.quality && p.quality.length > 0);
  assert.match(r.text, /not recorded/);
});

Deno.test("run_backtest caps the trades at the first page and says so", async () => {
  const r = await call<Out>(runBacktestTool, {
    strategy: "sma_cross",
    params: { fast: 2, slow: 5 },
    series: "samples:SPX:1d",
  }, ctx);
  assert.ok(r.structured.tradeCount > RUN_BACKTEST_TRADE_CAP);
  assert.equal(r.structured.trades.length, RUN_BACKTEST_TRADE_CAP);
  assert.match(r.structured.provenance.capped!, /first 50 of \d+/);
  assert.match(r.text, /first 50 listed/);
});

Deno.test("run_backtest honours from/to", async () => {
  const r = await call<Out>(runBacktestTool, {
    strategy: "sma_cross",
    series: "samples:SPX:1d",
    from: "2010-01-01T00:00:00Z",
    to: "2012-01-01T00:00:00Z",
  }, ctx);
  const p = r.structured.provenance;
  assert.ok(p.from! >= "2010-01-01" && p.to! < "2012-01-01", `${p.from} .. ${p.to}`);
  assert.ok(p.bars! > 400 && p.bars! < 520);
});

Deno.test("run_backtest refuses bad arguments with the field and the fix", async () => {
  const bad = async (args: Record<string, unknown>, re: RegExp) =>
    await assert.rejects(
      () => call(runBacktestTool, { strategy: "sma_cross", series: "samples:SPX:1d", ...args }, ctx),
      re,
    );
  await bad({ strategy: "nope" }, /strategy: unknown strategy "nope"; use one of .*sma_cross/);
  await bad(
    { series: "samples:NOPE:1d" },
    /series: "samples:NOPE:1d" is not stored; stored series: samples:GOOG:1d, samples:SPX:1d/,
  );
  await bad({ series: "nocolons" }, /series: Invalid series "nocolons": write it as exchange:SYMBOL:timeframe/);
  await bad({ params: { fast: 50, slow: 10 } }, /params: /);
  await bad({ params: { fats: 5 } }, /params: .*unknown param "fats".*params are fast, slow/);
  await bad({ options: { fee: -1 } }, /options: Invalid backtest options:\s+fee: /);
  await bad({ options: { stoploss: 0.1 } }, /options: [\s\S]*Unrecognized key: "stoploss"/);
  await bad({ from: "yesterday" }, /from: "yesterday" is not a date; use ISO UTC/);
  await bad({ from: "2030-01-01", to: "2031-01-01" }, /from\/to: no bars of samples:SPX:1d .* it has bars from/);
  await bad({ from: "2012-01-01", to: "2011-01-01" }, /from 2012-01-01 is not before to 2011-01-01/);
  // Code is never an argument: the strict schema refuses unknown keys.
  await bad({ code: "Deno.exit()" }, /code/);
});

Deno.test("run_backtest on 5,000 daily bars through the tool (timing)", async () => {
  const args = runBacktestTool.input.parse({ strategy: "sma_cross", series: "samples:SPX:1d" });
  await runBacktestTool.run(args, ctx); // warm
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const r = await runBacktestTool.run(args, ctx);
    times.push(performance.now() - t0);
    assert.ok(r.structured.provenance.bars! >= 5_000);
  }
  times.sort((a, b) => a - b);
  console.log(`run_backtest, 5,000+ daily bars: median ${times[5]!.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms`);
});

Deno.test({
  name: "cleanup",
  fn: async () => {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  },
});
