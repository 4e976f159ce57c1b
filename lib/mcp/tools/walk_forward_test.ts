import assert from "node:assert/strict";
import { WALK_FORWARD_MAX_EVALS, walkForwardTool } from "./walk_forward.ts";
import { call, fakeContext, researchDataDir } from "./_research_testing.ts";
import { closeReadOnlyStores } from "./_series.ts";

const fx = await researchDataDir();

type Out = typeof walkForwardTool.output._zod.output;

Deno.test("walk_forward gives in- and out-of-sample stats per fold and the stitched curve's stats", async () => {
  const { ctx, progress } = fakeContext(fx.dataDir);
  const r = await call<Out>(walkForwardTool, {
    strategy: "sma_cross",
    grid: { fast: [5, 10, 20], slow: [50, 100] },
    options: { fee: 0.001 },
    series: "samples:SPX:1d",
    train: 750,
    test: 250,
    folds: 4,
  }, ctx);
  const s = r.structured;
  assert.equal(s.folds.length, 4);
  assert.equal(s.mode, "rolling");
  for (const f of s.folds) {
    assert.ok(f.trainTo < f.testFrom);
    assert.equal(f.trials, 6);
    assert.ok("sharpe" in f.inSample && "sharpe" in f.outOfSample);
    assert.deepEqual(Object.keys(f.params).sort(), ["fast", "slow"]);
  }
  // Test windows follow each other and end on the last bar.
  for (let i = 1; i < 4; i++) assert.ok(s.folds[i]!.testFrom > s.folds[i - 1]!.testTo);
  assert.equal(s.folds[3]!.testTo, s.provenance.to);
  assert.ok(s.stats.some((x) => x.key === "sharpe"));
  assert.match(s.provenance.note!, /not recorded; 4 folds \(rolling\)/);
  // One notification per fold, after it is done, so a client sees the call advance.
  assert.deepEqual(progress, [
    { done: 0, total: 4, message: "walk-forward: 4 folds of 6 combinations" },
    { done: 1, total: 4, message: "fold 1/4" },
    { done: 2, total: 4, message: "fold 2/4" },
    { done: 3, total: 4, message: "fold 3/4" },
    { done: 4, total: 4, message: "fold 4/4" },
  ]);
});

Deno.test("walk_forward refuses bad arguments, naming the field and the fix", async () => {
  const { ctx } = fakeContext(fx.dataDir);
  const bad = async (args: Record<string, unknown>, re: RegExp) =>
    await assert.rejects(
      () =>
        call(walkForwardTool, {
          strategy: "sma_cross",
          series: "samples:SPX:1d",
          grid: { fast: [5, 10] },
          train: 500,
          test: 250,
          ...args,
        }, ctx),
      re,
    );
  await bad({ train: 5_000, test: 500 }, /train\/test: \d+ bars hold no fold of train 5000 \+ test 500 bars/);
  await bad({ folds: 50 }, /folds: 50 folds do not fit in \d+ bars; use at most \d+/);
  const vals = Array.from({ length: 45 }, (_, i) => i + 2);
  await bad(
    { grid: { fast: vals, slow: vals.map((v) => v + 50) }, train: 200, test: 100 },
    /grid: 2025 combinations is more than the 2000/,
  );
  await bad(
    { grid: { fast: vals.slice(0, 40), slow: vals.map((v) => v + 50) }, train: 100, test: 100, folds: 40 },
    new RegExp(`folds: 1800 combinations x 40 folds is more than ${WALK_FORWARD_MAX_EVALS} evaluations`),
  );
  await bad({ metric: "nope" }, /metric: metric "nope" is not a stat key/);
  await bad({ mode: "sideways" }, /mode/);
  await bad({ strategy: "nope" }, /strategy: unknown strategy "nope"/);
});

Deno.test({
  name: "cleanup",
  fn: async () => {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  },
});
