import assert from "node:assert/strict";
import { JobStore } from "./_job_store.ts";

Deno.test("JobStore keeps every state change across reopen and drops the oldest finished jobs beyond `keep`", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let store = new JobStore(dir, 2);
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    for (let i = 0; i < 4; i++) {
      store.insert({ id: `job-${i}`, kind: "backtest", label: "x", request: `{"n":${i}}`, createdAt: t(i) });
    }
    store.started("job-0", t(10));
    store.finished("job-0", "done", t(11), '{"runId":"r0"}', null);
    store.finished("job-1", "failed", t(12), null, "bad");
    store.finished("job-2", "cancelled", t(13), null, "cancelled by the user");
    store.close();
    store = new JobStore(dir, 2);
    // Kept: the unfinished job-3 (never dropped) and the newest 2 rows overall.
    assert.deepEqual(store.recent(10).map((j) => [j.id, j.state]), [["job-3", "queued"], ["job-2", "cancelled"]]);
    assert.equal(store.get("job-0"), undefined);
    assert.deepEqual(store.unfinished().map((j) => j.request), ['{"n":3}']);
    store.close();
    store.close(); // a second close is a no-op
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
