// The live runner against the fake exchange, driven by the real ccxt (binance).
import assert from "node:assert/strict";
import { AuditLog, replay } from "../audit/mod.ts";
import { smaCross } from "../strategies/mod.ts";
import { type FakeExchange, type FakeExchangeOptions, startFakeExchange } from "../testing/mod.ts";
import type { Broker } from "./broker.ts";
import { CcxtBroker } from "./ccxt_broker.ts";
import type { Feed, FeedBar } from "./feed.ts";
import { LiveRunner, type LiveRunnerOptions } from "./live_runner.ts";
import { dryRunOptions } from "./_testing.ts";

const KEY = "PLANTED-LIVE-KEY-1234";
const SECRET = "PLANTED-LIVE-SECRET-5678";
const SYM = "BTC/USDT";
const M = 60_000;
/** Down, up, down, up: smaCross(1, 2) enters on each rise and exits on each fall. */
const CLOSES = [100, 98, 96, 99, 103, 101, 97, 95, 98, 102, 104, 100];

interface Rig {
  fake: FakeExchange;
  broker: CcxtBroker;
  dataDir: string;
  open(o?: Partial<LiveRunnerOptions>): Promise<LiveRunner>;
  /** Another broker on the same account (a restarted process has its own). */
  freshBroker(options?: { recvWindowMs?: number; skewMarginMs?: number }): Promise<CcxtBroker>;
  close(): Promise<void>;
}

async function rig(fillParts = 1, filters?: FakeExchangeOptions["filters"]): Promise<Rig> {
  const fake = await startFakeExchange({
    ...(filters ? { filters } : {}),
    symbols: [SYM],
    prices: { [SYM]: CLOSES[0]! },
    account: { apiKey: KEY, secret: SECRET, balances: { USDT: 10_000 }, fillParts },
  });
  const brokers: CcxtBroker[] = [];
  const freshBroker = async (o: { recvWindowMs?: number; skewMarginMs?: number } = {}): Promise<CcxtBroker> => {
    const b = await CcxtBroker.open({
      exchange: "binance",
      apiUrl: fake.url,
      credentials: { apiKey: KEY, secret: SECRET },
      backoffBaseMs: 5,
      ...o,
    });
    brokers.push(b);
    return b;
  };
  const broker = await freshBroker();
  const dataDir = await Deno.makeTempDir();
  return {
    fake,
    broker,
    dataDir,
    freshBroker,
    open: (o = {}) =>
      LiveRunner.open({
        ...dryRunOptions({
          account: "live1",
          dataDir,
          sleeves: [{
            id: "sma",
            strategy: smaCross,
            params: { fast: 1, slow: 2 },
            symbol: SYM,
            options: { cash: 1_000 },
          }],
          broker,
          secrets: [KEY, SECRET],
        }),
        ...o,
      }),
    close: async () => {
      for (const b of brokers) await b.close();
      await fake.close();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/** Bars `from..to` of CLOSES; before each batch the fake's price moves to the bar's close (fills happen there). */
function feed(fake: FakeExchange, from: number, to = CLOSES.length, waitMs = 0): Feed {
  return {
    symbols: [SYM],
    timeframe: "1m",
    async *batches(start) {
      for (let i = from; i < to; i++) {
        const c = CLOSES[i]!;
        const bar: FeedBar = { symbol: SYM, timeframe: "1m", ts: i * M, open: c, high: c, low: c, close: c, volume: 1 };
        if ((start.after.get(SYM) ?? -1) >= bar.ts) continue;
        fake.setPrice(SYM, c);
        yield [bar];
        if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
      }
    },
  };
}

function events(dataDir: string) {
  const log = AuditLog.open({ dataDir, account: "live1" });
  try {
    return { all: log.query({ limit: 100_000 }), ok: log.verify().ok };
  } finally {
    log.close();
  }
}

function assertMatchesFake(r: Rig, runner: LiveRunner): void {
  const ids = r.fake.orders.map((o) => o.clientOrderId);
  assert.equal(new Set(ids).size, ids.length, `a client id reached the fake twice: ${ids}`);
  const { all, ok } = events(r.dataDir);
  assert.ok(ok, "the audit chain verifies");
  const logged = all.filter((e) => e.kind === "order_filled" || e.kind === "order_partially_filled");
  assert.equal(logged.length, r.fake.fills.length, "every fill at the fake is in the log, once");
  const btc = r.fake.balances.BTC;
  const held = (btc?.free ?? 0) + (btc?.locked ?? 0);
  assert.ok(
    Math.abs(runner.sleeves()[0]!.position - held) < 1e-8,
    `position ${runner.sleeves()[0]!.position} != ${held}`,
  );
}

Deno.test("armed: a short session fills as the fake says, positions equal the fake's balances, no id twice", async () => {
  const r = await rig(2);
  try {
    const runner = await r.open({ armed: true });
    const summary = await runner.run(feed(r.fake, 0, CLOSES.length, 60));
    assert.equal(summary.reason, "end of data");
    assert.ok(summary.sent >= 4, `sent ${summary.sent}`);
    assert.equal(summary.dryRun, 0);
    assert.ok(r.fake.fills.length > summary.sent, "fills came in parts");
    assertMatchesFake(r, runner);
    const { all } = events(r.dataDir);
    const rec = all.find((e) => e.kind === "reconciliation");
    assert.equal(rec?.kind === "reconciliation" && rec.payload.ok, true);
    // C1: each order's intent and verdict are in the log before its first send attempt.
    for (const o of r.fake.orders) {
      const intent = all.findIndex((e) => e.kind === "order_intent" && e.payload.clientOrderId === o.clientOrderId);
      const sub = all.findIndex((e) => e.kind === "order_submitted" && e.payload.clientOrderId === o.clientOrderId);
      assert.ok(intent >= 0 && sub > intent, `${o.clientOrderId}: intent ${intent}, submitted ${sub}`);
    }
    runner.close();
    // A restart rebuilds the same books from the log and finds nothing to fix.
    const again = await r.open({ armed: true });
    assert.deepEqual(again.sleeves(), runner.sleeves());
    const s2 = await again.run(feed(r.fake, 0));
    assert.equal(s2.sent, 0);
    assert.equal(s2.batches, 0);
    assertMatchesFake(r, again);
    again.close();
    assert.equal(replay(events(r.dataDir).all).unacknowledgedReconciliations.length, 0);
  } finally {
    await r.close();
  }
});

Deno.test("armed: orders are whole multiples of the lot step the exchange announces (LOT_SIZE), no --lot-step", async () => {
  const r = await rig(1, { stepSize: 0.01, minQty: 0.01 });
  try {
    const runner = await r.open({ armed: true });
    assert.deepEqual([...runner.lotSteps()], [[SYM, 0.01]]);
    const summary = await runner.run(feed(r.fake, 0, CLOSES.length, 40));
    assert.ok(summary.sent >= 4, `sent ${summary.sent}`);
    const intents = events(r.dataDir).all.flatMap((e) => e.kind === "order_intent" ? [e.payload.qty] : []);
    for (const q of intents) assert.ok(Math.abs(q * 100 - Math.round(q * 100)) < 1e-9, `qty ${q} is not 0.01 steps`);
    // None refused by the exchange's LOT_SIZE filter: every order sent was accepted.
    assert.equal(events(r.dataDir).all.filter((e) => e.kind === "order_rejected").length, 0);
    assert.equal(r.fake.orders.length, summary.sent);
    assertMatchesFake(r, runner);
    runner.close();
  } finally {
    await r.close();
  }
});

Deno.test("dry run: logs what it would have sent and never asks the fake to create an order", async () => {
  const r = await rig();
  try {
    const runner = await r.open();
    assert.equal(runner.armed, false);
    const summary = await runner.run(feed(r.fake, 0));
    assert.ok(summary.dryRun >= 1);
    assert.equal(summary.sent, 0);
    assert.equal(r.fake.requests.filter((q) => q.endpoint === "newOrder").length, 0);
    assert.equal(r.fake.orders.length, 0);
    const { all } = events(r.dataDir);
    assert.equal(all.filter((e) => e.kind === "order_rejected").length, 0, "a dry run is not a rejection");
    const dry = all.filter((e) => e.kind === "order_dry_run");
    assert.equal(dry.length, summary.dryRun);
    const intents = new Map(
      all.flatMap((e) => e.kind === "order_intent" ? [[e.payload.clientOrderId, e.payload]] : []),
    );
    for (const e of dry) {
      if (e.kind !== "order_dry_run") continue;
      const i = intents.get(e.payload.clientOrderId);
      assert.ok(i, `the dry run ${e.payload.clientOrderId} names a logged intent`);
      assert.deepEqual(
        [e.payload.symbol, e.payload.side, e.payload.qty, e.payload.type],
        [i.symbol, i.side, i.qty, i.type],
      );
      assert.match(e.payload.reason, /^dry run: the account is not armed/);
    }
    runner.close();
  } finally {
    await r.close();
  }
});

Deno.test("dry run: a restart, even armed, never sends nor looks up what the dry run would have sent", async () => {
  const r = await rig();
  try {
    const dryRunner = await r.open();
    // Stop on the last rising bar: its entry is the freshest dry-run order (decided well within one bar).
    const summary = await dryRunner.run(feed(r.fake, 0, 5));
    assert.ok(summary.dryRun >= 1);
    dryRunner.close();
    const runner = await r.open({ armed: true, broker: await r.freshBroker() });
    const again = await runner.run(feed(r.fake, 5, 5));
    assert.equal(again.sent, 0);
    assert.equal(r.fake.requests.filter((q) => q.endpoint === "newOrder").length, 0);
    const { all, ok } = events(r.dataDir);
    assert.ok(ok);
    const dryIds = new Set(all.flatMap((e) => e.kind === "order_dry_run" ? [e.payload.clientOrderId] : []));
    assert.equal(dryIds.size, summary.dryRun);
    for (const e of all) {
      if (e.kind === "reconciliation") {
        assert.equal(e.payload.ok, true);
        assert.deepEqual(e.payload.resolved.filter((o) => dryIds.has(o.clientOrderId)), []);
      } else if (e.kind !== "order_intent" && e.kind !== "risk_verdict" && e.kind !== "order_dry_run") {
        const id = (e.payload as { clientOrderId?: string }).clientOrderId;
        assert.ok(id === undefined || !dryIds.has(id), `${e.kind} of dry-run order ${id}`);
      }
    }
    assert.equal(replay(all).openOrders.length, 0, "a dry run ends its intent");
    runner.close();
  } finally {
    await r.close();
  }
});

Deno.test("a mismatch at start holds the account reducing until an operator acknowledges it", async () => {
  const r = await rig();
  try {
    let runner = await r.open({ armed: true });
    await runner.run(feed(r.fake, 0, 2));
    runner.close();
    // Someone else's order rests at the exchange: unknown to the log.
    const stray = await (await r.freshBroker()).submit({
      clientOrderId: "stray-1",
      symbol: SYM,
      side: "buy",
      type: "limit",
      qty: 0.2,
      price: 50,
    });
    assert.equal(stray.status, "sent");
    runner = await r.open({ armed: true });
    await runner.run(feed(r.fake, 2, 3));
    assert.equal(runner.risk.tradingState, "reducing");
    assert.equal(runner.unacknowledged.length, 1);
    const seq = runner.unacknowledged[0]!;
    runner.close();
    // A resume does not lift it; the ack does.
    const log = AuditLog.open({ dataDir: r.dataDir, account: "live1" });
    log.append({ kind: "resume", runId: "ops", payload: { by: "operator", reason: "go" } });
    log.close();
    runner = await r.open({ armed: true });
    assert.equal(runner.risk.tradingState, "reducing");
    runner.close();
    const log2 = AuditLog.open({ dataDir: r.dataDir, account: "live1" });
    log2.append({ kind: "operator_ack", runId: "ops", payload: { reconciliationSeq: seq, note: "my own test order" } });
    log2.close();
    runner = await r.open({ armed: true });
    assert.equal(runner.risk.tradingState, "active");
    assert.deepEqual(runner.unacknowledged, []);
    runner.close();
  } finally {
    await r.close();
  }
});

/**
 * Sends for real, then "crashes": the process is gone, so nothing after the send reaches the exchange or the log
 * (every later call fails).
 */
function crashAfterSubmit(inner: Broker): Broker {
  let dead = false;
  return new Proxy(inner, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (typeof v !== "function" || prop === "close") return v;
      if (prop === "pending") return () => [];
      return async (...args: unknown[]) => {
        if (dead) throw new Error("simulated crash: the process is gone");
        const out = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (prop === "submit") {
          dead = true;
          throw new Error("simulated crash right after the send");
        }
        return out;
      };
    },
  });
}

Deno.test("restart after a crash between send and outcome: reconciled by client id, applied once, not re-sent", async () => {
  const r = await rig();
  try {
    const crashing = await r.open({ armed: true, broker: crashAfterSubmit(r.broker) });
    await assert.rejects(crashing.run(feed(r.fake, 0)), /simulated crash/);
    crashing.close();
    assert.equal(r.fake.orders.length, 1);
    const before = events(r.dataDir).all;
    assert.equal(before.filter((e) => e.kind === "order_filled").length, 0);
    const runner = await r.open({ armed: true, broker: await r.freshBroker() });
    const summary = await runner.run(feed(r.fake, 0));
    assert.equal(summary.reconciliations, 1);
    assertMatchesFake(r, runner);
    runner.close();
  } finally {
    await r.close();
  }
});

/** Dies after the decision is durable and before the first send attempt (nothing reaches the exchange). */
function crashBeforeSubmit(inner: Broker): Broker {
  return new Proxy(inner, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (prop === "submit") return () => Promise.reject(new Error("simulated crash before the send"));
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

Deno.test("restart after a crash between the decision and the send: looked up, then sent once if fresh, cancelled if a bar late", async () => {
  for (const lateMs of [0, 2 * M]) {
    const r = await rig();
    try {
      const crashing = await r.open({ armed: true, broker: crashBeforeSubmit(r.broker) });
      await assert.rejects(crashing.run(feed(r.fake, 0, 4)), /simulated crash before the send/);
      crashing.close();
      // The first attempt's order_submitted was durable with the intent (C1): the restart may not send before the
      // attempt's window (recvWindow + skew margin) has closed and a lookup found nothing. A 100 ms window here.
      const { all: before } = events(r.dataDir);
      assert.equal(before.filter((e) => e.kind === "order_submitted").length, 1);
      await new Promise((res) => setTimeout(res, 150));
      const broker = await r.freshBroker({ recvWindowMs: 100, skewMarginMs: 0 });
      const runner = await r.open({ armed: true, broker, clock: () => Date.now() + lateMs });
      await runner.run(feed(r.fake, 0, 4));
      const { all } = events(r.dataDir);
      const intent = all.find((e) => e.kind === "order_intent");
      assert.ok(intent?.kind === "order_intent");
      const id = intent.payload.clientOrderId;
      if (lateMs === 0) {
        assert.deepEqual(r.fake.orders.map((o) => o.clientOrderId), [id]);
        assertMatchesFake(r, runner);
      } else {
        assert.equal(r.fake.orders.length, 0);
        const c = all.find((e) => e.kind === "order_cancelled");
        assert.match(
          c?.kind === "order_cancelled" ? c.payload.reason : "",
          /^never arrived at the exchange: decided at .* one bar ago/,
        );
      }
      runner.close();
    } finally {
      await r.close();
    }
  }
});

Deno.test("a feed reconnect reconciles again before the next order; a clean one changes nothing", async () => {
  const r = await rig();
  try {
    const runner = await r.open({ armed: true });
    const inner = feed(r.fake, 0, CLOSES.length, 40);
    const reconnecting: Feed = {
      ...inner,
      async *batches(start) {
        let n = 0;
        for await (const b of inner.batches(start)) {
          yield b;
          // What live/main.ts does on the stream feed's `reconnected` problem.
          if (++n === 5) runner.requestReconcile("reconnect");
        }
      },
    };
    const summary = await runner.run(reconnecting);
    assert.equal(summary.reconciliations, 2);
    const recs = events(r.dataDir).all.filter((e) => e.kind === "reconciliation");
    assert.deepEqual(recs.map((e) => e.kind === "reconciliation" && [e.payload.trigger, e.payload.ok]), [
      ["start", true],
      ["reconnect", true],
    ]);
    assertMatchesFake(r, runner);
    runner.close();
  } finally {
    await r.close();
  }
});
