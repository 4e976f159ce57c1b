// The audit logs live in the store's data dir (`_accounts/`), which the store skips like `_runs/` and `_jobs/`.
import assert from "node:assert/strict";
import { AuditLog, listAccounts } from "../lib/audit/mod.ts";
import { Store } from "../lib/store/mod.ts";
import { randomBars } from "../lib/testing/mod.ts";
import { sampleEvents } from "../lib/audit/_test_events.ts";

Deno.test("audit + store: accounts under <data dir>/_accounts do not show up as series, and series do not show up as accounts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "audit-store-" });
  try {
    using log = AuditLog.open({ dataDir: dir, account: "paper-1" });
    log.appendMany(sampleEvents(8));
    const store = await Store.open({ dir });
    try {
      assert.deepEqual(await store.list(), []);
      await store.append({ exchange: "x", symbol: "A/B", timeframe: "1h" }, randomBars({ n: 10, seed: 1 }));
      assert.equal((await store.list()).length, 1);
    } finally {
      await store.close();
    }
    assert.deepEqual(listAccounts(dir), ["paper-1"]);
    assert.equal(log.verify().ok, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
