import assert from "node:assert/strict";
import { withDataDir } from "./_test_helpers.ts";
import { AccountConfigSchema } from "./account_config.ts";
import { AlertConfigSchema } from "./alert_config.ts";
import { createAccount } from "./create_account.ts";
import { loadAccount } from "./load_account.ts";
import { reloadAccountConfig } from "./reload_account_config.ts";

Deno.test("alerts: every rule off by default; thresholds checked with their path", () => {
  const empty = AlertConfigSchema.parse({});
  assert.equal(empty.perSinkPerMinute, 10);
  for (const k of ["drawdown", "dailyLoss", "feedStale", "orderRejected", "reconciliationMismatch", "killSwitch"]) {
    assert.equal((empty as Record<string, unknown>)[k], undefined);
  }
  const on = AlertConfigSchema.parse({ orderRejected: {}, killSwitch: { enabled: true } });
  assert.equal(on.orderRejected?.enabled, false);
  assert.equal(on.killSwitch?.enabled, true);
  const bad = AlertConfigSchema.safeParse({ feedStale: { enabled: true, seconds: 0 }, extra: 1 });
  assert.equal(bad.success, false);
  const paths = bad.error!.issues.map((i) => i.path.join("."));
  assert.ok(paths.includes("feedStale.seconds"), paths.join(","));
  assert.equal(AlertConfigSchema.safeParse({ drawdown: { enabled: true } }).success, false, "above is required");
});

Deno.test("account.json: no alerts block keeps the config (and its hash); an edited one is loaded and reloaded", async () => {
  await withDataDir((dataDir) => {
    const acct = createAccount({ dataDir, name: "a1", kind: "paper", cash: 1_000, now: 0 });
    assert.equal(acct.config.alerts, undefined);
    assert.equal(loadAccount({ dataDir, name: "a1" }).configHash, acct.configHash);
    const edited = {
      ...acct.config,
      alerts: { drawdown: { enabled: true, above: 0.1 }, feedStale: { enabled: true, seconds: 120 } },
    };
    Deno.writeTextFileSync(acct.path, JSON.stringify(edited, null, 2));
    const r = reloadAccountConfig(acct);
    assert.equal(r.status, "changed");
    const loaded = loadAccount({ dataDir, name: "a1" });
    assert.equal(loaded.config.alerts?.drawdown?.above, 0.1);
    assert.equal(loaded.config.alerts?.drawdown?.level, "warning");
    assert.equal(loaded.config.alerts?.dedupSeconds, 900);
    assert.equal(AccountConfigSchema.safeParse({ ...edited, alerts: { drawdown: { above: 2 } } }).success, false);
  });
});
