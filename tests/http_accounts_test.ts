// The lab's account pages and API: list, detail, pause / resume / kill (forms and JSON), events paging, the audit
// chain status on the page, 404/400, the token on POST, and no webhook URL in any answer.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { createAccount } from "../lib/accounts/mod.ts";
import { AuditLog } from "../lib/audit/mod.ts";
import { type LabFixture, openLab, postForm, postJson } from "./_http_fixture.ts";

const SECRET_HOOK = "https://hooks.example.com/services/xoxb-secret-hook-123";

async function labWithAccount(overrides: Parameters<typeof openLab>[0] = {}): Promise<LabFixture> {
  const lab = await openLab(overrides);
  createAccount({ dataDir: lab.dir, name: "paper-1", kind: "paper", cash: 10_000, quote: "USDT" });
  // A webhook with a secret in its URL, as a user would add by editing account.json.
  const path = `${lab.dir}/_accounts/paper-1/account.json`;
  const cfg = JSON.parse(Deno.readTextFileSync(path));
  cfg.notify = { ...cfg.notify, webhooks: [{ url: SECRET_HOOK }] };
  Deno.writeTextFileSync(path, JSON.stringify(cfg, null, 2));
  return lab;
}

Deno.test("accounts: list and detail pages show the state, limits, events and chain; no webhook URL anywhere", async () => {
  const lab = await labWithAccount();
  try {
    const list = await lab.app.request("/accounts");
    assert.equal(list.status, 200);
    const lt = await list.text();
    assert.match(lt, /href="\/accounts\/paper-1"/);
    assert.match(lt, /active/);
    assert.match(lt, /10,000 USDT/);
    assert.match(lt, /intact/);
    const page = await lab.app.request("/accounts/paper-1");
    assert.equal(page.status, 200);
    const t = await page.text();
    assert.match(t, /id="trading-state"><span class="trading-state state-active"/);
    assert.match(t, /id="config-hash">[0-9a-f]{64}</);
    assert.match(t, /maxDrawdown/);
    assert.match(t, /Chain: <span class="chain-ok/);
    assert.match(t, /config_change/);
    assert.match(t, /action="\/accounts\/paper-1\/kill"/);
    assert.match(t, /name="flatten"/);
    assert.match(t, /name="confirmAccount"/);
    const api = await lab.app.request("/api/accounts/paper-1");
    assert.equal(api.status, 200);
    const at = await api.text();
    assert.equal(JSON.parse(at).tradingState, "active");
    const all = await lab.app.request("/api/accounts");
    const allJson = await all.json();
    assert.equal(allJson.accounts[0].name, "paper-1");
    assert.equal(allJson.accounts[0].chainOk, true);
    for (const text of [lt, t, at, JSON.stringify(allJson)]) assert.ok(!text.includes("xoxb-secret-hook"));
  } finally {
    await lab.close();
  }
});

Deno.test("accounts API: pause -> reducing, kill -> halted, resume refused without confirmation, then active", async () => {
  const lab = await labWithAccount();
  try {
    const p = await postJson(lab.app, "/api/accounts/paper-1/pause", { reason: "FOMC" });
    assert.equal(p.status, 200);
    assert.equal((await p.json()).tradingState, "reducing");
    const s = await (await lab.app.request("/api/accounts/paper-1")).json();
    assert.equal(s.tradingState, "reducing");
    assert.equal(s.reason, "FOMC");
    const k = await postJson(lab.app, "/api/accounts/paper-1/kill", { reason: "incident", flatten: true });
    const kj = await k.json();
    assert.equal(kj.tradingState, "halted");
    assert.match(kj.message, /flatten/);
    const refused = await postJson(lab.app, "/api/accounts/paper-1/resume", { reason: "over" });
    assert.equal(refused.status, 400);
    assert.match((await refused.json()).error, /confirmAccount: "paper-1"/);
    const wrong = await postJson(lab.app, "/api/accounts/paper-1/resume", { confirmAccount: "paper-2" });
    assert.equal(wrong.status, 400);
    const ok = await postJson(lab.app, "/api/accounts/paper-1/resume", { confirmAccount: "paper-1", reason: "over" });
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).tradingState, "active");
    const strict = await postJson(lab.app, "/api/accounts/paper-1/pause", { reason: "x", extra: 1 });
    assert.equal(strict.status, 400);
    assert.deepEqual((await strict.json()).issues[0].path, ["json"]);
  } finally {
    await lab.close();
  }
});

/** Follows a 303 as a browser does, sending the cookie it set (the outcome of the form). */
async function follow(lab: LabFixture, res: Response): Promise<string> {
  assert.equal(res.status, 303);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const page = await lab.app.request(res.headers.get("location")!, { headers: { Cookie: cookie } });
  assert.equal(page.status, 200);
  return await page.text();
}

Deno.test("accounts pages: forms pause, kill (flatten) and resume with confirmation, redirecting 303 with the outcome", async () => {
  const lab = await labWithAccount();
  try {
    const p = await postForm(lab.app, "/accounts/paper-1/pause", { reason: "news" });
    assert.equal(p.headers.get("location"), "/accounts/paper-1");
    assert.match(p.headers.get("set-cookie") ?? "", /HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/i);
    const after = await follow(lab, p);
    assert.match(after, /id="outcome">paper-1: paused/);
    assert.match(after, /state-reducing/);
    const killed = await follow(
      lab,
      await postForm(lab.app, "/accounts/paper-1/kill", { reason: "drill", flatten: "on" }),
    );
    assert.match(killed, /state-halted/);
    assert.match(killed, /flatten requested/);
    const refusedPage = await follow(
      lab,
      await postForm(lab.app, "/accounts/paper-1/resume", { reason: "x", confirmAccount: "" }),
    );
    assert.match(refusedPage, /Refused: account &quot;paper-1&quot; was killed/);
    assert.match(refusedPage, /state-halted/);
    const resumed = await follow(
      lab,
      await postForm(lab.app, "/accounts/paper-1/resume", { confirmAccount: "paper-1" }),
    );
    assert.match(resumed, /state-active/);
    const cross = await postForm(lab.app, "/accounts/paper-1/pause", {}, { Origin: "https://evil.example" });
    assert.equal(cross.status, 403);
    // A crafted link cannot put words on the page: the outcome comes only from the lab's own cookie.
    const crafted = await (await lab.app.request("/accounts/paper-1?msg=call+us&err=call+us")).text();
    assert.doesNotMatch(crafted, /call us/);
  } finally {
    await lab.close();
  }
});

Deno.test("accounts page: positions and open orders from the audit log", async () => {
  const lab = await labWithAccount();
  try {
    const log = AuditLog.open({ dataDir: lab.dir, account: "paper-1" });
    try {
      const intent = (id: string, qty: number) => ({
        clientOrderId: id,
        account: "paper-1",
        strategy: "sma_cross",
        symbol: "BTC/USDT",
        side: "buy" as const,
        qty,
        price: 100,
        reduceOnly: false,
        barTs: 0,
      });
      const verdict = (id: string) => ({ clientOrderId: id, ok: true, code: "ok", detail: "" });
      log.appendMany([
        { kind: "order_intent", runId: "r1", ts: 1, payload: intent("o-1", 2) },
        { kind: "risk_verdict", runId: "r1", ts: 1, payload: verdict("o-1") },
        {
          kind: "order_filled",
          runId: "r1",
          ts: 2,
          payload: { clientOrderId: "o-1", symbol: "BTC/USDT", side: "buy", qty: 2, price: 100, fee: 0.2, ts: 2 },
        },
        { kind: "order_intent", runId: "r1", ts: 3, payload: intent("o-2", 1.5) },
        { kind: "risk_verdict", runId: "r1", ts: 3, payload: verdict("o-2") },
      ]);
    } finally {
      log.close();
    }
    const t = await (await lab.app.request("/accounts/paper-1")).text();
    assert.match(t, /id="positions"[\s\S]*BTC\/USDT[\s\S]*>2<[\s\S]*>100</);
    assert.match(t, /id="open-orders"[\s\S]*o-2[\s\S]*>1\.5<[\s\S]*approved/);
    assert.doesNotMatch(t, /id="open-orders"[\s\S]*o-1</);
    const s = await (await lab.app.request("/api/accounts/paper-1")).json();
    assert.equal(s.positions[0].qty, 2);
    assert.equal(s.openOrders[0].clientOrderId, "o-2");
  } finally {
    await lab.close();
  }
});

Deno.test("accounts: with a token configured, POST without it is 401 and changes nothing", async () => {
  const token = "s3cret-token-value-0123456789";
  const lab = await labWithAccount({ token });
  try {
    const anon = await postJson(lab.app, "/api/accounts/paper-1/kill", { reason: "x" });
    assert.equal(anon.status, 401);
    assert.equal((await postForm(lab.app, "/accounts/paper-1/kill", { reason: "x" })).status, 401);
    const s = await (await lab.app.request("/api/accounts/paper-1")).json();
    assert.equal(s.tradingState, "active");
    const ok = await postJson(lab.app, "/api/accounts/paper-1/kill", {}, { Authorization: `Bearer ${token}` });
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).tradingState, "halted");
  } finally {
    await lab.close();
  }
});

Deno.test("accounts events API: pages with afterSeq/limit, filters by kind", async () => {
  const lab = await labWithAccount();
  try {
    for (let i = 0; i < 3; i++) {
      await postJson(lab.app, "/api/accounts/paper-1/pause", { reason: `p${i}` });
      await postJson(lab.app, "/api/accounts/paper-1/resume", { reason: `r${i}` });
    }
    const first = await (await lab.app.request("/api/accounts/paper-1/events?limit=4")).json();
    assert.deepEqual(first.events.map((e: { seq: number }) => e.seq), [1, 2, 3, 4]);
    assert.equal(first.nextAfterSeq, 4);
    const second = await (await lab.app.request("/api/accounts/paper-1/events?limit=4&afterSeq=4")).json();
    assert.deepEqual(second.events.map((e: { seq: number }) => e.seq), [5, 6, 7]);
    assert.equal(second.nextAfterSeq, null);
    const pauses = await (await lab.app.request("/api/accounts/paper-1/events?kind=pause")).json();
    assert.deepEqual(pauses.events.map((e: { payload: { reason: string } }) => e.payload.reason), ["p0", "p1", "p2"]);
    assert.equal((await lab.app.request("/api/accounts/paper-1/events?kind=teleport")).status, 400);
    assert.equal((await lab.app.request("/api/accounts/paper-1/events?limit=0")).status, 400);
    assert.equal((await lab.app.request("/api/accounts/paper-1/events?bogus=1")).status, 400);
  } finally {
    await lab.close();
  }
});

Deno.test("accounts: a tampered audit log shows the first bad seq on the page and in the list", async () => {
  const lab = await labWithAccount();
  try {
    for (const reason of ["a", "b"]) {
      await postJson(lab.app, "/api/accounts/paper-1/pause", { reason });
      await postJson(lab.app, "/api/accounts/paper-1/resume", { reason });
    }
    const db = new DatabaseSync(`${lab.dir}/_accounts/paper-1/audit.sqlite`);
    try {
      db.exec("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;");
      db.exec(`UPDATE events SET payload = replace(payload, '"reason":"b"', '"reason":"z"') WHERE seq = 4`);
    } finally {
      db.close();
    }
    const t = await (await lab.app.request("/accounts/paper-1")).text();
    assert.match(t, /chain-bad neg"><strong>broken at seq 4<\/strong>/);
    assert.match(await (await lab.app.request("/accounts")).text(), /broken at seq 4/);
    const s = await (await lab.app.request("/api/accounts/paper-1")).json();
    assert.equal(s.audit.firstBadSeq, 4);
  } finally {
    await lab.close();
  }
});

Deno.test("accounts: unknown account is 404 naming the known ones; a bad name is 400", async () => {
  const lab = await labWithAccount();
  try {
    for (const path of ["/accounts/paper-9", "/api/accounts/paper-9", "/api/accounts/paper-9/events"]) {
      const r = await lab.app.request(path);
      assert.equal(r.status, 404, path);
      assert.match(await r.text(), /known accounts: paper-1/);
    }
    assert.equal((await postJson(lab.app, "/api/accounts/paper-9/kill", {})).status, 404);
    for (const path of ["/accounts/BAD%20NAME", "/api/accounts/..%2Fetc", "/api/accounts/a%24b/events"]) {
      const r = await lab.app.request(path);
      assert.equal(r.status, 400, path);
    }
    assert.equal((await postJson(lab.app, "/api/accounts/BAD%20NAME/pause", {})).status, 400);
    // An account log exists for no one else: nothing was created by these requests.
    assert.throws(() => AuditLog.open({ dataDir: lab.dir, account: "paper-9", readOnly: true }));
  } finally {
    await lab.close();
  }
});

Deno.test("accounts: the OpenAPI document lists the account routes, with the strict operator body", async () => {
  const lab = await openLab();
  try {
    const doc = await (await lab.app.request("/api/openapi.json")).json();
    for (const path of ["/api/accounts", "/api/accounts/{name}", "/api/accounts/{name}/events"]) {
      assert.ok(doc.paths[path]?.get, path);
    }
    for (const action of ["pause", "resume", "kill"]) {
      const op = doc.paths[`/api/accounts/{name}/${action}`]?.post;
      assert.ok(op, action);
      assert.ok(op.responses[401], `${action} documents the token`);
    }
    const body = doc.components.schemas.OperatorRequest;
    assert.equal(body.additionalProperties, false);
    assert.deepEqual(Object.keys(body.properties).sort(), ["confirmAccount", "flatten", "reason"]);
  } finally {
    await lab.close();
  }
});
