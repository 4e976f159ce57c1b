// The lab's reconciliation acknowledgement: the hold panel on the account page (shown only while a report waits),
// POST /api/accounts/:name/ack (JSON) and POST /accounts/:name/ack (form) through lib/accounts' ackReconciliation,
// their 4xx answers, the token, the live stream's `reconciliationHold`, /metrics and the OpenAPI document.
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { createAccount, pauseAccount } from "../accounts/mod.ts";
import { AuditLog, replay } from "../audit/mod.ts";
import { RunRegistry } from "../runs/mod.ts";
import { Store } from "../store/mod.ts";
import { createApp } from "./create_app.ts";
import { JobQueue } from "./job_queue.ts";
import { mismatchEvent } from "../audit/_test_events.ts";

const TOKEN = "ack-test-token-0123456789abcdef";
const NAME = "live-1";

const MISMATCH = mismatchEvent();

interface Rig {
  app: Hono;
  dir: string;
  /** Appends a mismatching reconciliation, as the live runner does; its seq. */
  mismatch(): number;
  events(): ReturnType<AuditLog["query"]>;
}

async function withLab(fn: (r: Rig) => Promise<void>, deps: { token?: string } = {}): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "ack-" });
  const store = await Store.open({ dir });
  const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
  const jobs = new JobQueue();
  try {
    createAccount({ dataDir: dir, name: NAME, kind: "live", cash: 10_000, quote: "USDT" });
    await fn({
      app: createApp({ store, runs, jobs, ...deps }),
      dir,
      mismatch() {
        using log = AuditLog.open({ dataDir: dir, account: NAME });
        return log.append(MISMATCH).seq;
      },
      events() {
        using log = AuditLog.open({ dataDir: dir, account: NAME, readOnly: true });
        return log.query({ limit: 100_000 });
      },
    });
  } finally {
    await jobs.shutdown();
    await runs.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function postJson(app: Hono, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  }));
}

function postForm(
  app: Hono,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost", ...headers },
    body: new URLSearchParams(fields).toString(),
  }));
}

/** The account page's hold panel: whether it is shown, and its text. */
async function holdPanel(app: Hono, cookie?: string): Promise<{ shown: boolean; html: string; page: string }> {
  const res = await app.request(`/accounts/${NAME}`, cookie ? { headers: { Cookie: cookie } } : {});
  assert.equal(res.status, 200);
  const page = await res.text();
  const m = /<div id="reconciliation-hold"[^>]*?(\shidden)?>([\s\S]*?)<\/div>/.exec(page);
  assert.ok(m, "the page always carries the hold panel (the stream shows it)");
  return { shown: m[1] === undefined, html: m[2]!, page };
}

/** The first message of the account's live stream (its snapshot), read through app.request. */
async function snapshot(app: Hono): Promise<{ figures: { tradingState: string; reconciliationHold: unknown } }> {
  const res = await app.request(`/api/accounts/${NAME}/stream`);
  assert.equal(res.status, 200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  try {
    while (!buf.includes("\n\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
    }
  } finally {
    await reader.cancel();
  }
  const data = buf.split("\n\n")[0]!.split("\n").find((l) => l.startsWith("data:"));
  assert.ok(data, buf);
  return JSON.parse(data.slice(5));
}

function state(dir: string): ReturnType<typeof replay> {
  using log = AuditLog.open({ dataDir: dir, account: NAME, readOnly: true });
  return replay(log.events());
}

Deno.test("ack: the hold panel is shown only while a reconciliation waits; the JSON ack lifts it with an operator_ack", async () => {
  await withLab(async ({ app, dir, mismatch, events }) => {
    assert.equal((await holdPanel(app)).shown, false, "no report waits: the panel is hidden");
    const none = await postJson(app, `/api/accounts/${NAME}/ack`, { reason: "checked" });
    assert.equal(none.status, 409);
    assert.match((await none.json()).error, /nothing to acknowledge: no reconciliation of live-1 is waiting.*active/);

    const seq = mismatch();
    const held = await holdPanel(app);
    assert.ok(held.shown);
    assert.match(held.page, /state-reducing[^>]*>reducing \(reconciliation hold\): exits only/);
    assert.match(held.html, /returns\s+to <strong id="hold-after">active</);
    assert.match(held.html, new RegExp(`id="hold-seq">${seq}<`));
    assert.match(held.html, /open order 99 \(web_8f2\) at the exchange is not in the log/);
    assert.match(held.html, new RegExp(`name="reconciliationSeq" value="${seq}"`));
    assert.match(held.html, /<form method="post" action="\/accounts\/live-1\/ack"/);
    assert.match(held.html, /name="reason" maxlength="500" required/);
    assert.match(held.html, />Acknowledge reconciliation</);
    const snap = await snapshot(app);
    assert.equal(snap.figures.tradingState, "reducing");
    assert.deepEqual(snap.figures.reconciliationHold, {
      waiting: [seq],
      after: "active",
      seq,
      ts: events().at(-1)!.ts,
      trigger: "start",
      messages: ["open order 99 (web_8f2) at the exchange is not in the log: sell 0.1 BTC/USDT at 120"],
      unknownOpenOrders: 1,
      balanceMismatches: 0,
    });

    const ok = await postJson(app, `/api/accounts/${NAME}/ack`, {
      reason: "the stray sell was placed by hand; cancelled it",
      operator: "ops-1",
    });
    assert.equal(ok.status, 200);
    const r = await ok.json();
    assert.equal(r.changed, true);
    assert.equal(r.before, "reducing");
    assert.equal(r.tradingState, "active");
    assert.match(r.message, new RegExp(`acknowledged reconciliation ${seq}: the stray sell`));
    const ack = events().filter((e) => e.kind === "operator_ack");
    assert.deepEqual(ack.map((e) => [e.seq, e.payload]), [[r.seq, {
      reconciliationSeq: seq,
      note: "the stray sell was placed by hand; cancelled it",
      operator: "ops-1",
    }]]);
    assert.equal(state(dir).tradingState, "active");
    assert.equal((await holdPanel(app)).shown, false, "lifted: hidden again");
    assert.equal((await snapshot(app)).figures.reconciliationHold, null);
    assert.match(
      await (await app.request(`/accounts/${NAME}`)).text(),
      /operator_ack<\/td>\s*<td>reconciliationSeq=\d+ operator=ops-1 note=the stray sell/,
      "the timeline summarises the ack",
    );
    const again = await postJson(app, `/api/accounts/${NAME}/ack`, { reason: "twice" });
    assert.equal(again.status, 409, "nothing waits any more");
  });
});

Deno.test("ack: bad input is a 4xx naming the fix, and nothing is logged", async () => {
  await withLab(async ({ app, mismatch, events }) => {
    const first = mismatch();
    const second = mismatch();
    const before = events().length;
    const cases: [unknown, number, RegExp][] = [
      [{}, 400, /reason/],
      [{ reason: "" }, 400, /a reason is required: say what you checked or did/],
      [{ reason: "   " }, 400, /a reason is required/],
      [{ reason: "x".repeat(501) }, 400, /500/],
      [{ reason: "ok", extra: 1 }, 400, /extra|unrecognized/i],
      [{ reason: "ok", reconciliationSeq: 0 }, 400, /reconciliationSeq/],
      [{ reason: "ok", reconciliationSeq: "2" }, 400, /reconciliationSeq/],
      [{ reason: "ok", reconciliationSeq: 1 }, 400, new RegExp(`not waiting.*waiting: ${first}, ${second}`)],
    ];
    for (const [body, status, want] of cases) {
      const res = await postJson(app, `/api/accounts/${NAME}/ack`, body);
      assert.equal(res.status, status, JSON.stringify(body));
      const j = await res.json();
      assert.match(`${j.error} ${JSON.stringify(j.issues)}`, want, JSON.stringify(body));
    }
    const unknown = await postJson(app, "/api/accounts/live-9/ack", { reason: "x" });
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).error, /no account "live-9"; known accounts: live-1/);
    assert.equal((await postJson(app, "/api/accounts/BAD%20NAME/ack", { reason: "x" })).status, 400);
    const bad = await app.request(`/api/accounts/${NAME}/ack`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{not json",
    });
    assert.equal(bad.status, 400);
    assert.equal(events().length, before, "no refused request logged anything");

    // The earlier report alone: the later one still holds the account.
    const r = await (await postJson(app, `/api/accounts/${NAME}/ack`, { reason: "first", reconciliationSeq: first }))
      .json();
    assert.equal(r.tradingState, "reducing");
    assert.match(r.message, new RegExp(`still waiting: ${second}`));
  });
});

Deno.test("ack form: 303 back with the outcome; an empty reason is a 400 page; cross-site posts are refused", async () => {
  await withLab(async ({ app, dir, mismatch }) => {
    const seq = mismatch();
    const empty = await postForm(app, `/accounts/${NAME}/ack`, { reason: "", reconciliationSeq: String(seq) });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /a reason is required: say what you checked or did/);
    const cross = await postForm(app, `/accounts/${NAME}/ack`, { reason: "x" }, { Origin: "https://evil.example" });
    assert.equal(cross.status, 403);
    const badSeq = await postForm(app, `/accounts/${NAME}/ack`, { reason: "x", reconciliationSeq: "abc" });
    assert.equal(badSeq.status, 400);
    assert.match(await badSeq.text(), /the reconciliation&#39;s seq|the reconciliation's seq/);
    assert.equal(state(dir).tradingState, "reducing");

    const res = await postForm(app, `/accounts/${NAME}/ack`, {
      reason: "cancelled the stray order",
      reconciliationSeq: String(seq),
      operator: "",
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `/accounts/${NAME}`);
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
    const after = await holdPanel(app, cookie);
    assert.match(after.page, /id="outcome">live-1: acknowledged reconciliation \d+: cancelled the stray order/);
    assert.match(after.page, /state-active/);
    assert.equal(after.shown, false);
    using log = AuditLog.open({ dataDir: dir, account: NAME, readOnly: true });
    const [ack] = log.query({ kind: "operator_ack" });
    assert.deepEqual(ack?.payload, { reconciliationSeq: seq, note: "cancelled the stray order" });

    const stale = await postForm(app, `/accounts/${NAME}/ack`, { reason: "again", reconciliationSeq: String(seq) });
    assert.equal(stale.status, 409, "a stale page's second click");
    assert.match(await stale.text(), /nothing to acknowledge/);
    assert.equal((await postForm(app, "/accounts/live-9/ack", { reason: "x" })).status, 404);
  });
});

Deno.test("ack: with a token, a POST without it is 401 and the hold stays; with it the ack goes through", async () => {
  await withLab(async ({ app, dir, mismatch, events }) => {
    mismatch();
    const before = events().length;
    assert.equal((await postJson(app, `/api/accounts/${NAME}/ack`, { reason: "x" })).status, 401);
    assert.equal((await postForm(app, `/accounts/${NAME}/ack`, { reason: "x" })).status, 401);
    const wrong = await postJson(app, `/api/accounts/${NAME}/ack`, { reason: "x" }, {
      Authorization: "Bearer wrong-token-wrong-token-wrong",
    });
    assert.equal(wrong.status, 401);
    assert.equal(events().length, before);
    assert.equal(state(dir).tradingState, "reducing");
    const ok = await postJson(app, `/api/accounts/${NAME}/ack`, { reason: "checked" }, {
      Authorization: `Bearer ${TOKEN}`,
    });
    assert.equal(ok.status, 200);
    assert.equal(state(dir).tradingState, "active");
  }, { token: TOKEN });
});

Deno.test("ack: a pause in force stays after the ack; a paused account with no report gets a 409 naming resume", async () => {
  await withLab(async ({ app, dir, mismatch }) => {
    pauseAccount({ dataDir: dir, name: NAME, reason: "FOMC" });
    const refused = await postJson(app, `/api/accounts/${NAME}/ack`, { reason: "x" });
    assert.equal(refused.status, 409);
    assert.match((await refused.json()).error, /reducing because of a pause \(resume lifts that\)/);
    mismatch();
    const held = await (await app.request(`/accounts/${NAME}`)).text();
    assert.match(held, /reducing \(paused\): exits only, no new entries<\/span>\s*<span>— FOMC/);
    assert.match(held, /returns\s+to <strong id="hold-after">reducing</);
    const r = await (await postJson(app, `/api/accounts/${NAME}/ack`, { reason: "checked" })).json();
    assert.equal(r.changed, true);
    assert.equal(r.tradingState, "reducing", "the operator's pause is still in force");
    assert.deepEqual(state(dir).unacknowledgedReconciliations, []);
  });
});

Deno.test("ack: /metrics counts the waiting reports; the OpenAPI document lists the route and its strict body", async () => {
  await withLab(async ({ app, mismatch }) => {
    const waiting = async (): Promise<string | undefined> =>
      /^sentinel_account_reconciliations_waiting\{account="live-1"\} (\d+)$/m.exec(
        await (await app.request("/metrics")).text(),
      )?.[1];
    assert.equal(await waiting(), "0");
    mismatch();
    mismatch();
    assert.equal(await waiting(), "2");
    assert.equal((await postJson(app, `/api/accounts/${NAME}/ack`, { reason: "both" })).status, 200);
    assert.equal(await waiting(), "0");

    const doc = await (await app.request("/api/openapi.json")).json();
    const op = doc.paths["/api/accounts/{name}/ack"]?.post;
    assert.ok(op);
    for (const s of ["200", "400", "401", "404", "409"]) assert.ok(op.responses[s], s);
    const body = doc.components.schemas.AckRequest;
    assert.equal(body.additionalProperties, false);
    assert.deepEqual(Object.keys(body.properties).sort(), ["operator", "reason", "reconciliationSeq"]);
    assert.deepEqual(body.required, ["reason"]);
  });
});
