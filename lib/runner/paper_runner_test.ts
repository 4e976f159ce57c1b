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
  // The log alone rebuilds the runner's own state: the same position, the same cash to the last bit (one sleeve: the
  // same additions in the same order), the same equity.
  const state = replay(runner.log.query({ limit: 1_000_000 }));
  const [sleeve] = runner.sleeves();
  assert.deepEqual(
    state.positions.map((p) => [p.symbol, p.qty]),
    sleeve!.position ? [["BTC/USD", sleeve!.position]] : [],
  );
  assert.equal(state.cash, sleeve!.cash);
  assert.equal(state.equity, summary.equity);
});

Deno.test("an operator kill with flatten mid-run closes the position, denies the rest, and recovery replays it in place", async () => {
  const { AuditLog } = await import("../audit/mod.ts");
  const { randomBars } = await import("../testing/mod.ts");
  const dataDir = await Deno.makeTempDir();
  const frame = randomBars({ n: 300, seed: 5, stepMs: 3_600_000, volatility: 0.03 });
  const open = () =>
    PaperRunner.open({
      account: "ops",
      dataDir,
      sleeves: [{
        id: "s",
        strategy: smaCross,
        params: { fast: 2, slow: 6 },
        symbol: "X/USDT",
        options: { fee: 0.001 },
      }],
      risk: noLimitsRiskConfig(),
      startingCash: 10_000,
      mode: "replay",
      timeframe: "1h",
    });
  const inner = new ReplayFeed({ frames: { "X/USDT": frame }, timeframe: "1h" });
  let killedAt = -1;
  const feed = {
    symbols: inner.symbols,
    timeframe: inner.timeframe,
    async *batches(start: Parameters<ReplayFeed["batches"]>[0]) {
      let k = 0;
      for await (const b of inner.batches(start)) {
        yield b;
        // Once a position is open after bar 100, the operator pulls the kill switch from another process.
        if (++k > 100 && killedAt < 0 && runner.sleeves()[0]!.position !== 0) {
          using op = AuditLog.open({ dataDir, account: "ops" });
          op.append({ kind: "kill", runId: "operator", payload: { by: "operator", reason: "test", flatten: true } });
          killedAt = k;
        }
      }
    },
  };
  let runner = await open();
  const summary = await runner.run(feed);
  assert.ok(killedAt > 0);
  assert.equal(runner.risk.tradingState, "halted");
  assert.equal(runner.sleeves()[0]!.position, 0, "flattened");
  const events = runner.log.query({ limit: 100_000 });
  const ack = events.find((e) => e.kind === "config_change" && e.payload.target === "trading_state");
  assert.ok(ack, "the runner logged where the command took effect");
  assert.equal(events.filter((e) => e.kind === "kill").length, 1, "the operator's kill, and no rule kills after it");
  const flatten = events.filter((e) => e.kind === "risk_verdict" && e.payload.code === "flatten_on_kill");
  assert.equal(flatten.length, 1);
  const after = events.filter((e) => e.seq > flatten[0]!.seq && e.kind === "risk_verdict");
  assert.ok(after.length > 0 && after.every((e) => e.kind === "risk_verdict" && e.payload.code === "halted"));
  runner.close();

  // Restarted: the kill is re-applied between the same two batches, or the regenerated intents would not match.
  runner = await open();
  assert.equal(runner.risk.tradingState, "halted");
  assert.equal(runner.equity(), summary.equity);
  const again = await runner.run(new ReplayFeed({ frames: { "X/USDT": frame }, timeframe: "1h" }));
  assert.equal(again.batches, 0);
  runner.close();
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("a kill-level rule logs one kill when it halts the account; the denials after it are verdicts only", async () => {
  const { randomBars } = await import("../testing/mod.ts");
  const dataDir = await Deno.makeTempDir();
  const risk = noLimitsRiskConfig();
  risk.rules.symbols = { enabled: true, allow: null, deny: ["X/USDT"], level: "kill" };
  const frame = randomBars({ n: 200, seed: 7, stepMs: 3_600_000, volatility: 0.03 });
  using runner = await PaperRunner.open({
    account: "rk",
    dataDir,
    sleeves: [{ id: "s", strategy: smaCross, params: { fast: 2, slow: 6 }, symbol: "X/USDT" }],
    risk,
    startingCash: 10_000,
    mode: "replay",
    timeframe: "1h",
  });
  const s = await runner.run(new ReplayFeed({ frames: { "X/USDT": frame }, timeframe: "1h" }));
  const events = runner.log.query({ limit: 100_000 });
  const kills = events.filter((e) => e.kind === "kill");
  assert.equal(kills.length, 1);
  assert.equal(kills[0]!.kind === "kill" && kills[0]!.payload.by, "rule");
  assert.ok(s.denied > 1, "later entries are denied too");
  assert.equal(runner.risk.tradingState, "halted");
  await Deno.remove(dataDir, { recursive: true });
});
