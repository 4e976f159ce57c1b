import assert from "node:assert/strict";
import { z } from "zod";
import { Frame } from "../frame/mod.ts";
import { definePortfolioStrategy } from "../strategies/mod.ts";
import { portfolioWalkForward } from "./portfolio_walk_forward.ts";
import { runPortfolioSweep } from "./portfolio_sweep.ts";
import { near } from "./_testing.ts";

const DAY = 86_400_000;
const frame = (close: number[], skip: number[] = []): Frame => {
  const rows = close.map((c, i) => [i, c] as const).filter(([i]) => !skip.includes(i));
  const c = Float64Array.from(rows, (r) => r[1]);
  return new Frame(Float64Array.from(rows, (r) => r[0] * DAY), { open: c, high: c, low: c, close: c });
};

/** Holds the asset at position `pick` with all the equity from the first bar on. */
const holdOne = definePortfolioStrategy({
  name: "hold_one_test",
  title: "Hold one",
  description: "Holds one asset, chosen by position, with all the equity.",
  params: z.object({ pick: z.number().int().min(0).max(1).default(0) }),
  warmup: () => 0,
  weights(frames, p) {
    const names = Object.keys(frames);
    return Object.fromEntries(names.map((a, j) => {
      const w = new Float64Array(frames[a]!.length).fill(NaN);
      if (w.length) w[0] = j === p.pick ? 1 : 0;
      return [a, { kind: "weights" as const, weights: w }];
    }));
  },
});

//        bar: 0   1   2   3   4   5   6   7   8   9  10  11
const A = [10, 10, 10, 11, 12, 13, 14, 14, 12, 10, 10, 12];
const B = [10, 10, 10, 10, 10, 10, 10, 11, 13, 15, 16, 16]; // no bar 1: a gap on the union timeline

Deno.test("folds hand-checked: windows on the union bars, in-sample pick, out-of-sample stitched", async () => {
  const frames = { a: frame(A), b: frame(B, [1]) };
  const wf = await portfolioWalkForward({
    frames,
    strategy: holdOne,
    grid: { pick: [0, 1] },
    train: 4,
    test: 2,
    folds: 3,
    options: { fill: "close" },
    metric: "total_return",
    periodsPerYear: 365,
  });
  // 12 union bars, 3 folds of 4 + 2 laid out from the end: the first training window starts at bar 2.
  assert.deepEqual(wf.folds.map((f) => [f.train.start, f.train.end, f.test.start, f.test.end]), [
    [2, 6, 6, 8],
    [4, 8, 8, 10],
    [6, 10, 10, 12],
  ]);
  // In-sample (bought at the window's first close): fold 0 a +30% vs b 0%; fold 1 a 12->14 vs b 10->11;
  // fold 2 a 14->10 vs b 10->15.
  assert.deepEqual(wf.folds.map((f) => f.params.pick), [0, 0, 1]);
  near(wf.folds[0]!.inSample, 0.3);
  near(wf.folds[2]!.inSample, 0.5);
  // Out of sample, bought at the test's first close: a 14->14, a 12->10, b 16->16; stitched from 10,000.
  const x = 10_000 * 10 / 12;
  assert.deepEqual(wf.folds.map((f) => f.outOfSample), [0, 10 / 12 - 1, 0]);
  assert.deepEqual([...wf.ts], [6, 7, 8, 9, 10, 11].map((i) => i * DAY));
  [10_000, 10_000, 10_000, x, x, x].forEach((v, i) => near(wf.equity[i]!, v));
  near(wf.stats.total_return!, 10 / 12 - 1);
  assert.deepEqual(wf.folds.map((f) => [f.testStart, f.testEnd]), [[6 * DAY, 7 * DAY], [8 * DAY, 9 * DAY], [
    10 * DAY,
    11 * DAY,
  ]]);
  // Trades carry indices into the stitched curve: the fold-1 trade enters at its position 2.
  assert.deepEqual(wf.stats.trades, 3);
  assert.deepEqual(wf.equityTable().getChild("fold")!.toArray().length, 6);

  // Each fold's pick is the in-sample sweep's best on that window's own bars.
  const sweep = await runPortfolioSweep({
    frames: { a: frame(A).slice(4, 8), b: frame(B, [1]).slice(3, 7) },
    strategy: holdOne,
    grid: { pick: [0, 1] },
    options: { fill: "close" },
    metric: "total_return",
    periodsPerYear: 365,
  });
  assert.deepEqual(sweep.best!.params, wf.folds[1]!.params);
  assert.equal(sweep.best!.value, wf.folds[1]!.inSample);
});

Deno.test("anchored folds keep the first training start; a warm-up reaches back before the test window", async () => {
  const frames = { a: frame(A), b: frame(B, [1]) };
  const wf = await portfolioWalkForward({
    frames,
    strategy: holdOne,
    grid: { pick: [0, 1] },
    train: 4,
    test: 2,
    folds: 3,
    mode: "anchored",
    options: { fill: "close" },
    metric: "total_return",
    periodsPerYear: 365,
  });
  assert.deepEqual(wf.folds.map((f) => [f.train.start, f.train.end]), [[2, 6], [2, 8], [2, 10]]);
  // Anchored: fold 1 a 10->14 vs b 10->11; fold 2 a 10->10 vs b 10->15.
  assert.deepEqual(wf.folds.map((f) => f.params.pick), [0, 0, 1]);

  const mr = await portfolioWalkForward({
    frames,
    strategy: "momentum_rotation",
    grid: { lookback: [2, 3], every: [1] },
    train: 6,
    test: 2,
    options: { fill: "close" },
    metric: "total_return",
    periodsPerYear: 365,
  });
  assert.equal(mr.folds.length, 3);
  for (const f of mr.folds) assert.equal(f.warmupBars, f.params.lookback);
});

Deno.test("bad inputs name the value and the fix", async () => {
  const frames = { a: frame(A), b: frame(B) };
  const base = { frames, strategy: holdOne, grid: { pick: [0, 1] } };
  await assert.rejects(() => portfolioWalkForward({ ...base, train: 10, test: 4 }), /12 union bars hold no fold/);
  await assert.rejects(() => portfolioWalkForward({ ...base, train: 4, test: 2, folds: 5 }), /from 1 to 4/);
  await assert.rejects(() => portfolioWalkForward({ ...base, train: 1, test: 2 }), /train must be an integer/);
  await assert.rejects(
    () => portfolioWalkForward({ ...base, train: 4, test: 2, metric: "sharp" }),
    /"sharp" is not a stat key/,
  );
  await assert.rejects(
    () => portfolioWalkForward({ frames, strategy: "sma_cross", train: 4, test: 2 }),
    /single-asset: use walkForward/,
  );
});
