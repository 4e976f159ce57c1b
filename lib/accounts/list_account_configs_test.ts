import assert from "node:assert/strict";
import { AuditLog } from "../audit/mod.ts";
import { createAccount, listAccountConfigs } from "./mod.ts";
import { withDataDir } from "./_test_helpers.ts";

Deno.test("listAccountConfigs: sorted, with an error for a broken config or a log without one", () =>
  withDataDir((dataDir) => {
    createAccount({ dataDir, name: "b-live", kind: "live", cash: 500, quote: "USD", now: 0 });
    const a = createAccount({ dataDir, name: "a-paper", kind: "paper", cash: 1_000, now: 0 });
    AuditLog.open({ dataDir, account: "c-log-only" }).close();
    Deno.mkdirSync(`${dataDir}/_accounts/d-empty`);
    Deno.writeTextFileSync(a.path, "nope");
    const list = listAccountConfigs({ dataDir });
    assert.deepEqual(list.map((x) => x.name), ["a-paper", "b-live", "c-log-only"]);
    assert.match(list[0]!.error!, /not valid JSON/);
    assert.deepEqual(list[1], {
      name: "b-live",
      kind: "live",
      quote: "USD",
      startingCash: 500,
      createdAt: "1970-01-01T00:00:00.000Z",
    });
    assert.equal(list[2]!.error, "no account.json (an audit log only)");
  }));
