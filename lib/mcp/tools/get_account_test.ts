import assert from "node:assert/strict";
import { accountStatus } from "../../accounts/mod.ts";
import { getAccountTool } from "./get_account.ts";
import { call, fakeContext, FIXTURE_WEBHOOK, researchDataDir } from "./_research_testing.ts";
import { closeReadOnlyStores } from "./_series.ts";

const fx = await researchDataDir();
const { ctx } = fakeContext(fx.dataDir);

type Out = typeof getAccountTool.output._zod.output;

Deno.test("get_account shows positions, cash, equity, trading state, risk limits and runner state", async () => {
  const r = await call<Out>(getAccountTool, { account: fx.account }, ctx);
  const s = r.structured;
  const st = accountStatus({ dataDir: fx.dataDir, name: fx.account });
  assert.equal(s.account, "paper-1");
  assert.equal(s.kind, "paper");
  assert.equal(s.tradingState, "active");
  assert.equal(s.equity, st.equity);
  assert.equal(s.cash, st.cash);
  assert.deepEqual(s.positions, st.positions);
  assert.equal(s.lastBars[0]!.symbol, "GOOG");
  assert.equal(s.risk?.configHash, st.risk?.configHash);
  assert.equal(s.audit.ok, true);
  assert.equal(s.runner.state, "stopped");
  assert.equal(s.runner.mode, "replay");
  assert.match(s.provenance.note!, /rebuilt from the audit log .* chain verified/);
  assert.match(r.text, /^Account paper-1 \(paper, /);
});

Deno.test("get_account never returns a secret: the webhook URL of account.json is nowhere in the answer", async () => {
  const text = await Deno.readTextFile(`${fx.dataDir}/_accounts/${fx.account}/account.json`);
  assert.ok(text.includes(FIXTURE_WEBHOOK), "the fixture has a webhook to leak");
  const r = await call<Out>(getAccountTool, { account: fx.account }, ctx);
  const out = JSON.stringify(r);
  assert.ok(!out.includes(FIXTURE_WEBHOOK));
  assert.ok(!out.includes("s3cretW3bh00k"));
  assert.ok(!out.includes("hooks.example.com"));
});

Deno.test("get_account refuses an unknown or malformed account, listing the ones there are", async () => {
  await assert.rejects(
    () => call(getAccountTool, { account: "nobody" }, ctx),
    /account: .*"nobody".*accounts here: paper-1/,
  );
  await assert.rejects(() => call(getAccountTool, { account: "../etc" }, ctx), /account: /);
  await assert.rejects(() => call(getAccountTool, {}, ctx), /account/);
});

Deno.test({
  name: "cleanup",
  fn: async () => {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  },
});
