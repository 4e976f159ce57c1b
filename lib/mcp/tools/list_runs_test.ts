import assert from "node:assert/strict";
import { listRunsTool } from "./list_runs.ts";
import { call, fakeContext, researchDataDir } from "./_research_testing.ts";
import { closeReadOnlyStores } from "./_series.ts";

const fx = await researchDataDir();
const { ctx } = fakeContext(fx.dataDir);

type Out = typeof listRunsTool.output._zod.output;

Deno.test("list_runs lists newest first with headline stats and manifest hash", async () => {
  const r = await call<Out>(listRunsTool, {}, ctx);
  const s = r.structured;
  assert.deepEqual(s.runs.map((x) => x.id), [fx.otherRunId, fx.runId]);
  const spx = s.runs[1]!;
  assert.deepEqual(spx.series, ["samples:SPX:1d"]);
  assert.deepEqual(spx.params, { fast: 10, slow: 50 });
  assert.match(spx.manifestHash, /^[0-9a-f]{64}$/);
  assert.equal(typeof spx.engineVersion, "string");
  assert.equal(typeof spx.stats.sharpe, "number");
  assert.equal(s.nextOffset, null);
  assert.equal(s.provenance.capped, undefined);
  // The model needs no local path, and a home folder's name is the user's business.
  assert.ok(!JSON.stringify(r).includes(fx.dataDir), "the answer names no local path");
});

Deno.test("list_runs filters by strategy and series, and pages with offset/limit saying so", async () => {
  const bySeries = await call<Out>(listRunsTool, { series: "samples:SPX:1d" }, ctx);
  assert.deepEqual(bySeries.structured.runs.map((x) => x.id), [fx.runId]);
  const none = await call<Out>(listRunsTool, { strategy: "macd_cross" }, ctx);
  assert.deepEqual(none.structured.runs, []);
  const first = await call<Out>(listRunsTool, { limit: 1 }, ctx);
  assert.deepEqual(first.structured.runs.map((x) => x.id), [fx.otherRunId]);
  assert.equal(first.structured.nextOffset, 1);
  assert.match(first.structured.provenance.capped!, /pass offset=1 for more/);
  const second = await call<Out>(listRunsTool, { limit: 1, offset: 1 }, ctx);
  assert.deepEqual(second.structured.runs.map((x) => x.id), [fx.runId]);
  assert.equal(second.structured.nextOffset, null);
});

Deno.test("list_runs refuses bad arguments, naming the field", () => {
  for (
    const [args, field] of [[{ limit: 0 }, "limit"], [{ limit: 101 }, "limit"], [{ offset: -1 }, "offset"], [{
      kind: "x",
    }, "kind"], [{ sql: "DROP" }, "sql"]] as const
  ) {
    const r = listRunsTool.input.safeParse(args);
    assert.equal(r.success, false);
    assert.match(JSON.stringify(r.error!.issues), new RegExp(field));
  }
});

Deno.test({
  name: "cleanup",
  fn: async () => {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  },
});
