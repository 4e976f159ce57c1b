// A dry run's orders (`order_dry_run`) in the lab: /metrics counts them as state dry_run, never rejected; the live
// stream ends them (no open order, no round trip) and its timeline names them as what they are.
import assert from "node:assert/strict";
import { createAccount } from "../accounts/mod.ts";
import { type AuditEvent, AuditLog, replay } from "../audit/mod.ts";
import { parseExposition, sampleValue } from "../monitor/_exposition.ts";
import { RunRegistry } from "../runs/mod.ts";
import { Store } from "../store/mod.ts";
import type { LiveFigures } from "./_accounts_live.ts";
import { createApp } from "./create_app.ts";
import { JobQueue } from "./job_queue.ts";

const NAME = "dry-1";

/** A live account that ran unarmed: two approved intents, each logged as what the dry run would have sent. */
function seed(dataDir: string): AuditEvent[] {
  createAccount({ dataDir, name: NAME, kind: "live", cash: 10_000, now: Date.UTC(2026, 0, 1) });
  using log = AuditLog.open({ dataDir, account: NAME });
  const t = Date.UTC(2026, 0, 2);
  log.append({ kind: "run_started", runId: "r1", ts: t, payload: { mode: "live", startingCash: 10_000 } });
  for (const [id, side] of [["d1", "buy"], ["d2", "sell"]] as const) {
    log.appendMany([
      {
        kind: "order_intent",
        runId: "r1",
        ts: t,
        payload: {
          clientOrderId: id,
          account: NAME,
          strategy: "s",
          symbol: "BTC/USDT",
          side,
          qty: 0.5,
          price: 100,
          reduceOnly: side === "sell",
          barTs: t,
        },
      },
      { kind: "risk_verdict", runId: "r1", ts: t, payload: { clientOrderId: id, ok: true, code: "ok", detail: "" } },
      {
        kind: "order_dry_run",
        runId: "r1",
        ts: t + 1,
        payload: {
          clientOrderId: id,
          symbol: "BTC/USDT",
          side,
          qty: 0.5,
          type: "market",
          price: 100,
          reason: "dry run: the account is not armed (armed: true in its config and --arm send orders)",
        },
      },
    ]);
  }
  return log.query({ limit: 1_000 });
}

/** The first SSE message of a stream response, then the stream is cancelled. */
async function firstMessage(res: Response): Promise<{ event: string; data: string }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  try {
    while (!buf.includes("\n\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before a message: ${JSON.stringify(buf)}`);
      buf += value;
    }
  } finally {
    await reader.cancel();
  }
  const m = { event: "message", data: "" };
  for (const line of buf.slice(0, buf.indexOf("\n\n")).split("\n")) {
    if (line.startsWith("event:")) m.event = line.slice(6).trim();
    else if (line.startsWith("data:")) m.data += line.slice(5).replace(/^ /, "");
  }
  return m;
}

Deno.test("lab: a dry-run order is its own state in /metrics and ends its intent on the live page", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dry-run-" });
  const store = await Store.open({ dir });
  const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
  const jobs = new JobQueue();
  try {
    const events = seed(dir);
    const app = createApp({ store, runs, jobs });

    const s = parseExposition(await (await app.request("/metrics")).text());
    const v = (name: string, labels: Record<string, string> = {}) => sampleValue(s, name, { account: NAME, ...labels });
    assert.equal(v("sentinel_account_orders_total", { state: "dry_run" }), 2);
    assert.equal(v("sentinel_account_orders_total", { state: "rejected" }), undefined, "a dry run is no rejection");
    assert.equal(v("sentinel_account_orders_total", { state: "submitted" }), undefined);
    assert.equal(v("sentinel_account_audit_events_total", { kind: "order_dry_run" }), 2);
    assert.equal(v("sentinel_account_open_orders"), 0);

    const res = await app.request(`/api/accounts/${NAME}/stream`);
    assert.equal(res.status, 200);
    const snap = await firstMessage(res);
    assert.equal(snap.event, "snapshot");
    const { figures, events: timeline } = JSON.parse(snap.data) as {
      figures: LiveFigures;
      events: (AuditEvent & { summary: string })[];
    };
    assert.deepEqual(figures.openOrders, [], "a dry run ends its intent");
    assert.deepEqual(replay(events).openOrders, []);
    assert.equal(figures.orderLatency, null, "nothing was sent: no round trip");
    const dry = timeline.filter((e) => e.kind === "order_dry_run");
    assert.equal(dry.length, 2);
    assert.ok(!timeline.some((e) => e.kind === "order_rejected"));
    for (const e of dry) assert.match(e.summary, /^reason=dry run: the account is not armed.* symbol=BTC\/USDT side=/);
  } finally {
    await jobs.shutdown();
    await runs.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
