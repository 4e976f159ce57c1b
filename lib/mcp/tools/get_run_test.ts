import assert from "node:assert/strict";
import { join } from "node:path";
import { RunRegistry } from "../../runs/mod.ts";
import { getRunTool } from "./get_run.ts";
import { call, fakeContext, researchDataDir } from "./_research_testing.ts";
import { closeReadOnlyStores } from "./_series.ts";

const fx = await researchDataDir();
const { ctx } = fakeContext(fx.dataDir);

type Out = typeof getRunTool.output._zod.output;

Deno.test("get_run returns stats, manifest, provenance and the first page of trades", async () => {
  const r = await call<Out>(getRunTool, { id: fx.runId }, ctx);
  const s = r.structured;
  await using runs = await RunRegistry.open({ dir: join(fx.dataDir, "_runs"), readOnly: true });
  const rec = await runs.get(fx.runId);
  const trades = await runs.trades(fx.runId);
  assert.equal(s.id, fx.runId);
  assert.equal(s.stats.find((x) => x.key === "sharpe")!.value, rec.stats.sharpe);
  assert.equal(s.tradeCount, trades.length);
  assert.equal(s.trades.length, Math.min(50, trades.length));
  assert.equal(s.trades[0]!.pnl, trades[0]!.pnl);
  assert.equal(s.manifest.id, rec.manifest_id);
  const p = s.provenance;
  assert.equal(p.runId, fx.runId);
  assert.equal(p.manifestHash, rec.manifest_id);
  assert.equal(p.series, "samples:SPX:1d");
  assert.match(p.fill!, /^next_open/);
  assert.match(p.costs!, /fee 0\.1%/);
  assert.ok(p.from && p.to && p.quality);
});

Deno.test("get_run pages the trades with offset/limit and says where the rest is", async () => {
  const all = (await call<Out>(getRunTool, { id: fx.runId, limit: 0 }, ctx)).structured.tradeCount;
  assert.ok(all > 10);
  const page = await call<Out>(getRunTool, { id: fx.runId, offset: 5, limit: 5 }, ctx);
  assert.equal(page.structured.trades.length, 5);
  assert.equal(page.structured.nextOffset, 10);
  assert.match(page.structured.provenance.capped!, new RegExp(`trades 5\\.\\.10 of ${all}; pass offset=10`));
  const full = await call<Out>(getRunTool, { id: fx.runId, limit: 200 }, ctx);
  assert.deepEqual(page.structured.trades, full.structured.trades.slice(5, 10));
  const last = await call<Out>(getRunTool, { id: fx.runId, offset: all - 2, limit: 5 }, ctx);
  assert.equal(last.structured.trades.length, 2);
  assert.equal(last.structured.nextOffset, null);
});

Deno.test("get_run refuses unknown and malformed ids and bad pages, naming the field", async () => {
  await assert.rejects(
    () => call(getRunTool, { id: "../../etc/passwd" }, ctx),
    /id: "\.\.\/\.\.\/etc\/passwd" is not a run id .*list_runs/,
  );
  const unknown = fx.runId.slice(0, -4) + (fx.runId.endsWith("0000") ? "1111" : "0000");
  await assert.rejects(
    () => call(getRunTool, { id: unknown }, ctx),
    /id: no recorded run has the id .*; list_runs shows the ids/,
  );
  await assert.rejects(() => call(getRunTool, { id: fx.runId, limit: 201 }, ctx), /limit/);
  await assert.rejects(() => call(getRunTool, { id: fx.runId, offset: -1 }, ctx), /offset/);
});

Deno.test({
  name: "cleanup",
  fn: async () => {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  },
});
