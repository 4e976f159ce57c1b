import assert from "node:assert/strict";
import { AuditLog } from "../../audit/mod.ts";
import { queryAuditLogTool } from "./query_audit_log.ts";
import { call, fakeContext, FIXTURE_WEBHOOK, researchDataDir } from "./_research_testing.ts";
import { closeReadOnlyStores } from "./_series.ts";

const fx = await researchDataDir();
const { ctx } = fakeContext(fx.dataDir);

type Out = typeof queryAuditLogTool.output._zod.output;

Deno.test("query_audit_log pages the whole log by afterSeq, in seq order, and says when more follows", async () => {
  using log = AuditLog.open({ dataDir: fx.dataDir, account: fx.account, readOnly: true });
  const all = log.query({ limit: 1_000_000 });
  const seen: number[] = [];
  let afterSeq = 0;
  for (let page = 0; page < 100; page++) {
    const r = await call<Out>(queryAuditLogTool, { account: fx.account, afterSeq, limit: 50 }, ctx);
    seen.push(...r.structured.events.map((e) => e.seq));
    if (r.structured.nextAfterSeq === null) {
      assert.equal(r.structured.provenance.capped, undefined);
      break;
    }
    assert.match(r.structured.provenance.capped!, /page of 50 events; pass afterSeq=\d+/);
    afterSeq = r.structured.nextAfterSeq;
  }
  assert.deepEqual(seen, all.map((e) => e.seq));
});

Deno.test("query_audit_log filters by kinds, symbol and time", async () => {
  const fills = await call<Out>(queryAuditLogTool, { account: fx.account, kinds: ["order_filled"], limit: 500 }, ctx);
  assert.ok(fills.structured.events.length > 0);
  assert.ok(fills.structured.events.every((e) => e.kind === "order_filled" && e.payload.symbol === "GOOG"));
  const bars = await call<Out>(queryAuditLogTool, { account: fx.account, symbol: "GOOG", limit: 500 }, ctx);
  assert.ok(bars.structured.events.some((e) => e.kind === "bar" || e.kind === "bars"));
  const none = await call<Out>(queryAuditLogTool, { account: fx.account, symbol: "NOPE" }, ctx);
  assert.deepEqual(none.structured.events, []);
  const t = fills.structured.events[0]!.time;
  const after = await call<Out>(
    queryAuditLogTool,
    { account: fx.account, kinds: ["order_filled"], from: t, limit: 500 },
    ctx,
  );
  assert.ok(after.structured.events.every((e) => e.time >= t));
  const before = await call<Out>(queryAuditLogTool, { account: fx.account, kinds: ["order_filled"], to: t }, ctx);
  assert.deepEqual(before.structured.events, []);
});

Deno.test("query_audit_log never shows the webhook URL of the account's config", async () => {
  const r = await call<Out>(queryAuditLogTool, { account: fx.account, limit: 500 }, ctx);
  assert.ok(!JSON.stringify(r).includes("s3cretW3bh00k"));
  assert.ok(!JSON.stringify(r).includes(FIXTURE_WEBHOOK));
});

Deno.test("query_audit_log refuses unknown accounts and bad filters, naming the field and the fix", async () => {
  await assert.rejects(
    () => call(queryAuditLogTool, { account: "nobody" }, ctx),
    /account: No audit log for account "nobody"; use one of: paper-1/,
  );
  await assert.rejects(
    () => call(queryAuditLogTool, { account: fx.account, from: "soon" }, ctx),
    /from: "soon" is not a date/,
  );
  await assert.rejects(() => call(queryAuditLogTool, { account: fx.account, kinds: ["trade"] }, ctx), /kinds/);
  await assert.rejects(() => call(queryAuditLogTool, { account: fx.account, limit: 501 }, ctx), /limit/);
  await assert.rejects(() => call(queryAuditLogTool, { account: fx.account, sql: "x" }, ctx), /sql/);
});

Deno.test({
  name: "cleanup",
  fn: async () => {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  },
});
