import assert from "node:assert/strict";
import { join } from "node:path";
import { RunRegistry } from "./run_registry.ts";

const input = {
  kind: "single" as const,
  series: ["samples:GOOG:1d"],
  strategy: "sma_cross",
  params: { fast: 10, slow: 30 },
  options: { fee: 0.001 },
  manifest: { id: "cd".repeat(32) },
  stats: { sharpe: 1.2 },
  equity: { ts: Float64Array.of(0, 86_400_000), equity: Float64Array.of(10_000, 10_500) },
};

Deno.test("a read-only registry creates no folder, lists none, and refuses record and remove", async () => {
  const root = await Deno.makeTempDir();
  const dir = join(root, "_runs");
  await using runs = await RunRegistry.open({ dir, readOnly: true });
  assert.equal(runs.readOnly, true);
  assert.deepEqual(await runs.list(), []);
  await assert.rejects(() => runs.record(input), /read-only: record needs RunRegistry.open\(\) without readOnly/);
  await assert.rejects(() => Deno.stat(dir), Deno.errors.NotFound);
  await Deno.remove(root, { recursive: true });
});

Deno.test("a read-only registry reads runs, equity and trades, and keeps a crashed temp folder", async () => {
  const dir = await Deno.makeTempDir();
  const writer = await RunRegistry.open({ dir });
  const rec = await writer.record(input);
  await writer.close();
  const tmp = join(dir, ".tmp-old-1");
  await Deno.mkdir(tmp);
  await Deno.utime(tmp, 0, 0); // older than the hour after which a writable open removes it
  await using runs = await RunRegistry.open({ dir, readOnly: true });
  assert.deepEqual((await runs.list()).map((r) => r.id), [rec.id]);
  assert.deepEqual([...(await runs.equity(rec.id)).col("equity")], [10_000, 10_500]);
  assert.deepEqual(await runs.trades(rec.id), []);
  await assert.rejects(() => runs.remove(rec.id), /read-only: remove/);
  assert.ok((await Deno.stat(tmp)).isDirectory);
  assert.equal((await runs.get(rec.id)).id, rec.id);
  await Deno.remove(dir, { recursive: true });
});
