import assert from "node:assert/strict";
import { compareRunsTool } from "./compare_runs.ts";
import { call, fakeContext, researchDataDir } from "./_research_testing.ts";
import { closeReadOnlyStores } from "./_series.ts";

const fx = await researchDataDir();
const { ctx } = fakeContext(fx.dataDir);

type Out = typeof compareRunsTool.output._zod.output;

Deno.test("compare_runs puts the stats side by side, marks the best, and names differing conventions", async () => {
  const r = await call<Out>(compareRunsTool, { ids: [fx.runId, fx.otherRunId] }, ctx);
  const s = r.structured;
  assert.deepEqual(s.runs.map((x) => x.id), [fx.runId, fx.otherRunId]);
  const sharpe = s.rows.find((x) => x.key === "sharpe")!;
  assert.equal(sharpe.values.length, 2);
  const [a, b] = sharpe.values as [number, number];
  assert.equal(sharpe.best, a >= b ? 0 : 1);
  const dd = s.rows.find((x) => x.key === "max_drawdown")!;
  assert.ok(dd.best === 0 || dd.best === 1);
  assert.equal(s.rows[0]!.key, "total_return"); // registry order
  assert.match(s.provenance.note!, /differ in fill, costs/);
  assert.equal(s.runs[1]!.provenance.series, "samples:GOOG:1d");
});

Deno.test("compare_runs refuses too few, too many, repeated and unknown ids, naming the field", async () => {
  await assert.rejects(() => call(compareRunsTool, { ids: [fx.runId] }, ctx), /ids/);
  await assert.rejects(() => call(compareRunsTool, { ids: Array(11).fill(fx.runId) }, ctx), /ids/);
  await assert.rejects(
    () => call(compareRunsTool, { ids: [fx.runId, fx.runId] }, ctx),
    /ids: .* is listed twice; give each run once/,
  );
  await assert.rejects(
    () => call(compareRunsTool, { ids: [fx.runId, "nope"] }, ctx),
    /ids\[1\]: "nope" is not a run id/,
  );
});

Deno.test({
  name: "cleanup",
  fn: async () => {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  },
});
