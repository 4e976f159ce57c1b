import assert from "node:assert/strict";
import { simulate } from "./simulate.ts";
import { flat, near, ohlc, prng, randomFrame, sig } from "./_testing.ts";
import { Frame } from "../frame/mod.ts";
import type { SignalSet } from "../types/mod.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";

// Every expected value below is worked by hand in the comments (no engine output is pasted in).

Deno.test("fee on both sides: all-in buys cash / (price * (1 + fee)) and cash ends at 0", () => {
  const r = simulate(flat([100, 100, 120]), sig([1, 0, 0], [0, 0, 1]), { fill: "close", fee: 0.01, cash: 1000 });
  // units = 1000 / (100 * 1.01) = 9.900990099; notional 990.0990099, fee 9.900990099, cash 0.
  const units = 1000 / 101;
  near(r.orders[0]!.size, units);
  near(r.orders[0]!.fee, 9.900990099009901);
  near(r.cash[0]!, 0, 1e-12);
  // Exit: 9.900990099 * 120 = 1188.118812, fee 11.88118812 -> cash 1176.237624 = 1000 / 1.01 * 1.2 * 0.99.
  near(r.finalEquity, (1000 / 1.01) * 1.2 * 0.99);
  const t = r.trades[0]!;
  near(t.fees, 9.900990099009901 + 11.881188118811881);
  near(t.pnl, 176.23762376237624);
  near(t.return, 176.23762376237624 / 990.0990099009901);
  near(r.feesPaid, t.fees);
  assert.equal(t.exitReason, "signal");
  // Held at the close of bars 0 and 1 -> exposure 2/3. Turnover: (990.099 + 1188.119) / mean(990.099, 990.099, 1176.238).
  near(r.exposure, 2 / 3);
  near(r.turnover, (990.0990099009901 + 1188.1188118811881) / ((990.0990099009901 * 2 + 1176.2376237623762) / 3));
});

Deno.test("fixedFee is subtracted from the budget first and paid on exit too", () => {
  const r = simulate(flat([100, 110]), sig([1, 0], [0, 0]), { fill: "close", fixedFee: 10, cash: 1000 });
  // units = (1000 - 10) / 100 = 9.9; finalize at 110: 9.9 * 110 = 1089, minus 10 -> 1079.
  near(r.orders[0]!.size, 9.9);
  near(r.finalEquity, 1079);
  assert.equal(r.trades[0]!.exitReason, "end");
  near(r.feesPaid, 20);
});

Deno.test("spread: buys pay price * (1 + spread/2), sells get price * (1 - spread/2)", () => {
  const r = simulate(flat([100, 100]), sig([1, 0], [0, 1]), { fill: "close", spread: 0.02, cash: 1000 });
  // Buy at 101, sell at 99: 1000 * 99 / 101 = 980.1980198.
  near(r.orders[0]!.price, 101);
  near(r.orders[1]!.price, 99);
  near(r.finalEquity, (1000 * 99) / 101);
});

Deno.test("slippage adds to the half spread, adverse on both sides", () => {
  const r = simulate(flat([100, 100]), sig([1, 0], [0, 1]), {
    fill: "close",
    spread: 0.02,
    slippage: 0.01,
    cash: 1000,
  });
  // Buy at 100 * (1 + 0.01 + 0.01) = 102, sell at 100 * (1 - 0.01 - 0.01) = 98.
  near(r.orders[0]!.price, 102);
  near(r.orders[1]!.price, 98);
  near(r.finalEquity, (1000 * 98) / 102);
});

Deno.test("next_open fills at the next bar's open; close fills at the signal bar's close", () => {
  const f = ohlc([[100, 100, 100, 100], [105, 110, 105, 110], [120, 125, 120, 125], [130, 140, 130, 140]]);
  const s = sig([1, 0, 0, 0], [0, 1, 0, 0]);
  const c = simulate(f, s, { fill: "close", cash: 1000 });
  // Buy at close 100 (bar 0), sell at close 110 (bar 1): 1100.
  assert.deepEqual(c.orders.map((o) => [o.index, o.ts, o.price]), [[0, 0, 100], [1, 60_000, 110]]);
  near(c.finalEquity, 1100);
  const n = simulate(f, s, { fill: "next_open", cash: 1000 });
  // Buy at open 105 (bar 1), sell at open 120 (bar 2): 1000 * 120 / 105 = 1142.857.
  assert.deepEqual(n.orders.map((o) => [o.index, o.ts, o.price]), [[1, 60_000, 105], [2, 120_000, 120]]);
  near(n.finalEquity, (1000 * 120) / 105);
  // Bar 1 is marked at its close: 1000/105 units * 110.
  near(n.equity[1]!, (1000 / 105) * 110);
});

Deno.test("a signal on the last bar does nothing with next_open; with close it fills and finalize closes it", () => {
  const s = sig([0, 0, 1], [0, 0, 0]);
  const n = simulate(flat([100, 100, 100]), s, { cash: 1000 });
  assert.equal(n.orders.length, 0);
  assert.equal(n.finalEquity, 1000);
  const c = simulate(flat([100, 100, 100]), s, { fill: "close", cash: 1000 });
  assert.deepEqual(c.orders.map((o) => o.reason), ["entry", "end"]);
  assert.equal(c.finalEquity, 1000);
});

Deno.test("lot rounds units down; rounding to zero is skipped and counted", () => {
  const r = simulate(flat([30, 30]), sig([1, 0], [0, 0]), { fill: "close", lot: 1, cash: 1000, finalize: "open" });
  // 1000 / 30 = 33.33 -> 33 units, 10 left in cash.
  assert.equal(r.orders[0]!.size, 33);
  near(r.cash[0]!, 10);
  const z = simulate(flat([1500, 1500]), sig([1, 0], [0, 0]), { fill: "close", lot: 1, cash: 1000 });
  // 1000 / 1500 = 0.67 -> 0 lots.
  assert.equal(z.orders.length, 0);
  assert.deepEqual(z.skipped, { minNotional: 0, lotZero: 1, insufficientCash: 0, missingBar: 0 });
  const l = simulate(flat([4, 4]), sig([1, 0], [0, 0]), { fill: "close", lot: 0.5, cash: 10, finalize: "open" });
  // 10 / 4 = 2.5 -> exactly 5 lots of 0.5.
  assert.equal(l.orders[0]!.size, 2.5);
});

Deno.test("minNotional skips small entries and counts them", () => {
  const r = simulate(flat([100, 100]), sig([1, 0], [0, 0]), {
    fill: "close",
    size: { kind: "cash", value: 50 },
    minNotional: 100,
  });
  // 50 / 100 = 0.5 units, notional 50 < 100.
  assert.equal(r.orders.length, 0);
  assert.equal(r.skipped.minNotional, 1);
});

Deno.test("fraction, cash and units sizing", () => {
  const s = sig([1, 0], [0, 0]);
  const opt = { fill: "close", cash: 1000, finalize: "open" } as const;
  // fraction 0.5 of 1000 at 100 -> 5 units, 500 cash left.
  const f = simulate(flat([100, 100]), s, { ...opt, size: { kind: "fraction", value: 0.5 } });
  assert.equal(f.orders[0]!.size, 5);
  assert.equal(f.cash[0], 500);
  // cash 200 with fee 1%: 200 / (100 * 1.01) = 1.980198 units, spending exactly 200.
  const c = simulate(flat([100, 100]), s, { ...opt, fee: 0.01, size: { kind: "cash", value: 200 } });
  near(c.orders[0]!.size, 200 / 101);
  near(c.cash[0]!, 800);
  // 3 units at 100 -> 300 spent.
  const u = simulate(flat([100, 100]), s, { ...opt, size: { kind: "units", value: 3 } });
  assert.equal(u.orders[0]!.size, 3);
  assert.equal(u.cash[0], 700);
  // 20 units cost 2000 > 1000: skipped as insufficient cash; so is a cash budget above the cash.
  const big = simulate(flat([100, 100]), s, { ...opt, size: { kind: "units", value: 20 } });
  const bigCash = simulate(flat([100, 100]), s, { ...opt, size: { kind: "cash", value: 1001 } });
  assert.equal(big.skipped.insufficientCash, 1);
  assert.equal(bigCash.skipped.insufficientCash, 1);
  assert.equal(big.orders.length + bigCash.orders.length, 0);
});

Deno.test("short: all-in short sells equity / (price * (1 + fee)) units; cash grows by the proceeds", () => {
  const r = simulate(flat([100, 90, 90]), sig([1, 0, 0], [0, 1, 0]), {
    fill: "close",
    direction: "short",
    fee: 0.01,
    cash: 1000,
  });
  // units = 1000 / 101 = 9.90099; proceeds 990.099 - fee 9.90099 -> cash 1980.198, position -9.90099.
  near(r.position[0]!, -1000 / 101);
  near(r.cash[0]!, 1000 + 990.0990099009901 - 9.900990099009901);
  near(r.equity[0]!, r.cash[0]! - (1000 / 101) * 100);
  // Cover at 90: pay 891.089 + fee 8.91089 -> 1980.198 - 900 = 1080.198.
  near(r.finalEquity, 1980.1980198019803 - (1000 / 101) * 90 * 1.01);
  assert.equal(r.trades[0]!.direction, "short");
  near(r.trades[0]!.pnl, 990.0990099009901 - 891.0891089108911 - 9.900990099009901 - 8.910891089108912);
});

Deno.test("direction both: an opposite entry reverses in one fill step (exit reason reversal)", () => {
  const r = simulate(flat([100, 80, 90, 100]), sig([0, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]), {
    fill: "close",
    direction: "both",
    cash: 1000,
  });
  // Short 10 at 100 (cash 2000). Bar 1: cover at 80 (cash 1200, pnl +200), buy 1200 / 80 = 15.
  // Finalize at 100: 15 * 100 = 1500 (long pnl +300).
  assert.deepEqual(r.orders.map((o) => [o.index, o.side, o.size, o.reason]), [
    [0, "sell", 10, "entry"],
    [1, "buy", 10, "reversal"],
    [1, "buy", 15, "entry"],
    [3, "sell", 15, "end"],
  ]);
  assert.deepEqual(r.trades.map((t) => [t.direction, t.pnl, t.exitReason]), [
    ["short", 200, "reversal"],
    ["long", 300, "end"],
  ]);
  assert.equal(r.finalEquity, 1500);
  // Long-only ignores the short entries.
  assert.equal(simulate(flat([100, 80, 90, 100]), sig([0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0])).orders.length, 0);
  // "both" without short entries is an error that says what to do.
  assert.throws(() => simulate(flat([1]), sig([0], [0]), { direction: "both" }), /needs signals.shortEntries/);
});

Deno.test("flat with entry and exit on the same bar does nothing; no pyramiding", () => {
  const r = simulate(flat([100, 100, 100]), sig([1, 1, 0], [1, 0, 0]), { fill: "close", finalize: "open" });
  // Bar 0 conflicts; bar 1 enters; nothing else.
  assert.equal(r.orders.length, 1);
  assert.equal(r.orders[0]!.index, 1);
});

const stopBars = (bar1: [number, number, number, number]) => ohlc([[100, 100, 100, 100], bar1, [95, 95, 95, 95]]);

Deno.test("stop-loss fills at the stop level", () => {
  // Entry at close 100; stop 10% -> 90; bar 1 trades down to 85 -> out at 90.
  const r = simulate(stopBars([98, 99, 85, 95]), sig([1, 0, 0], [0, 0, 0]), {
    fill: "close",
    stopLoss: 0.1,
    cash: 1000,
  });
  assert.deepEqual([r.trades[0]!.exitIndex, r.trades[0]!.exitPrice, r.trades[0]!.exitReason], [1, 90, "stop_loss"]);
  assert.equal(r.finalEquity, 900);
});

Deno.test("take-profit fills at the target", () => {
  // Target 20% -> 120; bar 1 high 125 -> out at 120.
  const r = simulate(stopBars([101, 125, 99, 110]), sig([1, 0, 0], [0, 0, 0]), {
    fill: "close",
    takeProfit: 0.2,
    cash: 1000,
  });
  assert.deepEqual([r.trades[0]!.exitPrice, r.trades[0]!.exitReason], [120, "take_profit"]);
  assert.equal(r.finalEquity, 1200);
});

Deno.test("stop and take-profit in one bar: the stop is assumed first", () => {
  const r = simulate(stopBars([100, 125, 85, 110]), sig([1, 0, 0], [0, 0, 0]), {
    fill: "close",
    stopLoss: 0.1,
    takeProfit: 0.2,
    cash: 1000,
  });
  assert.deepEqual([r.trades[0]!.exitPrice, r.trades[0]!.exitReason], [90, "stop_loss"]);
});

Deno.test("a gap through the stop fills at the open, not at the stop price", () => {
  // Stop at 90, bar 1 opens at 80.
  const r = simulate(stopBars([80, 82, 78, 81]), sig([1, 0, 0], [0, 0, 0]), {
    fill: "close",
    stopLoss: 0.1,
    cash: 1000,
  });
  assert.deepEqual([r.trades[0]!.exitPrice, r.trades[0]!.exitReason], [80, "stop_loss"]);
  assert.equal(r.finalEquity, 800);
});

Deno.test("trailing stop trails the highest high of earlier bars", () => {
  const f = ohlc([[100, 100, 100, 100], [100, 120, 105, 115], [115, 116, 107, 110], [110, 110, 110, 110]]);
  const r = simulate(f, sig([1, 0, 0, 0], [0, 0, 0, 0]), { fill: "close", trailingStop: 0.1, cash: 1000 });
  // Bar 1: level 100 * 0.9 = 90, low 105 holds; best becomes 120. Bar 2: level 108, low 107 -> out at 108.
  assert.deepEqual([r.trades[0]!.exitIndex, r.trades[0]!.exitPrice, r.trades[0]!.exitReason], [
    2,
    108,
    "trailing_stop",
  ]);
  assert.equal(r.finalEquity, 1080);
});

Deno.test("short stop-loss and take-profit mirror the long ones", () => {
  const sl = simulate(stopBars([101, 115, 100, 105]), sig([1, 0, 0], [0, 0, 0]), {
    fill: "close",
    direction: "short",
    stopLoss: 0.1,
    cash: 1000,
  });
  // Short 10 at 100, stop at 110: cash 2000 - 10 * 110 = 900.
  assert.equal(sl.trades[0]!.exitReason, "stop_loss");
  near(sl.trades[0]!.exitPrice, 110);
  near(sl.finalEquity, 900);
  const tp = simulate(stopBars([99, 100, 75, 85]), sig([1, 0, 0], [0, 0, 0]), {
    fill: "close",
    direction: "short",
    takeProfit: 0.2,
    cash: 1000,
  });
  // Target 80: cash 2000 - 800 = 1200.
  assert.equal(tp.trades[0]!.exitReason, "take_profit");
  near(tp.trades[0]!.exitPrice, 80);
  near(tp.finalEquity, 1200);
});

Deno.test("with next_open, stops are checked from the entry bar itself", () => {
  const f = ohlc([[100, 100, 100, 100], [100, 101, 85, 95], [95, 95, 95, 95]]);
  const r = simulate(f, sig([1, 0, 0], [0, 0, 0]), { stopLoss: 0.1, cash: 1000 });
  // Entry at open 100 of bar 1; the same bar's low 85 crosses 90.
  assert.deepEqual([r.trades[0]!.entryIndex, r.trades[0]!.exitIndex, r.trades[0]!.exitPrice], [1, 1, 90]);
});

Deno.test("finalize open reports the open trade marked at the last close, without exit costs", () => {
  const s = sig([1, 0, 0], [0, 0, 0]);
  const o = simulate(flat([100, 110, 120]), s, { fill: "close", fee: 0.01, cash: 1000, finalize: "open" });
  const t = o.trades[0]!;
  // 9.90099 units * 120 = 1188.1188; pnl = 1188.1188 - 990.0990 - 9.9010 = 188.1188.
  assert.deepEqual([t.exitIndex, t.exitReason, t.exitPrice, t.bars, t.durationMs], [-1, "open", 120, 2, 120_000]);
  assert.ok(Number.isNaN(t.exitTs));
  near(t.pnl, 188.11881188118812);
  near(o.finalEquity, (1000 / 101) * 120);
  assert.equal(o.position[2], 1000 / 101);
  const c = simulate(flat([100, 110, 120]), s, { fill: "close", fee: 0.01, cash: 1000, finalize: "close" });
  // Closed at 120 with the 1% fee: 1188.1188 * 0.99 = 1176.2376.
  assert.equal(c.trades[0]!.exitReason, "end");
  near(c.finalEquity, (1000 / 1.01) * 1.2 * 0.99);
  assert.equal(c.position[2], 0);
});

Deno.test("equity <= 0 ruins the account: position closed at that close, then no trading", () => {
  const r = simulate(flat([100, 250, 100, 100]), sig([1, 0, 1, 0], [0, 0, 0, 0]), {
    fill: "close",
    direction: "short",
    cash: 1000,
  });
  // Short 10 at 100 (cash 2000). Bar 1: equity 2000 - 2500 = -500 -> cover at 250, cash -500, stop.
  assert.equal(r.ruinedAt, 1);
  assert.deepEqual(r.trades.map((t) => [t.exitIndex, t.exitReason, t.pnl]), [[1, "end", -1500]]);
  assert.deepEqual([...r.equity], [1000, -500, -500, -500]);
  assert.deepEqual([...r.position], [-10, 0, 0, 0]);
  assert.equal(r.orders.length, 2);
});

Deno.test("target weights on one asset rebalance to weight * equity / price", () => {
  const r = simulate(flat([100, 200, 200]), { kind: "weights", weights: new Float64Array([0.5, NaN, 0]) }, {
    fill: "close",
    cash: 1000,
  });
  // Bar 0: 5 units, 500 cash. Bar 1: 500 + 5 * 200 = 1500. Bar 2: weight 0 sells 5 at 200 -> 1500.
  assert.deepEqual([...r.position], [5, 5, 0]);
  assert.deepEqual([...r.equity], [1000, 1500, 1500]);
  assert.deepEqual(r.trades.map((t) => [t.size, t.entryPrice, t.exitPrice, t.pnl, t.exitReason]), [
    [5, 100, 200, 500, "rebalance"],
  ]);
});

Deno.test("property: with zero costs, long all-in final equity = cash * product of exit/entry", () => {
  const rnd = prng(7);
  for (let run = 0; run < 20; run++) {
    const f = randomFrame(300, run + 1);
    const n = f.length;
    const entries = new Uint8Array(n), exits = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      entries[i] = rnd() < 0.05 ? 1 : 0;
      exits[i] = rnd() < 0.05 ? 1 : 0;
    }
    for (const fill of ["close", "next_open"] as const) {
      const r = simulate(f, { kind: "signals", entries, exits }, { fill, cash: 1234 });
      let product = 1;
      for (const t of r.trades) product *= t.exitPrice / t.entryPrice;
      assert.ok(r.trades.length > 3);
      near(r.finalEquity, 1234 * product, 1e-10);
    }
  }
});

Deno.test("same inputs give identical outputs", () => {
  const f = randomFrame(500, 3);
  const s = sig(
    Array.from({ length: 500 }, (_, i) => (i % 37 === 0 ? 1 : 0)),
    Array.from({ length: 500 }, (_, i) => (i % 23 === 0 ? 1 : 0)),
  );
  const o = { fee: 0.001, stopLoss: 0.02, trailingStop: 0.03, takeProfit: 0.05 };
  const a = simulate(f, s, o), b = simulate(f, s, o);
  assert.deepEqual(a, b);
  assert.deepEqual([a.cash, a.position, a.orders, a.trades], [b.cash, b.position, b.orders, b.trades]);
  assert.ok(a.trades.length > 5);
});

Deno.test("bad arguments throw with the value seen", () => {
  assert.throws(() => simulate(flat([1]), sig([0], [0]), { fee: -0.1 }), /fee: .*got -0.1/);
  assert.throws(() => simulate(flat([1]), sig([0], [0]), { stoploss: 0.1 } as never), RangeError);
  assert.throws(() => simulate(flat([1, 2]), sig([0], [0])), /entries has 1 elements but the frame has 2 bars/);
});

Deno.test("equityArrow has ts, equity, cash, position and drawdown", () => {
  const r = simulate(flat([100, 50, 100]), sig([1, 0, 0], [0, 0, 0]), { fill: "close", cash: 1000, finalize: "open" });
  const t = r.equityArrow();
  assert.deepEqual(t.schema.fields.map((f) => f.name), ["ts", "equity", "drawdown", "cash", "position"]);
  assert.deepEqual([...t.getChild("drawdown")!.toArray()], [0, -0.5, 0]);
  assert.equal(t.getChild("ts")!.get(2), 120_000n);
});

/**
 * An independent, deliberately plain per-bar re-implementation of the documented conventions
 * (module doc of simulate and the option JSDoc), used to cross-check the segment-based engine.
 */
function naiveSimulate(f: Frame, s: SignalSet, input: BacktestOptionsInput) {
  const o = parseBacktestOptions(input);
  const n = f.length, { open, high, low, close } = f;
  const bm = 1 + o.spread / 2 + o.slippage, sm = 1 - o.spread / 2 - o.slippage;
  const z = new Uint8Array(n);
  const long = o.direction !== "short", short = o.direction !== "long";
  const le = long ? s.entries : z, lx = long ? s.exits : z;
  // "short" without shortEntries runs the long pair as the short pair; otherwise a missing
  // shortExits means the long entries close shorts (in "short" and in "both").
  const mirror = o.direction === "short" && s.shortEntries === undefined;
  const se = !short ? z : mirror ? s.entries : s.shortEntries!;
  const sx = !short ? z : s.shortExits ?? (mirror ? s.exits : s.entries);
  let cash = o.cash, pos = 0, ep = 0, best = 0, stopFrom = 0, mark = NaN, ruinedAt = -1;
  const equity: number[] = [], orders: [number, string, number, number, string][] = [], held: boolean[] = [];
  const skipped = { minNotional: 0, lotZero: 0, insufficientCash: 0, missingBar: 0 };
  const lotDown = (u: number) => (o.lot > 0 ? Math.floor(u / o.lot + 1e-9) * o.lot : u);
  const enter = (d: number, ref: number, i: number) => {
    const price = ref * (d > 0 ? bm : sm);
    let u: number;
    if (o.size.kind === "units") {
      u = lotDown(o.size.value);
      if (!(u > 0)) return void skipped.lotZero++;
      if (u * price * (1 + o.fee) + o.fixedFee > cash) return void skipped.insufficientCash++;
    } else {
      const budget = o.size.kind === "all"
        ? cash
        : o.size.kind === "fraction"
        ? Math.min(o.size.value * cash, cash)
        : o.size.value;
      if (budget > cash) return void skipped.insufficientCash++;
      u = (budget - o.fixedFee) / (price * (1 + o.fee));
      if (!(u > 0)) return void skipped.insufficientCash++;
      u = lotDown(u);
      if (!(u > 0)) return void skipped.lotZero++;
    }
    if (u * price < o.minNotional) return void skipped.minNotional++;
    const fee = u * price * o.fee + o.fixedFee;
    cash += d > 0 ? -(u * price) - fee : u * price - fee;
    pos = d * u;
    ep = price;
    best = price;
    stopFrom = o.fill === "close" ? i + 1 : i;
    orders.push([i, d > 0 ? "buy" : "sell", u, price, "entry"]);
  };
  const exit = (ref: number, i: number, reason: string) => {
    const u = Math.abs(pos), price = ref * (pos > 0 ? sm : bm), fee = u * price * o.fee + o.fixedFee;
    cash += pos > 0 ? u * price - fee : -(u * price) - fee;
    orders.push([i, pos > 0 ? "sell" : "buy", u, price, reason]);
    pos = 0;
  };
  let pend: [number, number] | null = null;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(close[i]!)) mark = close[i]!;
    if (ruinedAt >= 0) {
      equity.push(cash);
      held.push(false);
      continue;
    }
    if (pend) {
      const ref = open[i]!;
      if (Number.isNaN(ref)) skipped.missingBar++;
      else {
        if (pend[0] && pos !== 0) exit(ref, i, pend[0] === 2 ? "reversal" : "signal");
        if (pend[1] && pos === 0) enter(pend[1], ref, i);
      }
      pend = null;
    }
    if (pos !== 0 && i >= stopFrom && (o.stopLoss || o.takeProfit || o.trailingStop)) {
      const L = pos > 0, op = open[i]!, h = high[i]!, l = low[i]!;
      const slLevel = o.stopLoss ? ep * (L ? 1 - o.stopLoss : 1 + o.stopLoss) : NaN;
      const trLevel = o.trailingStop ? best * (L ? 1 - o.trailingStop : 1 + o.trailingStop) : NaN;
      // The tighter of the two protects; the trailing one wins only when strictly tighter.
      let level = slLevel, why = "stop_loss";
      if (!Number.isNaN(trLevel) && (Number.isNaN(level) || (L ? trLevel > level : trLevel < level))) {
        level = trLevel;
        why = "trailing_stop";
      }
      const target = o.takeProfit ? ep * (L ? 1 + o.takeProfit : 1 - o.takeProfit) : NaN;
      const beyond = (x: number, lv: number) => (L ? x <= lv : x >= lv); // adverse side of a stop
      const past = (x: number, t: number) => (L ? x >= t : x <= t); // favourable side of a target
      if (!Number.isNaN(level) && beyond(op, level)) exit(op, i, why);
      else if (!Number.isNaN(target) && past(op, target)) exit(op, i, "take_profit");
      else if (!Number.isNaN(level) && beyond(L ? l : h, level)) exit(level, i, why);
      else if (!Number.isNaN(target) && past(L ? h : l, target)) exit(target, i, "take_profit");
      else best = L ? Math.max(best, h) : Math.min(best, l);
    }
    let ex = 0, ent = 0;
    if (pos > 0) {
      if (se[i]) (ex = 2), (ent = -1);
      else if (lx[i]) ex = 1;
    } else if (pos < 0) {
      if (le[i]) (ex = 2), (ent = 1);
      else if (sx[i]) ex = 1;
    } else if (le[i] && !se[i] && !lx[i]) ent = 1;
    else if (!le[i] && se[i] && !sx[i]) ent = -1;
    if (ex || ent) {
      if (o.fill === "close") {
        const ref = close[i]!;
        if (Number.isNaN(ref)) skipped.missingBar++;
        else {
          if (ex) exit(ref, i, ex === 2 ? "reversal" : "signal");
          if (ent) enter(ent, ref, i);
        }
      } else if (i + 1 < n) pend = [ex, ent];
    }
    let eq = cash + pos * mark;
    if (eq <= 0) {
      if (pos !== 0) exit(mark, i, "end");
      eq = cash;
      ruinedAt = i;
    }
    equity.push(eq);
    held.push(pos !== 0);
  }
  if (pos !== 0 && o.finalize === "close") {
    exit(mark, n - 1, "end");
    equity[n - 1] = cash;
    held[n - 1] = false;
  }
  const exposure = n ? held.filter((h) => h).length / n : NaN;
  return { equity, orders, skipped, ruinedAt, exposure };
}

Deno.test("engine equals a naive per-bar re-implementation on random data, many option combinations", () => {
  const rnd = prng(2024);
  let compared = 0, ruins = 0, stops = 0, nanBars = 0;
  for (let seed = 1; seed <= 4; seed++) {
    // Wild bars (up to +-40% a bar) so shorts get ruined sometimes; a few NaN prices too.
    const base = randomFrame(400, seed);
    const r0 = prng(seed * 17);
    const open = base.open.slice(), high = base.high.slice(), low = base.low.slice(), close = base.close.slice();
    let p = 100;
    for (let i = 0; i < close.length; i++) {
      const op = p * (1 + (r0() - 0.5) * 0.2), c = op * (1 + (r0() - 0.5) * 0.6);
      open[i] = op;
      close[i] = c;
      high[i] = Math.max(op, c) * (1 + r0() * 0.05);
      low[i] = Math.min(op, c) * (1 - r0() * 0.05);
      p = c;
      if (r0() < 0.02) open[i] = NaN;
      if (r0() < 0.02) close[i] = NaN;
    }
    const frames = [base, new Frame(base.ts, { open, high, low, close })];
    const bits = (q: number) => Uint8Array.from({ length: base.length }, () => (rnd() < q ? 1 : 0));
    const full: SignalSet = {
      kind: "signals",
      entries: bits(0.08),
      exits: bits(0.05),
      shortEntries: bits(0.08),
      shortExits: bits(0.05),
    };
    // Without shortExits (the long entries close shorts) and, for "short", without any short
    // signals (the long pair is the short pair).
    const noShortExits: SignalSet = {
      kind: "signals",
      entries: full.entries,
      exits: full.exits,
      shortEntries: full.shortEntries!,
    };
    const longPair: SignalSet = { kind: "signals", entries: full.entries, exits: full.exits };
    const combos: BacktestOptionsInput[] = [];
    for (const fill of ["close", "next_open"] as const) {
      for (const direction of ["long", "short", "both"] as const) {
        for (
          const size of [{ kind: "all" }, { kind: "fraction", value: 0.6 }, { kind: "cash", value: 300 }, {
            kind: "units",
            value: 3.3,
          }] as const
        ) {
          combos.push({ fill, direction, size, fee: 0.002, fixedFee: 0.3, spread: 0.001, slippage: 0.0005 });
          combos.push({ fill, direction, size, lot: 0.5, minNotional: 150, finalize: "open" });
          combos.push({ fill, direction, size, stopLoss: 0.05, takeProfit: 0.08, fee: 0.001 });
          combos.push({ fill, direction, size, trailingStop: 0.06, stopLoss: 0.1, lot: 0.1 });
        }
      }
    }
    for (const frame of frames) {
      for (const o of combos) {
        const s = [full, noShortExits, o.direction === "short" ? longPair : full][compared % 3]!;
        const a = simulate(frame, s, { cash: 1000, ...o });
        const b = naiveSimulate(frame, s, { cash: 1000, ...o });
        const what = `seed ${seed} ${JSON.stringify(o)} signals ${compared % 3}`;
        assert.equal(a.equity.length, b.equity.length);
        for (let i = 0; i < b.equity.length; i++) {
          if (!(Math.abs(a.equity[i]! - b.equity[i]!) <= 1e-9 * Math.max(1, Math.abs(b.equity[i]!)))) {
            assert.fail(`${what} bar ${i}: ${a.equity[i]} vs ${b.equity[i]}`);
          }
        }
        assert.deepEqual(
          a.orders.map((x) => [x.index, x.side, x.reason]),
          b.orders.map((x) => [x[0], x[1], x[4]]),
          what,
        );
        a.orders.forEach((x, k) => (near(x.size, b.orders[k]![2]), near(x.price, b.orders[k]![3])));
        assert.deepEqual(a.skipped, b.skipped, what);
        assert.equal(a.ruinedAt, b.ruinedAt, what);
        near(a.exposure, b.exposure, 1e-12);
        if (a.ruinedAt >= 0) ruins++;
        if (a.trades.some((t) => t.exitReason.endsWith("_stop") || t.exitReason.endsWith("_profit"))) stops++;
        nanBars += a.skipped.missingBar;
        compared++;
      }
    }
  }
  assert.equal(compared, 4 * 2 * 96);
  assert.ok(ruins > 0 && stops > 0 && nanBars > 0, `${ruins} ${stops} ${nanBars}`);
});

// ---- Review: edge cases a quant would check, each worked by hand ----

Deno.test("next_open: an order due on a bar with a NaN open is dropped (missingBar), never filled at NaN", () => {
  const f = ohlc([[100, 100, 100, 100], [100, 100, 100, 100], [NaN, 110, 110, 110], [120, 120, 120, 120]]);
  const r = simulate(f, sig([1, 0, 0, 0], [0, 1, 0, 0]), { cash: 1000 });
  // Buy 10 at bar 1's open 100. The exit decided on bar 1 is due at bar 2's open, which is NaN:
  // dropped and counted. Bar 2 marks 10 * 110 = 1100; finalize sells 10 at 120 -> 1200.
  assert.deepEqual(r.orders.map((o) => [o.index, o.side, o.size, o.price, o.reason]), [
    [1, "buy", 10, 100, "entry"],
    [3, "sell", 10, 120, "end"],
  ]);
  assert.equal(r.skipped.missingBar, 1);
  assert.deepEqual([...r.equity], [1000, 1000, 1100, 1200]);
});

Deno.test("a NaN close: no fill there, equity marked at the last known close, finalize uses it too", () => {
  const r = simulate(flat([100, NaN, 120, NaN]), sig([1, 0, 0, 0], [0, 1, 0, 0]), { fill: "close", cash: 1000 });
  // Buy 10 at 100. The exit at bar 1's NaN close is dropped (missingBar). Bar 1 is marked at the
  // last known close 100 -> 1000; bar 2: 1200; bar 3 (NaN) marked at 120 and finalize sells at 120 -> 1200.
  assert.deepEqual(r.orders.map((o) => [o.index, o.price, o.reason]), [[0, 100, "entry"], [3, 120, "end"]]);
  assert.equal(r.skipped.missingBar, 1);
  assert.deepEqual([...r.equity], [1000, 1000, 1200, 1200]);
  // finalize open marks at 120 as well.
  const o = simulate(flat([100, NaN, 120, NaN]), sig([1, 0, 0, 0], [0, 0, 0, 0]), {
    fill: "close",
    cash: 1000,
    finalize: "open",
  });
  assert.deepEqual([o.trades[0]!.exitPrice, o.trades[0]!.pnl, o.finalEquity], [120, 200, 1200]);
});

Deno.test("a gap through the take-profit at the open exits there, before a stop later in the bar", () => {
  // Long at 100, stop 90, target 120. Bar 1 opens at 125 (above the target), then trades down to 85.
  // The open is the bar's first price, so the target was hit first: out at 125 -> 1250 (not 900).
  const l = simulate(stopBars([125, 126, 85, 90]), sig([1, 0, 0], [0, 0, 0]), {
    fill: "close",
    stopLoss: 0.1,
    takeProfit: 0.2,
    cash: 1000,
  });
  assert.deepEqual([l.trades[0]!.exitPrice, l.trades[0]!.exitReason], [125, "take_profit"]);
  assert.equal(l.finalEquity, 1250);
  // Short mirror: short 10 at 100 (cash 2000), stop 110, target 80; bar 1 opens at 75, high 115.
  // Cover at 75: 2000 - 750 = 1250.
  const s = simulate(stopBars([75, 115, 74, 100]), sig([1, 0, 0], [0, 0, 0]), {
    fill: "close",
    direction: "short",
    stopLoss: 0.1,
    takeProfit: 0.2,
    cash: 1000,
  });
  assert.deepEqual([s.trades[0]!.exitPrice, s.trades[0]!.exitReason], [75, "take_profit"]);
  assert.equal(s.finalEquity, 1250);
});

Deno.test("ruin on a flat account (short stopped through a gap): turnover's mean equity counts each bar once", () => {
  const f = ohlc([
    [100, 100, 100, 100],
    [100, 100, 100, 100],
    [100, 100, 100, 100],
    [100, 100, 100, 100],
    [100, 100, 100, 100],
    [300, 300, 300, 300],
    [100, 100, 100, 100],
  ]);
  const r = simulate(f, sig([1, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]), {
    fill: "close",
    direction: "short",
    stopLoss: 0.1,
    cash: 1000,
  });
  // Short 10 at 100 (cash 2000); bars 0-4 equity 1000. Bar 5 gaps to 300 through the 110 stop:
  // cover at 300, cash 2000 - 3000 = -1000, flat -> ruined at bar 5; bars 5, 6 equity -1000.
  assert.equal(r.ruinedAt, 5);
  assert.deepEqual([...r.equity], [1000, 1000, 1000, 1000, 1000, -1000, -1000]);
  // Traded 1000 + 3000 = 4000; mean equity (5 * 1000 - 2 * 1000) / 7 = 3000 / 7 -> 4000 * 7 / 3000.
  near(r.turnover, 28 / 3);
});

Deno.test("signal arrays: values other than 0/1 and missing arrays are rejected with the value seen", () => {
  assert.throws(
    () => simulate(flat([1, 1, 1]), sig([0, 2, 0], [0, 0, 0])),
    (e: Error) => e instanceof RangeError && /entries\[1\] is 2/.test(e.message),
  );
  assert.throws(
    () => simulate(flat([1, 1]), sig([0, 0], [0, 0], [255, 0]), { direction: "both" }),
    /shortEntries\[0\] is 255/,
  );
  assert.throws(
    () => simulate(flat([1, 1]), { kind: "signals", entries: new Uint8Array(2) } as never),
    (e: Error) => e instanceof TypeError && /signals.exits must be a Uint8Array, got undefined/.test(e.message),
  );
  assert.throws(
    () => simulate(flat([1, 1]), { kind: "signals", entries: [1, 0], exits: new Uint8Array(2) } as never),
    (e: Error) => e instanceof TypeError && /signals.entries must be a Uint8Array, got Array/.test(e.message),
  );
});

Deno.test("direction both: a reversal pays the fee on the close and on the new entry", () => {
  const r = simulate(flat([100, 80, 100]), sig([0, 1, 0], [0, 0, 0], [1, 0, 0]), {
    fill: "close",
    direction: "both",
    fee: 0.01,
    cash: 1000,
  });
  // Short u = 1000 / (100 * 1.01) = 9.90099: proceeds 990.099 less fee 9.901 -> cash 1980.198.
  // Bar 1 cover at 80: 9.90099 * 80 = 792.079 plus fee 7.921 = 800 -> cash 1180.198.
  // Buy 1180.198 / (80 * 1.01) = 14.6064 units; finalize at 100 less 1%: 14.6064 * 100 * 0.99 = 1446.04.
  const u = 1000 / 101, cashAfterCover = 1000 + u * 100 * 0.99 - u * 80 * 1.01;
  near(cashAfterCover, 1180.1980198019803);
  assert.deepEqual(r.orders.map((o) => o.reason), ["entry", "reversal", "entry", "end"]);
  near(r.orders[2]!.size, cashAfterCover / 80.8);
  near(r.cash[1]!, 0);
  near(r.finalEquity, (cashAfterCover / 80.8) * 100 * 0.99);
  near(r.trades[0]!.pnl, u * 100 - u * 80 - u * 100 * 0.01 - u * 80 * 0.01);
  near(
    r.feesPaid,
    u * 100 * 0.01 + u * 80 * 0.01 + (cashAfterCover / 80.8) * 80 * 0.01 + (cashAfterCover / 80.8) * 100 * 0.01,
  );
});

Deno.test("signal check reads unaligned views and tails too", () => {
  // A view at byte offset 1 (not 4-aligned) with a bad value in the 4-byte body and one in the tail.
  const buf = new Uint8Array(12);
  buf[6] = 7;
  const f = flat([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.throws(
    () => simulate(f, { kind: "signals", entries: buf.subarray(1), exits: new Uint8Array(11) }),
    /entries\[5\] is 7/,
  );
  const aligned = new Uint8Array(11);
  aligned[10] = 2; // in the tail after two 4-byte words
  assert.throws(
    () => simulate(f, { kind: "signals", entries: aligned, exits: new Uint8Array(11) }),
    /entries\[10\] is 2/,
  );
  // 0/1 everywhere passes.
  assert.equal(
    simulate(f, { kind: "signals", entries: new Uint8Array(11).fill(1), exits: new Uint8Array(11) }).ruinedAt,
    -1,
  );
});

// ---- Engine conventions settled in 0.3.0 (issue 8, "Parity and look-ahead") ----

Deno.test("missing shortExits: the long entries close shorts, with direction short as with both", () => {
  // Short 10 at 100 (cash 2000). The long exit on bar 1 does not touch the short; the long entry
  // on bar 2 closes it at 80: cash 2000 - 800 = 1200.
  const s = sig([0, 0, 1, 0, 0], [0, 1, 0, 0, 0], [1, 0, 0, 0, 0]);
  const short = simulate(flat([100, 90, 80, 70, 60]), s, { fill: "close", direction: "short", cash: 1000 });
  assert.deepEqual(short.trades.map((t) => [t.entryIndex, t.exitIndex, t.exitReason]), [[0, 2, "signal"]]);
  near(short.finalEquity, 1200);
  // "both" closes the same short on the same bar (a reversal): cover at 80 (cash 1200), buy
  // 1200 / 80 = 15 units, closed at the last close 60 -> 900.
  const both = simulate(flat([100, 90, 80, 70, 60]), s, { fill: "close", direction: "both", cash: 1000 });
  assert.deepEqual(both.trades.map((t) => [t.direction, t.entryIndex, t.exitIndex, t.exitReason]), [
    ["short", 0, 2, "reversal"],
    ["long", 2, 4, "end"],
  ]);
  near(both.finalEquity, 900);
  // Without shortEntries, "short" runs the long pair as the short pair (entries open, exits close).
  const mirror = simulate(flat([100, 90, 80, 70, 60]), sig([1, 0, 0, 0, 0], [0, 1, 0, 0, 0]), {
    fill: "close",
    direction: "short",
    cash: 1000,
  });
  assert.deepEqual(mirror.trades.map((t) => [t.entryIndex, t.exitIndex]), [[0, 1]]);
});

Deno.test("missing shortExits equals shortExits = entries, for short and both (random data, every fill)", () => {
  const rnd = prng(77);
  const f = randomFrame(600, 9);
  const bits = (q: number) => Uint8Array.from({ length: f.length }, () => (rnd() < q ? 1 : 0));
  const entries = bits(0.06), exits = bits(0.06), shortEntries = bits(0.06);
  for (const fill of ["close", "next_open"] as const) {
    for (const direction of ["short", "both"] as const) {
      for (const stopLoss of [null, 0.02]) {
        const o: BacktestOptionsInput = { fill, direction, stopLoss, fee: 0.001, cash: 1000 };
        const a = simulate(f, { kind: "signals", entries, exits, shortEntries }, o);
        const b = simulate(f, { kind: "signals", entries, exits, shortEntries, shortExits: entries }, o);
        assert.deepEqual([...a.equity], [...b.equity], JSON.stringify(o));
        assert.deepEqual(a.orders, b.orders, JSON.stringify(o));
        assert.ok(a.trades.some((t) => t.direction === "short"));
      }
    }
  }
});

Deno.test("exposure does not count the last bar when finalize close sells the position at its close", () => {
  const s = sig([1, 0, 0], [0, 0, 0]);
  // Bought at close 0, held at the closes of bars 0 and 1; finalize sells at bar 2's close, so
  // the account is flat at that close (its position array already says 0).
  const c = simulate(flat([100, 110, 120]), s, { fill: "close", cash: 1000 });
  assert.deepEqual([...c.position], [10, 10, 0]);
  near(c.exposure, 2 / 3);
  // finalize open keeps the position through the last close: 3 of 3 bars.
  const o = simulate(flat([100, 110, 120]), s, { fill: "close", cash: 1000, finalize: "open" });
  near(o.exposure, 1);
  // Entered at the last bar's close and closed there by finalize: never held at a close.
  const last = simulate(flat([100, 110, 120]), sig([0, 0, 1], [0, 0, 0]), { fill: "close", cash: 1000 });
  assert.equal(last.trades.length, 1);
  assert.equal(last.exposure, 0);
});

Deno.test("minNotional is checked on the fill price (after spread and slippage) in signal runs", () => {
  // 1 unit at 100 with a 2% spread: a buy fills at 101, a short sale at 99.
  const o: BacktestOptionsInput = { fill: "close", spread: 0.02, cash: 1000, size: { kind: "units", value: 1 } };
  const buy = simulate(flat([100, 100]), sig([1, 0], [0, 0]), { ...o, minNotional: 100.5 });
  assert.equal(buy.skipped.minNotional, 0); // 101 >= 100.5 (the pre-cost 100 would be below)
  assert.equal(buy.orders[0]!.price, 101);
  const sell = simulate(flat([100, 100]), sig([1, 0], [0, 0]), { ...o, direction: "short", minNotional: 99.5 });
  assert.equal(sell.skipped.minNotional, 1); // 99 < 99.5 (the pre-cost 100 would pass)
  assert.equal(sell.orders.length, 0);
});

Deno.test("minNotional is checked on the fill price in target-weight runs too (one asset)", () => {
  const w = (x: number[]) => ({ kind: "weights" as const, weights: Float64Array.from(x) });
  // Weight 0.1 of 1000 at 100: 1 unit; a buy fills at 101, a short sale at 99 (2% spread).
  const o: BacktestOptionsInput = { fill: "close", spread: 0.02, cash: 1000 };
  const buy = simulate(flat([100, 100]), w([0.1, NaN]), { ...o, minNotional: 100.5 });
  assert.equal(buy.skipped.minNotional, 0, "101 >= 100.5");
  assert.deepEqual(buy.orders.map((x) => [x.side, x.size, x.price]), [["buy", 1, 101], ["sell", 1, 99]]);
  const sell = simulate(flat([100, 100]), w([-0.1, NaN]), { ...o, direction: "short", minNotional: 99.5 });
  assert.equal(sell.skipped.minNotional, 1, "99 < 99.5");
  assert.equal(sell.orders.length, 0);
});
