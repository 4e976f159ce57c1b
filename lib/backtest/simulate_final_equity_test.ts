import assert from "node:assert/strict";
import { simulate } from "./simulate.ts";
import { simulateFinalEquity } from "./simulate_final_equity.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { crossSignals, prng, randomFrame, sma } from "./_testing.ts";

Deno.test("kernel equals the general engine bit for bit, for every option combination it supports", () => {
  let compared = 0, ruined = 0;
  for (let seed = 1; seed <= 6; seed++) {
    const f = randomFrame(3000, seed);
    const rnd = prng(seed * 101);
    const fast = sma(f.close, 2 + Math.floor(rnd() * 10)), slow = sma(f.close, 15 + Math.floor(rnd() * 40));
    const signals = crossSignals(fast, slow);
    for (const fee of [0, 0.001, 0.01]) {
      for (const fixedFee of [0, 1, 499]) {
        for (const spread of [0, 0.002]) {
          for (const slippage of [0, 0.0005]) {
            for (const finalize of ["open", "close"] as const) {
              const o: BacktestOptionsInput = { fill: "close", fee, fixedFee, spread, slippage, finalize, cash: 1000 };
              const k = simulateFinalEquity({ close: f.close, fast, slow }, o);
              const r = simulate(f, signals, o);
              assert.equal(k.equity, r.finalEquity, `seed ${seed} ${JSON.stringify(o)}`);
              assert.equal(k.trades, r.trades.length);
              if (r.ruinedAt >= 0) ruined++;
              compared++;
            }
          }
        }
      }
    }
  }
  assert.equal(compared, 6 * 72);
  // fixedFee 499 on 1000 cash drives some runs to ruin, so that rule is compared too.
  assert.ok(ruined > 0);
});

Deno.test("kernel: NaN warm-up counts as not above; an entry on bar 0 is possible", () => {
  const close = new Float64Array([10, 12, 11, 13]);
  const fast = new Float64Array([NaN, 2, 0, 2]);
  const slow = new Float64Array([1, 1, 1, 1]);
  // Enter at 12 (bar 1), exit at 11 (bar 2), enter at 13 (bar 3), open at the end: 1000 * 11 / 12.
  assert.deepEqual(simulateFinalEquity({ close, fast, slow }, { fill: "close", cash: 1000, finalize: "open" }), {
    equity: (1000 / 12) * 11,
    trades: 2,
  });
  const above0 = simulateFinalEquity({ close, fast: new Float64Array([2, 2, 2, 2]), slow }, {
    fill: "close",
    cash: 10,
  });
  assert.deepEqual(above0, { equity: 13, trades: 1 });
});

Deno.test("kernel rejects options it does not implement", () => {
  const x = new Float64Array(3);
  assert.throws(() => simulateFinalEquity({ close: x, fast: x, slow: x }), /fill "close"/);
  assert.throws(() => simulateFinalEquity({ close: x, fast: x, slow: x }, { fill: "close", lot: 1 }), RangeError);
  assert.throws(
    () => simulateFinalEquity({ close: x, fast: x.subarray(1), slow: x }, { fill: "close" }),
    /equal lengths, got 3, 2, 3/,
  );
});
