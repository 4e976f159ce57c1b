// The live promotion checklist (/strategies/:name/checklist and its JSON twin): gates evaluated read-only on the
// lab's recorded runs and the account, never promoting; strict query; 404s; no secret in any answer.
import assert from "node:assert/strict";
import { createAccount } from "../lib/accounts/mod.ts";
import { AuditLog } from "../lib/audit/mod.ts";
import { type LabFixture, openLab } from "./_http_fixture.ts";

const SECRET_HOOK = "https://hooks.example.com/services/xoxb-secret-hook-123";
const TOKEN = "s3cret-token-value-0123456789";

function addAccount(lab: LabFixture, name: string): void {
  createAccount({ dataDir: lab.dir, name, kind: "paper", cash: 10_000, quote: "USDT" });
  const path = `${lab.dir}/_accounts/${name}/account.json`;
  const cfg = JSON.parse(Deno.readTextFileSync(path));
  cfg.notify = { ...cfg.notify, webhooks: [{ url: SECRET_HOOK }] };
  Deno.writeTextFileSync(path, JSON.stringify(cfg, null, 2));
}

async function get(lab: LabFixture, path: string, status = 200): Promise<string> {
  const r = await lab.app.request(path);
  const t = await r.text();
  assert.equal(r.status, status, `${path}: ${t.slice(0, 400)}`);
  assert.ok(!t.includes("xoxb-secret-hook"), `${path} shows the webhook URL`);
  assert.ok(!t.includes(TOKEN), `${path} shows the lab token`);
  return t;
}

Deno.test("live checklist: evaluates the gates read-only and shows what is missing", async () => {
  const lab = await openLab({ token: TOKEN });
  try {
    addAccount(lab, "paper-1");
    const head = (): number => {
      using log = AuditLog.open({ dataDir: lab.dir, account: "paper-1", readOnly: true });
      return log.head().seq;
    };
    const before = head();
    const runsBefore = (await lab.deps.runs.list()).length;

    const json = JSON.parse(
      await get(lab, "/api/strategies/sma_cross/checklist?account=paper-1&param.fast=12&param.slow=40"),
    );
    assert.equal(json.strategy, "sma_cross");
    assert.equal(json.account, "paper-1");
    assert.deepEqual(json.params, { fast: 12, slow: 40 });
    assert.match(json.codeHash, /^[0-9a-f]{64}$/);
    assert.equal(json.ok, false);
    // The lab's checklist uses the default options (all-in entries), which the default 25 % position cap would deny.
    assert.match(json.gates[2].evidence, /maxPositionShare allows 25 %/);
    assert.deepEqual(json.gates.map((g: { name: string; ok: boolean }) => [g.name, g.ok]), [
      ["backtest", false],
      ["walk_forward", false],
      ["risk_limits", false],
      ["parity", false],
      ["audit_chain", true],
    ]);
    assert.ok(json.gates.every((g: { evidence: string }) => g.evidence.length > 0));

    const page = await get(lab, "/strategies/sma_cross/checklist?account=paper-1&param.fast=12&param.slow=40");
    assert.match(page, /id="checklist-verdict" class="neg"><strong>4 of 5 gates fail/);
    assert.match(page, /<tr class="gate-fail">\s*<td>backtest<\/td>/);
    assert.match(page, /<tr class="gate-ok">\s*<td>audit_chain<\/td>/);
    assert.match(page, /name="param.fast" value="12"/);
    assert.match(page, /<option value="paper-1"\s+selected>/);

    // Read-only: no event appended, no run recorded.
    assert.equal(head(), before);
    assert.equal((await lab.deps.runs.list()).length, runsBefore);

    // Without an account the page is the form alone; the API needs one.
    const form = await get(lab, "/strategies/sma_cross/checklist");
    assert.match(form, /name="param.slow"[^>]*placeholder="30"/);
    assert.doesNotMatch(form, /id="gates"/);
    assert.match(await get(lab, "/api/strategies/sma_cross/checklist", 400), /account/);
  } finally {
    await lab.close();
  }
});

Deno.test("live checklist: strict query, unknown strategy or account, bad params", async () => {
  const lab = await openLab();
  try {
    addAccount(lab, "paper-1");
    const base = "/api/strategies/sma_cross/checklist?account=paper-1";
    const typo = JSON.parse(await get(lab, `${base}&parm.fast=10`, 400));
    assert.deepEqual(typo.issues[0].path, ["query", "parm.fast"]);
    assert.match(typo.issues[0].message, /use account, market and param.<name>/);
    assert.equal(JSON.parse(await get(lab, `${base}&param.fast=1&param.fast=2`, 400)).issues[0].path[1], "param.fast");
    assert.match(await get(lab, `${base}&param.fast=abc`, 400), /fast/);
    assert.match(await get(lab, `${base}&param.nope=1`, 400), /nope/);
    assert.match(await get(lab, `${base}&market=not-a-series`, 400), /not-a-series/);
    assert.match(await get(lab, "/api/strategies/nope/checklist?account=paper-1", 404), /strategies are/);
    assert.match(await get(lab, "/strategies/sma_cross/checklist?account=paper-9", 404), /known accounts: paper-1/);
    await get(lab, "/api/strategies/sma_cross/checklist?account=..%2Fetc", 400);
  } finally {
    await lab.close();
  }
});
