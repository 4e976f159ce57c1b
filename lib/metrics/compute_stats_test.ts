import assert from "node:assert/strict";
import type { Order } from "../types/mod.ts";
import { alpha } from "./alpha.ts";
import { assertClose, makeTrade, randomReturns, TRADES } from "./_testdata.ts";
import { avgDrawdown } from "./avg_drawdown.ts";
import { avgDrawdownDuration } from "./avg_drawdown_duration.ts";
import { beta } from "./beta.ts";
import { cagr } from "./cagr.ts";
import { computeStats } from "./compute_stats.ts";
import { conditionalValueAtRisk } from "./conditional_value_at_risk.ts";
import { coreStats } from "./core_stats.ts";
import { dsr } from "./dsr.ts";
import { kurtosis } from "./kurtosis.ts";
import { maxDrawdownDuration } from "./max_drawdown_duration.ts";
import { omega } from "./omega.ts";
import { profitFactor } from "./profit_factor.ts";
import { psr } from "./psr.ts";
import { returnsFromEquity } from "./returns_from_equity.ts";
import { skew } from "./skew.ts";
import { stabilityOfTimeseries } from "./stability_of_timeseries.ts";
import { STATS } from "./stats.ts";
import { tailRatio } from "./tail_ratio.ts";
import { ulcerIndex } from "./ulcer_index.ts";
import { valueAtRisk } from "./value_at_risk.ts";

const DAY = 86_400_000;

function run(n = 400) {
  const r = randomReturns(n - 1, 21);
  const b = randomReturns(n - 1, 22);
  const ts = new Float64Array(n).map((_, i) => i * DAY);
  const equity = new Float64Array(n);
  const bench = new Float64Array(n);
  equity[0] = 10_000;
  bench[0] = 40_000;
  for (let i = 1; i < n; i++) {
    equity[i] = equity[i - 1]! * (1 + 0.5 * b[i - 1]! + r[i - 1]!);
    bench[i] = bench[i - 1]! * (1 + b[i - 1]!);
  }
  return { ts, equity, bench };
}

Deno.test("computeStats: every registry value equals its function's", () => {
  const { ts, equity, bench } = run();
  const ppy = 365;
  const rf = 0.02;
  const stats = computeStats({ ts, equity, benchmark: bench, trades: TRADES, periodsPerYear: ppy, riskFree: rf });
  assert.deepEqual(Object.keys(stats), STATS.map((s) => s.key));
  const r = returnsFromEquity(equity);
  const br = returnsFromEquity(bench);
  const opts = { periodsPerYear: ppy, riskFree: rf };
  const core = coreStats(r, opts);
  assert.equal(stats.sharpe, core.sharpe);
  assert.equal(stats.sortino, core.sortino);
  assertClose(stats.cagr!, cagr(r, { ...opts, ts }), 1e-12); // by calendar
  assertClose(stats.cagr!, core.cagr, 1e-12); // gap-free daily bars at 365: the same as by bars
  assert.equal(stats.annual_return, core.annualReturn);
  assert.equal(stats.annual_return, core.cagr);
  assert.equal(stats.annual_return_arithmetic, core.annualReturnArithmetic);
  assertClose(stats.stability!, stabilityOfTimeseries(r), 1e-12);
  assert.equal(stats.final_equity, equity[equity.length - 1]);
  assert.equal(stats.omega, omega(r, opts));
  assert.equal(stats.avg_drawdown, avgDrawdown(equity));
  assert.equal(stats.max_drawdown_duration, maxDrawdownDuration(equity, { unit: "ms", ts }));
  assert.equal(stats.avg_drawdown_duration, avgDrawdownDuration(equity, { unit: "ms", ts }));
  assert.equal(stats.ulcer_index, ulcerIndex(r));
  assert.equal(stats.var, valueAtRisk(r));
  assert.equal(stats.cvar, conditionalValueAtRisk(r));
  assert.equal(stats.skew, skew(r));
  assert.equal(stats.kurtosis, kurtosis(r));
  assert.equal(stats.tail_ratio, tailRatio(r));
  assert.equal(stats.alpha, alpha(r, br, opts));
  assert.equal(stats.beta, beta(r, br));
  assertClose(stats.beta!, 0.5, 0.1); // built as 0.5 x benchmark + noise
  assert.equal(stats.psr, psr(r, opts));
  assert.equal(stats.trades, 6);
  assert.equal(stats.profit_factor, profitFactor(TRADES));
  assert.ok(Number.isNaN(stats.dsr)); // no trials given
});

Deno.test("computeStats: fees, turnover and exposure from orders, trades or given values", () => {
  const { ts, equity } = run(11);
  const base = { ts, equity, periodsPerYear: 365 };
  // trades: entry 0..3 and 5..7 (closed), open from 9: bars 0,1,2,5,6,9,10 of 11 are held
  const trades = [
    makeTrade({ return: 0.1, entryIndex: 0, exitIndex: 3, size: 2, entryPrice: 100, exitPrice: 110, fees: 1 }),
    makeTrade({ return: -0.1, entryIndex: 5, exitIndex: 7, size: 1, entryPrice: 50, exitPrice: 45, fees: 0.5 }),
    makeTrade({ return: 0.02, entryIndex: 9, exitIndex: -1, size: 1, entryPrice: 60, exitPrice: 61, fees: 0.25 }),
  ];
  const fromTrades = computeStats({ ...base, trades }, { keys: ["fees", "exposure", "turnover", "trades"] });
  assert.equal(fromTrades.fees, 1.75);
  assertClose(fromTrades.exposure!, 7 / 11, 1e-15);
  // notional 2 * (100 + 110) + 1 * (50 + 45) + 1 * 60 = 575; years 10 / 365
  const meanEq = equity.reduce((s, v) => s + v, 0) / equity.length;
  assertClose(fromTrades.turnover!, 575 / meanEq / (10 / 365), 1e-9);
  assert.equal(fromTrades.trades, 2);
  const orders: Order[] = [
    { index: 0, ts: 0, asset: "X", side: "buy", size: 2, price: 100, fee: 0.2, reason: "entry" },
    { index: 3, ts: 3 * DAY, asset: "X", side: "sell", size: 2, price: 110, fee: 0.22, reason: "signal" },
  ];
  const fromOrders = computeStats({ ...base, trades, orders }, { keys: ["fees", "turnover"] });
  assertClose(fromOrders.fees!, 0.42, 1e-15);
  assertClose(fromOrders.turnover!, 420 / meanEq / (10 / 365), 1e-9);
  const given = computeStats({ ...base, fees: 3, turnover: 100, exposure: 0.25 }, {
    keys: ["fees", "turnover", "exposure"],
  });
  assert.equal(given.fees, 3);
  assert.equal(given.exposure, 0.25);
  const position = new Float64Array(11).fill(0).fill(1, 2, 4);
  assertClose(computeStats({ ...base, exposure: position }, { keys: ["exposure"] }).exposure!, 2 / 11, 1e-15);
  const bare = computeStats(base, { keys: ["fees", "turnover", "exposure", "trades", "alpha", "win_rate"] });
  for (const v of Object.values(bare)) assert.ok(Number.isNaN(v));
});

Deno.test("computeStats: DSR from trials or from the trials' annualized Sharpes", () => {
  const { ts, equity } = run();
  const r = returnsFromEquity(equity);
  const a = computeStats({ ts, equity, periodsPerYear: 365, trials: 20, sharpeVariance: 0.001 }, { keys: ["dsr"] });
  assert.equal(a.dsr, dsr(r, { trials: 20, sharpeVariance: 0.001 }));
  // annualized Sharpes 1, 2, 3: sample variance 1, per period 1 / 365
  const b = computeStats({ ts, equity, periodsPerYear: 365, trialSharpes: new Float64Array([1, 2, 3]) }, {
    keys: ["dsr"],
  });
  assertClose(b.dsr!, dsr(r, { trials: 3, sharpeVariance: 1 / 365 }), 1e-15);
});

Deno.test("computeStats: keys option, precomputed returns, JSON, bad input", () => {
  const { ts, equity } = run(50);
  const r = returnsFromEquity(equity);
  const s = computeStats({ ts, equity, periodsPerYear: 365, returns: r }, { keys: ["sharpe", "max_drawdown"] });
  assert.deepEqual(Object.keys(s), ["sharpe", "max_drawdown"]);
  assert.equal(s.sharpe, coreStats(r, { periodsPerYear: 365 }).sharpe);
  const json = JSON.parse(JSON.stringify(computeStats({ ts, equity, periodsPerYear: 365 })));
  assert.equal(json.win_rate, null); // NaN serializes as null
  assert.throws(() => computeStats({ ts, equity, periodsPerYear: 365 }, { keys: ["sharp"] }), /unknown stat key/);
  assert.throws(() => computeStats({ ts: ts.subarray(1), equity, periodsPerYear: 365 }), RangeError);
  assert.throws(() => computeStats({ ts, equity, periodsPerYear: 365, benchmark: new Float64Array(3) }), /aligned/);
  assert.throws(() => computeStats({ ts, equity, periodsPerYear: 365, returns: r.subarray(1) }), RangeError);
  assert.throws(() => computeStats({ ts, equity, periodsPerYear: 0 }), RangeError);
  const empty = computeStats({ ts: new Float64Array(0), equity: new Float64Array(0), periodsPerYear: 365 });
  assert.ok(Number.isNaN(empty.sharpe) && Number.isNaN(empty.final_equity) && Number.isNaN(empty.max_drawdown));
});

Deno.test("computeStats: shared quantile and moment passes equal the functions exactly, in any key order", () => {
  // Ties (returns rounded to 1e-4), NaN gaps and a length where quickselect takes several rounds.
  const n = 20_001;
  const r0 = randomReturns(n - 1, 5);
  const ts = new Float64Array(n).map((_, i) => i * DAY);
  const equity = new Float64Array(n);
  let e = 1_000;
  for (let i = 0; i < n; i++) {
    if (i > 0) e *= 1 + Math.round(r0[i - 1]! * 1e4) / 1e4;
    equity[i] = i % 97 === 3 ? NaN : e;
  }
  const r = returnsFromEquity(equity);
  assert.ok(r.filter((x) => x !== x).length > 300 && new Set(r).size < r.length / 2); // NaNs and ties
  const opts = { periodsPerYear: 252, riskFree: 0.03 };
  const orders = [["tail_ratio", "cvar", "var"], ["cvar", "tail_ratio", "var"], ["var", "cvar", "tail_ratio"]];
  for (const confidence of [0.95, 0.9, 0.99, 0.5]) {
    for (const keys of orders) {
      const s = computeStats({ ts, equity, periodsPerYear: 252, riskFree: 0.03, confidence }, {
        keys: [...keys, "kurtosis", "psr", "skew", "dsr"],
      });
      assert.equal(s.var, valueAtRisk(r, { confidence }), `var ${confidence} ${keys}`);
      assert.equal(s.cvar, conditionalValueAtRisk(r, { confidence }), `cvar ${confidence} ${keys}`);
      assert.equal(s.tail_ratio, tailRatio(r), `tail_ratio ${confidence} ${keys}`);
      assert.equal(s.skew, skew(r));
      assert.equal(s.kurtosis, kurtosis(r));
      assert.equal(s.psr, psr(r, opts));
    }
  }
  const trialSharpes = Float64Array.of(0.5, 1, 1.5);
  const s = computeStats({ ts, equity, periodsPerYear: 252, riskFree: 0.03, trials: 10, sharpeVariance: 1e-4 });
  assert.equal(s.dsr, dsr(r, { trials: 10, sharpeVariance: 1e-4, ...opts }));
  assert.ok(Number.isFinite(computeStats({ ts, equity, periodsPerYear: 252, trialSharpes }).dsr));
  assert.throws(() => computeStats({ ts, equity, periodsPerYear: 252, confidence: 1 }), /valueAtRisk: confidence/);
  assert.throws(
    () => computeStats({ ts, equity, periodsPerYear: 252, confidence: 0 }, { keys: ["cvar"] }),
    /conditionalValueAtRisk: confidence/,
  );
  assert.ok(Number.isFinite(
    computeStats({ ts, equity, periodsPerYear: 252, confidence: 2 }, { keys: ["tail_ratio"] })
      .tail_ratio,
  ));
});

Deno.test("computeStats: cagr counts calendar years, annual_return bars (weekday market at 252)", () => {
  // 504 weekday bars (two trading years) of +0.05 % each, Monday 2024-01-01 onwards, weekends skipped.
  const ts: number[] = [];
  for (let t = Date.UTC(2024, 0, 1); ts.length < 505; t += DAY) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) ts.push(t);
  }
  const equity = Float64Array.from(ts, (_, i) => 100 * 1.0005 ** i);
  const tsa = new Float64Array(ts);
  const stats = computeStats({ ts: tsa, equity, periodsPerYear: 252 });
  const r = returnsFromEquity(equity);
  const growth = equity[504]! / equity[0]!;
  assertClose(stats.annual_return!, Math.pow(growth, 252 / 504) - 1, 1e-12);
  const years = (ts[504]! - ts[0]!) / (365 * DAY); // 706 days
  assertClose(stats.cagr!, Math.pow(growth, 1 / years) - 1, 1e-12);
  assertClose(stats.cagr!, cagr(r, { periodsPerYear: 252, ts: tsa }), 1e-12);
  assert.ok(stats.cagr! > stats.annual_return!); // 504 bars span less than two calendar years
  // The stability stat from precomputed returns is the same number.
  const again = computeStats({ ts: tsa, equity, periodsPerYear: 252, returns: r }, { keys: ["stability"] });
  assert.equal(again.stability, stats.stability);
  assertClose(stats.stability!, 1, 1e-12); // constant growth: a straight log line
});
