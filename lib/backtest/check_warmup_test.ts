import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { registry } from "../strategies/mod.ts";
import { checkWarmup } from "./check_warmup.ts";
import { runBacktest } from "./backtest.ts";
import { runSweep } from "./sweep.ts";

function frameOf(n: number): Frame {
  const close = Float64Array.from({ length: n }, (_, i) => 100 + 10 * Math.sin(i / 7));
  const ts = Float64Array.from(close, (_, i) => i * 86_400_000);
  return new Frame(ts, { open: close, high: close, low: close, close, volume: close });
}

Deno.test("checkWarmup refuses a warm-up >= the bar count, naming the warm-up, the bars and the fix", () => {
  const s = registry.get("sma_cross");
  assert.throws(
    () => checkWarmup(s, { fast: 9999, slow: 10000 }, 5105, { series: "samples:SPX:1d" }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        "sma_cross with fast=9999, slow=10000 needs 10000 bars of warm-up; samples:SPX:1d has 5105 bars: " +
          "use a shorter period or more data",
  );
  // The first bar that can signal must exist: warm-up 30 needs at least 31 bars.
  assert.throws(() => checkWarmup(s, { fast: 10, slow: 30 }, 30), /needs 30 bars of warm-up; the data has 30 bars/);
  checkWarmup(s, { fast: 10, slow: 30 }, 31);
});

Deno.test("runBacktest refuses a strategy whose warm-up is longer than the data", async () => {
  await assert.rejects(
    () => runBacktest({ frame: frameOf(50), strategy: "sma_cross", params: { fast: 10, slow: 60 } }),
    /sma_cross with fast=10, slow=60 needs 60 bars of warm-up; the data has 50 bars: use a shorter period or more data/,
  );
  const ok = await runBacktest({ frame: frameOf(61), strategy: "sma_cross", params: { fast: 10, slow: 60 } });
  assert.equal(ok.sim.ts.length, 61);
});

Deno.test("runSweep counts combinations whose warm-up exceeds the data as invalid, with the reason", async () => {
  const r = await runSweep({
    frame: frameOf(50),
    strategy: "sma_cross",
    grid: { fast: [5], slow: [20, 49, 50, 80] },
    workers: 0,
  });
  assert.equal(r.combos, 2);
  assert.equal(r.skipped.count, 2);
  assert.match(r.skipped.reasons.join("\n"), /needs 50 bars of warm-up; the data has 50 bars/);
  // Nothing valid at all: best is null, no crash.
  const none = await runSweep({
    frame: frameOf(50),
    strategy: "sma_cross",
    grid: { fast: [5], slow: [60] },
    workers: 0,
  });
  assert.equal(none.best, null);
  assert.equal(none.skipped.count, 1);
});
