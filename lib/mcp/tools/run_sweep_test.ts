import assert from "node:assert/strict";
import { runSweepTool, SWEEP_MAX_COMBOS } from "./run_sweep.ts";
import { call, fakeContext, researchDataDir } from "./_research_testing.ts";
import { closeReadOnlyStores } from "./_series.ts";

const fx = await researchDataDir();

type Out = typeof runSweepTool.output._zod.output;

Deno.test("run_sweep ranks the grid, reports progress as combinations finish, and says what it capped", async () => {
  const { ctx, progress } = fakeContext(fx.dataDir);
  const fast = Array.from({ length: 10 }, (_, i) => 2 + i * 2);
  const slow = Array.from({ length: 10 }, (_, i) => 30 + i * 10);
  const r = await call<Out>(runSweepTool, {
    strategy: "sma_cross",
    grid: { fast, slow },
    options: { fee: 0.001 },
    series: "samples:SPX:1d",
    top: 5,
  }, ctx);
  const s = r.structured;
  assert.equal(s.combos, 100);
  assert.equal(s.metric, "sharpe");
  assert.equal(s.rows.length, 5);
  const sharpes = s.rows.map((row) => row.sharpe as number);
  assert.deepEqual(sharpes, [...sharpes].sort((a, b) => b - a));
  assert.deepEqual(s.best?.params, { fast: s.rows[0]!.fast, slow: s.rows[0]!.slow });
  assert.ok(s.best!.dsr !== null && s.best!.trials === 100);
  assert.match(s.provenance.capped!, /top 5 of 100 combinations by sharpe/);
  assert.match(s.provenance.annualization!, /^252 periods per year/);
  assert.match(s.provenance.note!, /not recorded/);
  assert.ok(progress.length >= 1);
  assert.equal(progress.at(-1)!.done, 100);
  assert.equal(progress.at(-1)!.total, 100);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.done >= progress[i - 1]!.done);
});

Deno.test("run_sweep counts invalid combinations and honours a lower-is-better metric", async () => {
  const { ctx } = fakeContext(fx.dataDir);
  const r = await call<Out>(runSweepTool, {
    strategy: "sma_cross",
    grid: { fast: [5, 20, 60], slow: [10, 50] },
    series: "samples:GOOG:1d",
    metric: "max_drawdown",
  }, ctx);
  assert.equal(r.structured.combos, 3); // 20/10, 60/10 and 60/50 are invalid (fast < slow)
  assert.equal(r.structured.skipped.count, 3);
  const dd = r.structured.rows.map((row) => row.max_drawdown as number);
  assert.ok(dd.length === 3 && dd.every((v) => typeof v === "number"));
});

Deno.test("run_sweep refuses a grid past its bound, and other bad arguments, naming the field", async () => {
  const { ctx } = fakeContext(fx.dataDir);
  const bad = async (args: Record<string, unknown>, re: RegExp) =>
    await assert.rejects(
      () => call(runSweepTool, { strategy: "sma_cross", series: "samples:SPX:1d", grid: { fast: [5] }, ...args }, ctx),
      re,
    );
  const many = Array.from({ length: 50 }, (_, i) => i + 2);
  await bad(
    { grid: { fast: many, slow: many.map((x) => x + 100) } },
    new RegExp(`grid: 2500 combinations is more than the ${SWEEP_MAX_COMBOS} one call may run`),
  );
  await bad({ grid: { fast: [5, 5] } }, /grid\.fast: lists a value twice/);
  await bad({ grid: { fats: [5] } }, /grid: .*fats/);
  await bad({ metric: "nope" }, /metric: metric "nope" is not a column/);
  await bad({ top: 1000 }, /top/);
  await bad({ timeBudgetMs: 60_000 }, /timeBudgetMs/);
  await bad({ options: { fill: "later" } }, /options: Invalid backtest options/);
});

Deno.test("run_sweep stops at its time budget with an error that names it", async () => {
  const { ctx } = fakeContext(fx.dataDir);
  const fast = Array.from({ length: 40 }, (_, i) => 2 + i);
  const slow = Array.from({ length: 40 }, (_, i) => 50 + i * 3);
  await assert.rejects(
    () =>
      call(runSweepTool, {
        strategy: "sma_cross",
        grid: { fast, slow },
        series: "samples:SPX:1d",
        stats: "full",
        timeBudgetMs: 100,
      }, ctx),
    /timeBudgetMs: the sweep passed its 100 ms budget after \d+ of \d+ combinations/,
  );
});

Deno.test({
  name: "cleanup",
  fn: async () => {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  },
});
