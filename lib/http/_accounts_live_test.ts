import assert from "node:assert/strict";
import { Hono } from "hono";
import { createAccount } from "../accounts/mod.ts";
import { type AuditEvent, AuditLog, replay } from "../audit/mod.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import { RunRegistry } from "../runs/mod.ts";
import { PaperRunner, ReplayFeed } from "../runner/mod.ts";
import { Store } from "../store/mod.ts";
import { smaCross } from "../strategies/mod.ts";
import { randomBars } from "../testing/mod.ts";
import type { LiveFigures, LiveSummary } from "./_accounts_live.ts";
import { liveAccountsApi } from "./_accounts_live.ts";
import { parseSseBlock } from "./_live_test_helpers.ts";
import { Lab } from "./_lab.ts";
import { createApp } from "./create_app.ts";
import { JobQueue } from "./job_queue.ts";

const HOOK = "https://hooks.example.com/services/T0/B0/xoxb-LIVE-SECRET-42";
const HEADER = "Bearer header-secret-0123456789";
const TOKEN = "lab-token-abcdefghijklmnopqrstuvwxyz";

interface Message {
  event: string;
  id: string | null;
  data: string;
  raw: string;
}

/** A live SSE connection read with fetch: messages as they come, and the close. */
class Sse {
  readonly #ac = new AbortController();
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buf = "";
  raw = "";
  private constructor(readonly res: Response) {
    this.#reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<Sse> {
    const ac = new AbortController();
    const res = await fetch(url, { headers, signal: ac.signal });
    const s = new Sse(res);
    s.#ac.signal.addEventListener("abort", () => ac.abort());
    return s;
  }

  async next(): Promise<Message> {
    for (;;) {
      const i = this.#buf.indexOf("\n\n");
      if (i >= 0) {
        const block = this.#buf.slice(0, i);
        this.#buf = this.#buf.slice(i + 2);
        return { ...parseSseBlock(block), raw: block };
      }
      const { value, done } = await this.#reader.read();
      if (done) throw new Error("the stream ended");
      this.#buf += value;
      this.raw += value;
    }
  }

  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
    this.#ac.abort();
  }
}

async function withServer(
  fn: (base: string, dir: string) => Promise<void>,
  deps: { token?: string } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "live-" });
  const store = await Store.open({ dir });
  const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
  const jobs = new JobQueue();
  const app = createApp({ store, runs, jobs, ...deps });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`, dir);
  } finally {
    await server.shutdown();
    await jobs.shutdown();
    await runs.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** A paper runner on `name` replaying 300 hourly bars at about 3 ms a batch, so the stream sees it move. */
async function runReplay(dir: string, name: string): Promise<void> {
  const frame = randomBars({ n: 300, seed: 11, stepMs: 3_600_000, volatility: 0.03 });
  using runner = await PaperRunner.open({
    account: name,
    dataDir: dir,
    sleeves: [{ id: "s", strategy: smaCross, params: { fast: 2, slow: 6 }, symbol: "X/USDT", options: { fee: 0.001 } }],
    risk: noLimitsRiskConfig(),
    startingCash: 10_000,
    mode: "replay",
    timeframe: "1h",
  });
  await runner.run(new ReplayFeed({ frames: { "X/USDT": frame }, timeframe: "1h", speed: 1_200_000 }));
}

function head(dir: string, name: string): AuditEvent[] {
  using log = AuditLog.open({ dataDir: dir, account: name, readOnly: true });
  return log.query({ limit: 1_000_000 });
}

function assertEqualsReplay(f: LiveFigures, events: AuditEvent[]): void {
  const s = replay(events);
  assert.equal(f.seq, s.lastSeq);
  assert.equal(f.equity, s.equity);
  assert.equal(f.cash, s.cash);
  assert.equal(f.startingCash, s.startingCash);
  assert.equal(f.tradingState, s.tradingState);
  assert.equal(f.dailyPnl, s.equity - s.counters.dailyStartEquity);
  assert.equal(f.equityPeak, s.counters.equityPeak);
  assert.deepEqual(f.positions.map(({ symbol, qty, avgPrice }) => ({ symbol, qty, avgPrice })), s.positions);
  assert.deepEqual(f.positions.map((p) => p.mark), s.positions.map((p) => s.marks[p.symbol]));
  assert.deepEqual(f.openOrders, s.openOrders);
  assert.equal(f.chain.ok, true);
}

Deno.test("account stream: snapshot, then updates while a paper runner appends; the figures equal a fresh replay; a Last-Event-ID reconnect resumes with no gap and no repeat", async () => {
  await withServer(async (base, dir) => {
    createAccount({ dataDir: dir, name: "live1", kind: "paper", cash: 10_000 });
    const url = `${base}/api/accounts/live1/stream`;
    const first = await Sse.open(url);
    assert.equal(first.res.status, 200);
    assert.match(first.res.headers.get("content-type") ?? "", /^text\/event-stream/);
    const snap = await first.next();
    assert.equal(snap.event, "snapshot");
    const s0 = JSON.parse(snap.data) as { figures: LiveFigures; events: AuditEvent[]; resumedFrom: number | null };
    assert.equal(snap.id, String(s0.figures.seq));
    assert.equal(s0.resumedFrom, null);
    assert.deepEqual(s0.events.map((e) => e.kind), ["config_change"]);
    assert.equal(s0.figures.equity, 10_000);

    const run = runReplay(dir, "live1");
    const seen: number[] = [];
    let lastId = snap.id!;
    // Leave after a few updates, mid-run, and come back from the last id seen.
    for (let k = 0; k < 3; k++) {
      const m = await first.next();
      if (m.event !== "update") continue;
      const u = JSON.parse(m.data) as { figures: LiveFigures; events: AuditEvent[] };
      seen.push(...u.events.map((e) => e.seq));
      assert.equal(m.id, String(u.figures.seq));
      assert.equal(u.figures.seq, u.events[u.events.length - 1]!.seq);
      // Each update's figures are the log's up to its id.
      assertEqualsReplay(u.figures, head(dir, "live1").filter((e) => e.seq <= u.figures.seq));
      lastId = m.id!;
    }
    await first.close();
    assert.ok(seen.length > 0, "updates came while the runner ran");

    const again = await Sse.open(url, { "Last-Event-ID": lastId });
    const r = await again.next();
    assert.equal(r.event, "snapshot");
    const rs = JSON.parse(r.data) as { figures: LiveFigures; events: AuditEvent[]; resumedFrom: number };
    assert.equal(rs.resumedFrom, Number(lastId));
    assert.deepEqual(rs.events, []);
    await run;
    const all = head(dir, "live1");
    const end = all[all.length - 1]!.seq;
    let figures = rs.figures;
    while (figures.seq < end) {
      const m = await again.next();
      if (m.event !== "update") continue;
      const u = JSON.parse(m.data) as { figures: LiveFigures; events: AuditEvent[] };
      seen.push(...u.events.map((e) => e.seq));
      figures = u.figures;
    }
    await again.close();
    // Every event after the first snapshot exactly once, in order, across both connections.
    assert.deepEqual(seen, all.filter((e) => e.seq > s0.figures.seq).map((e) => e.seq));
    assertEqualsReplay(figures, all);
    assert.ok(figures.lastBars.length === 1 && figures.lastBars[0]!.symbol === "X/USDT");
    assert.ok(figures.orderLatency !== null && figures.orderLatency.count > 0, "paper fills time the round trip");

    // A fresh connection's snapshot is the same account.
    const fresh = await Sse.open(url);
    const f = JSON.parse((await fresh.next()).data) as { figures: LiveFigures; events: AuditEvent[] };
    await fresh.close();
    assertEqualsReplay(f.figures, all);
    assert.deepEqual(f.events.map((e) => e.seq), all.slice(-50).map((e) => e.seq));
  });
});

Deno.test("account stream: a bad account is a 404 (a malformed name a 400) before any stream", async () => {
  await withServer(async (base, dir) => {
    createAccount({ dataDir: dir, name: "real", kind: "paper", cash: 1_000 });
    const res = await fetch(`${base}/api/accounts/nope/stream`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get("content-type") ?? "", /json/);
    assert.match((await res.json()).error, /no account "nope"; known accounts: real/);
    const bad = await fetch(`${base}/api/accounts/Bad.Name/stream`);
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  });
});

Deno.test("account stream: at most 16 at once (429 naming the bound); a client that goes frees its place", async () => {
  await withServer(async (base, dir) => {
    createAccount({ dataDir: dir, name: "b1", kind: "paper", cash: 1_000 });
    const open: Sse[] = [];
    for (let i = 0; i < 15; i++) {
      const s = await Sse.open(`${base}/api/accounts/b1/stream`);
      assert.equal((await s.next()).event, "snapshot");
      open.push(s);
    }
    // The list stream counts too.
    const list = await Sse.open(`${base}/api/accounts/_stream`);
    assert.equal((await list.next()).event, "accounts");
    open.push(list);
    const over = await fetch(`${base}/api/accounts/b1/stream`);
    assert.equal(over.status, 429);
    assert.match((await over.json()).error, /at most 16 at once/);
    await open.pop()!.close();
    await open.pop()!.close();
    // The server hears the close at its next write or poll.
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const s = await Sse.open(`${base}/api/accounts/b1/stream`);
      status = s.res.status;
      if (status === 200) open.push(s);
      else await s.close();
    }
    assert.equal(status, 200);
    for (const s of open) await s.close();
  });
});

Deno.test("account stream: no secret in a stream (webhook URL and header in old and new events, the lab token)", async () => {
  await withServer(async (base, dir) => {
    createAccount({ dataDir: dir, name: "sec", kind: "paper", cash: 1_000 });
    const path = `${dir}/_accounts/sec/account.json`;
    const cfg = JSON.parse(Deno.readTextFileSync(path));
    cfg.notify = { console: true, webhooks: [{ url: HOOK, headers: { Authorization: HEADER } }] };
    Deno.writeTextFileSync(path, JSON.stringify(cfg, null, 2));
    // A writer that did not know the secrets (no `secrets` option): they sit in the log itself.
    const planted = `webhook ${HOOK} with ${HEADER} failed; token ${TOKEN}`;
    {
      using log = AuditLog.open({ dataDir: dir, account: "sec" });
      log.append({ kind: "pause", runId: "op", payload: { by: "operator", reason: planted } });
    }
    const s = await Sse.open(`${base}/api/accounts/sec/stream`);
    const snap = JSON.parse((await s.next()).data) as { events: (AuditEvent & { summary: string })[] };
    const pause = snap.events.find((e) => e.kind === "pause")!;
    assert.match(JSON.stringify(pause.payload), /\[redacted\]/);
    {
      using log = AuditLog.open({ dataDir: dir, account: "sec" });
      log.append({ kind: "resume", runId: "op", payload: { by: "operator", reason: planted } });
    }
    let m = await s.next();
    while (m.event !== "update") m = await s.next();
    await s.close();
    for (const secret of [HOOK, "xoxb-LIVE-SECRET-42", HEADER, "header-secret-0123456789", TOKEN]) {
      assert.equal(s.raw.includes(secret), false, `${secret} in the stream`);
    }
    assert.match(m.data, /\[redacted\]/);
  }, { token: TOKEN });
});

Deno.test("list stream: every account first, then the accounts whose log moved; heartbeats while idle", async () => {
  const dir = await Deno.makeTempDir({ prefix: "live-list-" });
  const store = await Store.open({ dir });
  const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
  const jobs = new JobQueue();
  const lab = new Lab({ store, runs, jobs });
  const app = new Hono().route("/api/accounts", liveAccountsApi(lab, { heartbeatMs: 60, pollMs: 20 }));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    createAccount({ dataDir: dir, name: "la", kind: "paper", cash: 1_000 });
    createAccount({ dataDir: dir, name: "lb", kind: "paper", cash: 2_000 });
    const list = await Sse.open(`${base}/api/accounts/_stream`);
    const first = JSON.parse((await list.next()).data) as { accounts: LiveSummary[]; all: boolean };
    assert.equal(first.all, true);
    assert.deepEqual(first.accounts.map((a) => [a.account, a.equity, a.tradingState]), [
      ["la", 1_000, "active"],
      ["lb", 2_000, "active"],
    ]);
    assert.equal((await list.next()).event, "heartbeat");
    {
      using log = AuditLog.open({ dataDir: dir, account: "lb" });
      log.append({ kind: "kill", runId: "op", payload: { by: "operator", reason: "x", flatten: false } });
    }
    let m = await list.next();
    while (m.event !== "accounts") m = await list.next();
    const moved = JSON.parse(m.data) as { accounts: LiveSummary[]; all: boolean };
    assert.deepEqual(moved.accounts.map((a) => [a.account, a.tradingState]), [["lb", "halted"]]);
    await list.close();

    // The account stream beats too while nothing is logged, without an id (Last-Event-ID stays the last seq).
    const one = await Sse.open(`${base}/api/accounts/la/stream`);
    const snap = await one.next();
    const beat = await one.next();
    assert.equal(beat.event, "heartbeat");
    assert.equal(beat.id, null);
    assert.equal(JSON.parse(beat.data).seq, Number(snap.id));
    await one.close();
  } finally {
    await server.shutdown();
    await jobs.shutdown();
    await runs.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pages: the account page and the list carry the live strip and their EventSource script", async () => {
  await withServer(async (base, dir) => {
    createAccount({ dataDir: dir, name: "pg", kind: "paper", cash: 1_000 });
    const page = await (await fetch(`${base}/accounts/pg`)).text();
    assert.match(page, /<div id="live" data-account="pg"/);
    assert.match(page, /new EventSource\("\/api\/accounts\/" \+ encodeURIComponent\(name\) \+ "\/stream"\)/);
    assert.match(page, /<table id="positions"\s+hidden>/);
    assert.match(page, /action="\/accounts\/pg\/kill"/);
    const list = await (await fetch(`${base}/accounts`)).text();
    assert.match(list, /<tr data-account="pg" data-quote="USDT">/);
    assert.match(list, /new EventSource\("\/api\/accounts\/_stream"\)/);
  });
});

Deno.test("account stream: an event edited in the file shows the chain broken at its seq", async () => {
  const { DatabaseSync } = await import("node:sqlite");
  await withServer(async (base, dir) => {
    createAccount({ dataDir: dir, name: "tam", kind: "paper", cash: 1_000 });
    {
      using log = AuditLog.open({ dataDir: dir, account: "tam" });
      for (const reason of ["a", "b", "c"]) {
        log.append({ kind: "pause", runId: "op", payload: { by: "operator", reason } });
      }
    }
    const db = new DatabaseSync(`${dir}/_accounts/tam/audit.sqlite`);
    try {
      db.exec("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;");
      db.exec(`UPDATE events SET payload = replace(payload, '"reason":"b"', '"reason":"z"') WHERE seq = 3`);
    } finally {
      db.close();
    }
    const s = await Sse.open(`${base}/api/accounts/tam/stream`);
    const f = JSON.parse((await s.next()).data).figures as LiveFigures;
    await s.close();
    assert.deepEqual(f.chain, { ok: false, firstBadSeq: 3 });
  });
});
