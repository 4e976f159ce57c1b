// The ccxt broker against the fake exchange with the real ccxt: fills, faults, rejections, cancels, secrets.
import assert from "node:assert/strict";
import { type FakeExchange, type FakeExchangeOptions, startFakeExchange } from "../testing/mod.ts";
import { ExchangeError } from "../types/mod.ts";
import type { OrderUpdate, SendAttempt } from "./broker.ts";
import { CcxtBroker, type CcxtBrokerOptions } from "./ccxt_broker.ts";

// Recognisable, so a scan of every message and update can tell if one leaked.
const KEY = "PLANTED-KEY-c0ffee-4242";
const SECRET = "PLANTED-SECRET-beef-7777";
const BTC = "BTC/USDT";
const START = { USDT: 1_000, BTC: 1 };

interface Rig extends AsyncDisposable {
  fake: FakeExchange;
  broker: CcxtBroker;
  /** Every update the test polled, and every error message it saw: scanned for the credentials at dispose. */
  seen: unknown[];
}

async function rig(
  options: Partial<FakeExchangeOptions> = {},
  account: Partial<NonNullable<FakeExchangeOptions["account"]>> = {},
  broker: Partial<CcxtBrokerOptions> & { url?: string } = {},
): Promise<Rig> {
  const fake = await startFakeExchange({
    symbols: [BTC],
    prices: { [BTC]: 100 },
    ...options,
    account: { apiKey: KEY, secret: SECRET, balances: { ...START }, ...account },
  });
  const b = await CcxtBroker.open({
    exchange: "binance",
    apiUrl: broker.url ?? fake.url,
    credentials: { apiKey: KEY, secret: SECRET },
    recvWindowMs: 600,
    skewMarginMs: 100,
    timeoutMs: 250,
    backoffBaseMs: 10,
    backoffMaxMs: 50,
    random: () => 0.5,
    ...broker,
  });
  const seen: unknown[] = [];
  return {
    fake,
    broker: b,
    seen,
    async [Symbol.asyncDispose]() {
      await b.close();
      await fake.close();
      assertNoSecrets(seen);
    },
  };
}

function assertNoSecrets(values: unknown[]): void {
  const text = JSON.stringify(values, (_k, v) => v instanceof Error ? `${v.name}: ${v.message}\n${v.stack}` : v);
  assert.ok(!text.includes(KEY) && !text.includes(SECRET), "a credential leaked into an error or an update");
}

/** Polls until no order is pending, collecting updates. */
async function drain(r: Rig, timeoutMs = 3_000): Promise<OrderUpdate[]> {
  const out: OrderUpdate[] = [];
  const end = Date.now() + timeoutMs;
  do {
    const u = await r.broker.poll();
    out.push(...u);
    r.seen.push(...u);
    if (r.broker.pending().length === 0) return out;
    await new Promise((res) => setTimeout(res, 20));
  } while (Date.now() < end);
  throw new Error(`orders still pending: ${r.broker.pending().join(", ")}`);
}

/** Holdings rebuilt from fill updates, as a portfolio applying them would. */
function holdings(updates: OrderUpdate[], start: Record<string, number> = START): Record<string, number> {
  const h: Record<string, number> = { ...start };
  for (const u of updates) {
    if (u.kind !== "filled" && u.kind !== "partially_filled") continue;
    const t = u.trade;
    const [base = "", quote = ""] = t.symbol.split("/");
    const sign = t.side === "buy" ? 1 : -1;
    h[base] = (h[base] ?? 0) + sign * t.qty;
    h[quote] = (h[quote] ?? 0) - sign * t.qty * t.price;
    h[t.feeAsset] = (h[t.feeAsset] ?? 0) - t.feeAmount;
  }
  return h;
}

/** The rebuilt holdings equal the exchange's balances (free + locked), and no client id was used twice. */
function assertConsistent(fake: FakeExchange, updates: OrderUpdate[]): void {
  const ids = fake.orders.map((o) => o.clientOrderId);
  assert.deepEqual(ids, [...new Set(ids)], "duplicate orders at the exchange");
  const h = holdings(updates);
  for (const [asset, b] of Object.entries(fake.balances)) {
    assert.ok(Math.abs((h[asset] ?? 0) - (b.free + b.locked)) < 1e-8, `${asset}: ${h[asset]} vs ${b.free + b.locked}`);
  }
}

Deno.test("ccxt broker: a market order fills; a limit order fills in parts, each part once with its price and fee", async () => {
  await using r = await rig({}, { fillParts: (o) => (o.type === "LIMIT" ? 3 : 1) });
  const { fake, broker } = r;
  const m = await broker.submit({ clientOrderId: "acct-s-1-e", symbol: BTC, side: "buy", type: "market", qty: 0.5 });
  assert.equal(m.status, "sent");
  const l = await broker.submit({
    clientOrderId: "acct-s-2-x",
    symbol: BTC,
    side: "sell",
    type: "limit",
    qty: 0.9,
    price: 101,
  });
  assert.equal(l.status, "sent");
  assert.equal(l.status === "sent" && l.order.state, "acknowledged");
  let updates = await broker.poll();
  assert.deepEqual(updates.map((u) => `${u.clientOrderId} ${u.kind}`), [
    "acct-s-1-e acknowledged",
    "acct-s-1-e filled",
    "acct-s-2-x acknowledged",
  ]);
  const all = [...updates];
  for (const p of [101, 102, 103]) {
    fake.setPrice(BTC, p);
    updates = await broker.poll();
    all.push(...updates);
  }
  const fills = all.filter((u) => u.clientOrderId === "acct-s-2-x" && u.kind !== "acknowledged");
  assert.deepEqual(fills.map((u) => u.kind), ["partially_filled", "partially_filled", "filled"]);
  assert.deepEqual(fills.map((u) => u.kind !== "acknowledged" && u.filled), [0.3, 0.6, 0.9].map((x) => x));
  const first = fills[0]!;
  assert.ok(first.kind === "partially_filled");
  assert.equal(first.trade.qty, 0.3);
  assert.equal(first.trade.price, 101);
  assert.equal(first.trade.feeAsset, "USDT");
  assert.ok(Math.abs(first.trade.fee - 0.3 * 101 * 0.001) < 1e-12);
  const buy = all.find((u) => u.clientOrderId === "acct-s-1-e" && u.kind === "filled");
  assert.ok(buy?.kind === "filled");
  assert.equal(buy.trade.feeAsset, "BTC");
  assert.ok(Math.abs(buy.trade.fee - 0.0005 * 100) < 1e-12); // valued in USDT
  assert.equal(broker.pending().length, 0);
  assert.deepEqual(await broker.poll(), []);
  r.seen.push(...all);
  assertConsistent(fake, all);
  const trades = await broker.recentTrades(BTC);
  assert.equal(trades.length, 4);
  assert.deepEqual(new Set(trades.map((t) => t.clientOrderId)), new Set(["acct-s-1-e", "acct-s-2-x"]));
});

// Each fault on the create leaves the outcome unknown to the client, or refuses the request.
const FAULTS: { name: string; fault: NonNullable<FakeExchangeOptions["faults"]>["newOrder"]; status: string }[] = [
  { name: "timeout, order created late (delay < recvWindow)", fault: [{ kind: "delay", ms: 400 }], status: "adopted" },
  { name: "timeout, acknowledged late", fault: [{ kind: "lateAck", ms: 400 }], status: "adopted" },
  { name: "503 after the order was made", fault: [{ kind: "status", status: 503, after: true }], status: "adopted" },
  {
    name: "503 before: never made, re-sent after recvWindow",
    fault: [{ kind: "status", status: 503 }],
    status: "sent",
  },
  {
    name: "502 twice, then it goes",
    fault: [{ kind: "status", status: 502 }, { kind: "status", status: 502 }],
    status: "sent",
  },
  { name: "429 with Retry-After", fault: [{ kind: "rateLimit", retryAfterSec: 0.05 }], status: "sent" },
  { name: "418 then 429", fault: [{ kind: "rateLimit", status: 418 }, { kind: "rateLimit" }], status: "sent" },
];

for (const f of FAULTS) {
  Deno.test(`ccxt broker: never twice under ${f.name}`, async () => {
    await using r = await rig({ faults: { newOrder: f.fault } });
    const { fake, broker } = r;
    const attempts: SendAttempt[] = [];
    const res = await broker.submit(
      { clientOrderId: "acct-f-1-e", symbol: BTC, side: "buy", type: "market", qty: 0.2 },
      { beforeAttempt: (a) => void attempts.push(a) },
    );
    r.seen.push(res);
    assert.equal(res.status, f.status, JSON.stringify(res));
    const updates = await drain(r);
    assert.deepEqual(updates.map((u) => u.kind), ["acknowledged", "filled"]);
    assert.equal(fake.orders.length, 1);
    assert.equal(fake.fills.length, 1);
    assertConsistent(fake, updates);
    // Every send after the first came only once the previous attempt's resolveAfter had passed, or was refused.
    const sends = fake.requestsTo("newOrder");
    for (let i = 1; i < attempts.length; i++) {
      const [a, b] = [attempts[i - 1]!, attempts[i]!];
      if (b.n > a.n) assert.ok(b.stamp > a.resolveAfter, `attempt ${b.n} sent before ${a.n} was resolved`);
    }
    if (f.status === "adopted") assert.equal(sends.length, 1);
  });
}

Deno.test("ccxt broker: a create held past recvWindow is refused by the exchange; re-sent exactly once after the window", async () => {
  // recvWindow 600 ms (the rig): the first create is held 900 ms, so the broker times out (250 ms), finds nothing
  // by client id until resolveAfter, and sends again; the held request is then refused when carried out (-1021).
  await using r = await rig({ faults: { newOrder: [{ kind: "delay", ms: 900 }] } });
  const { fake, broker } = r;
  const attempts: SendAttempt[] = [];
  const res = await broker.submit(
    { clientOrderId: "acct-w-1-e", symbol: BTC, side: "buy", type: "market", qty: 0.2 },
    { beforeAttempt: (a) => void attempts.push(a) },
  );
  r.seen.push(res);
  assert.equal(res.status, "sent", JSON.stringify(res));
  assert.equal(res.attempts, 2);
  assert.deepEqual(attempts.map((a) => a.n), [1, 2]);
  assert.ok(attempts[1]!.stamp > attempts[0]!.resolveAfter, "re-sent before the first attempt's window closed");
  const deadline = Date.now() + 3_000;
  while (fake.requestsTo("newOrder")[0]?.auth === undefined && Date.now() < deadline) {
    await new Promise((res) => setTimeout(res, 20));
  }
  const sends = fake.requestsTo("newOrder");
  assert.deepEqual(sends.map((q) => [q.fault ?? "", q.auth]), [["delay", "stale"], ["", "ok"]]);
  assert.equal(sends[0]!.status, 400);
  const updates = await drain(r);
  assert.deepEqual(updates.map((u) => u.kind), ["acknowledged", "filled"]);
  assert.equal(fake.orders.length, 1);
  assert.equal(fake.fills.length, 1);
  assertConsistent(fake, updates);
});

Deno.test("ccxt broker: a dropped connection after the order arrived is resolved by lookup, not re-sent", async () => {
  const relay = new DropRelay();
  const fake = await startFakeExchange({
    symbols: [BTC],
    prices: { [BTC]: 100 },
    account: { apiKey: KEY, secret: SECRET, balances: { ...START } },
  });
  relay.start(fake.port);
  const broker = await CcxtBroker.open({
    exchange: "binance",
    apiUrl: `http://127.0.0.1:${relay.port}`,
    credentials: { apiKey: KEY, secret: SECRET },
    recvWindowMs: 600,
    skewMarginMs: 100,
    timeoutMs: 500,
    backoffBaseMs: 10,
  });
  try {
    relay.dropNext = "POST /api/v3/order";
    const res = await broker.submit({
      clientOrderId: "acct-d-1-e",
      symbol: BTC,
      side: "buy",
      type: "market",
      qty: 0.3,
    });
    assert.equal(res.status, "adopted", JSON.stringify(res));
    assert.equal(relay.dropped, 1);
    const r: Rig = { fake, broker, seen: [res], async [Symbol.asyncDispose]() {} };
    const updates = await drain(r);
    assert.equal(fake.orders.length, 1);
    assertConsistent(fake, updates);
    assertNoSecrets(r.seen);
  } finally {
    await broker.close();
    await relay.close();
    await fake.close();
  }
});

Deno.test("ccxt broker: a second process sending the same open order adopts it", async () => {
  await using r = await rig();
  const { fake, broker } = r;
  const order = {
    clientOrderId: "acct-a-1-e",
    symbol: BTC,
    side: "buy" as const,
    type: "limit" as const,
    qty: 1,
    price: 90,
  };
  assert.equal((await broker.submit(order)).status, "sent");
  const other = await CcxtBroker.open({
    exchange: "binance",
    apiUrl: fake.url,
    credentials: { apiKey: KEY, secret: SECRET },
    recvWindowMs: 600,
    skewMarginMs: 100,
  });
  try {
    const again = await other.submit(order);
    assert.equal(again.status, "adopted"); // -2010 Duplicate order sent. -> looked up
    assert.equal(fake.orders.length, 1);
    // After a restart, tracking an order skips the fills the log already holds.
    fake.fillOrder(BTC, { clientOrderId: "acct-a-1-e" }, 90);
    const tracked = await other.track(BTC, "acct-a-1-e", { appliedQty: 0 });
    assert.equal(tracked?.state, "filled");
    const u = await other.poll();
    assert.deepEqual(u.map((x) => x.kind), ["acknowledged", "filled"]);
    r.seen.push(...u);
  } finally {
    await other.close();
  }
});

Deno.test("ccxt broker: rejections come back with the exchange's reason and make nothing", async () => {
  await using r = await rig({
    faults: { newOrder: [{ kind: "reject", reason: "insufficientBalance" }, { kind: "reject", reason: "lotSize" }] },
  });
  const { fake, broker } = r;
  const o = (id: string, qty: number) => ({
    clientOrderId: id,
    symbol: BTC,
    side: "buy" as const,
    type: "market" as const,
    qty,
  });
  const results = [
    await broker.submit(o("r1", 0.1)),
    await broker.submit(o("r2", 0.1)),
    await broker.submit(o("r3", 0.01)), // 1 USDT < min notional 5
    await broker.submit(o("r4", 50)), // 5000 USDT > 1000
  ];
  r.seen.push(...results);
  assert.deepEqual(results.map((x) => x.status), ["rejected", "rejected", "rejected", "rejected"]);
  const reasons = results.map((x) => (x.status === "rejected" ? x.reason : ""));
  assert.match(reasons[0]!, /-2010 Account has insufficient balance/);
  assert.match(reasons[1]!, /-1013.*LOT_SIZE/);
  assert.match(reasons[2]!, /NOTIONAL/);
  assert.match(reasons[3]!, /insufficient balance/);
  assert.equal(fake.orders.length, 0);
  assert.deepEqual(broker.pending(), []);
});

Deno.test("ccxt broker: cancel of an open order, of a partly filled one, and one that filled before the cancel", async () => {
  await using r = await rig({ faults: { cancelOrder: [null, null, { kind: "fillBeforeCancel" }] } }, {
    fillParts: 2,
  });
  const { fake, broker } = r;
  const limit = (id: string, price: number) => ({
    clientOrderId: id,
    symbol: BTC,
    side: "sell" as const,
    type: "limit" as const,
    qty: 0.3,
    price,
  });
  await broker.submit(limit("c1", 150));
  await broker.submit(limit("c2", 120));
  await broker.submit(limit("c3", 130));
  fake.setPrice(BTC, 120); // c2 fills half
  const c1 = await broker.cancel(BTC, "c1");
  assert.equal(c1?.state, "cancelled");
  const c2 = await broker.cancel(BTC, "c2");
  assert.equal(c2?.state, "cancelled");
  assert.equal(c2?.filled, 0.15);
  const c3 = await broker.cancel(BTC, "c3"); // -2011: it filled first
  assert.equal(c3?.state, "filled");
  assert.equal(c3?.filled, 0.3);
  assert.equal(await broker.cancel(BTC, "never-sent"), undefined);
  const updates = await drain(r);
  r.seen.push(c1, c2, c3);
  const by = (id: string) => updates.filter((u) => u.clientOrderId === id).map((u) => u.kind);
  assert.deepEqual(by("c1"), ["acknowledged", "cancelled"]);
  assert.deepEqual(by("c2"), ["acknowledged", "partially_filled", "cancelled"]);
  assert.deepEqual(by("c3"), ["acknowledged", "filled"]);
  assert.deepEqual(await broker.openOrders(), []);
  assertConsistent(fake, updates);
});

Deno.test("ccxt broker: reads retry 5xx and 429; bad credentials are one clear error without the key", async () => {
  await using r = await rig({
    faults: {
      account: [{ kind: "status", status: 500 }, { kind: "rateLimit", retryAfterSec: 0.02 }],
      getOrder: [{ kind: "status", status: 503 }],
    },
  });
  const { fake, broker } = r;
  assert.deepEqual(await broker.balances(), {
    USDT: { free: 1_000, locked: 0, total: 1_000 },
    BTC: { free: 1, locked: 0, total: 1 },
  });
  assert.equal(await broker.lookup(BTC, "nope"), undefined);
  assert.equal(fake.requestsTo("getOrder").length, 2);
  const errors: unknown[] = [];
  for (const creds of [{ apiKey: KEY, secret: "wrong-secret-0000" }, { apiKey: "wrong-key-0000", secret: SECRET }]) {
    const bad = await CcxtBroker.open({ exchange: "binance", apiUrl: fake.url, credentials: creds }).catch((e) => e);
    const b = bad instanceof CcxtBroker ? bad : undefined;
    try {
      const e = b ? await b.balances().catch((x) => x) : bad;
      assert.ok(e instanceof ExchangeError, String(e));
      assert.match(e.message, /credentials|key/);
      errors.push(e);
      if (b) {
        const s = await b.submit({ clientOrderId: "z", symbol: BTC, side: "buy", type: "market", qty: 0.1 }).catch((
          x,
        ) => x);
        assert.ok(s instanceof ExchangeError);
        errors.push(s);
      }
    } finally {
      await b?.close();
    }
  }
  r.seen.push(...errors);
  // The broker itself, printed or serialised, shows no credential (they live in a private field's ccxt instance).
  r.seen.push(Deno.inspect(broker, { depth: 20, showHidden: true }), JSON.stringify(broker), String(broker));
  assert.throws(() => assertNoSecrets([new Error(`oops ${SECRET}`)]));
  await assert.rejects(
    CcxtBroker.open({ exchange: "binance", apiUrl: fake.url, credentials: { apiKey: "", secret: "" } }),
    TypeError,
  );
});

/**
 * A byte relay to the fake that, when armed, passes one request starting with `dropNext` to the server and then
 * cuts the client's connection without an answer (the order arrives; the client sees a dropped connection).
 */
class DropRelay {
  dropNext = "";
  dropped = 0;
  #listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  #conns = new Set<Deno.Conn>();
  #loop: Promise<void> = Promise.resolve();

  get port(): number {
    return this.#listener.addr.port;
  }

  start(target: number): void {
    this.#loop = (async () => {
      for await (const down of this.#listener) {
        void this.#pipe(down, target);
      }
    })().catch(() => {});
  }

  async #pipe(down: Deno.Conn, target: number): Promise<void> {
    const up = await Deno.connect({ hostname: "127.0.0.1", port: target });
    this.#conns.add(down).add(up);
    const kill = (): void => {
      for (const c of [down, up]) {
        try {
          c.close();
        } catch { /* closed */ }
        this.#conns.delete(c);
      }
    };
    let cut = false;
    const upward = (async () => {
      const buf = new Uint8Array(64 * 1024);
      for (;;) {
        const n = await down.read(buf);
        if (n === null) break;
        const chunk = buf.subarray(0, n);
        const drop = this.dropNext !== "" && new TextDecoder().decode(chunk).startsWith(this.dropNext);
        if (drop) cut = true; // no byte of the answer goes back
        await up.write(chunk);
        if (drop) {
          this.dropNext = "";
          this.dropped++;
          await new Promise((res) => setTimeout(res, 100)); // the server takes the order
          kill();
          break;
        }
      }
    })().catch(() => {});
    const downward = (async () => {
      const buf = new Uint8Array(64 * 1024);
      for (;;) {
        const n = await up.read(buf);
        if (n === null || cut) break;
        if (cut) break;
        await down.write(buf.subarray(0, n));
      }
    })().catch(() => {});
    await Promise.all([upward, downward]);
    kill();
  }

  async close(): Promise<void> {
    this.#listener.close();
    for (const c of this.#conns) {
      try {
        c.close();
      } catch { /* closed */ }
    }
    await this.#loop;
  }
}

Deno.test("ccxt broker: updates() streams fills as they come until aborted", async () => {
  await using r = await rig({}, { fillParts: 2 });
  const { fake, broker } = r;
  await broker.submit({ clientOrderId: "u-1", symbol: BTC, side: "sell", type: "limit", qty: 0.5, price: 110 });
  const stop = new AbortController();
  const guard = setTimeout(() => stop.abort(), 5_000);
  const got: string[] = [];
  const moves = (async () => {
    for (const p of [110, 111]) {
      await new Promise((res) => setTimeout(res, 60));
      fake.setPrice(BTC, p);
    }
  })();
  for await (const u of broker.updates({ intervalMs: 20, signal: stop.signal })) {
    got.push(u.kind);
    r.seen.push(u);
    if (u.kind === "filled") stop.abort();
  }
  clearTimeout(guard);
  await moves;
  assert.deepEqual(got, ["acknowledged", "partially_filled", "filled"]);
});

Deno.test("ccxt broker: a runner id too long for Binance goes as its deterministic stand-in, found again by lookup", async () => {
  await using r = await rig();
  const { fake, broker } = r;
  const id = "account-with-a-long-name-sleeve-7-lx3k9q0-e"; // 43 characters
  const res = await broker.submit({ clientOrderId: id, symbol: BTC, side: "buy", type: "limit", qty: 0.1, price: 90 });
  assert.equal(res.status, "sent");
  const sent = fake.orders[0]!.clientOrderId;
  assert.ok(sent.length <= 36 && sent !== id);
  assert.equal(res.status === "sent" && res.order.clientOrderId, id);
  assert.equal(res.status === "sent" && res.order.exchangeClientId, sent);
  const other = await CcxtBroker.open({
    exchange: "binance",
    apiUrl: fake.url,
    credentials: { apiKey: KEY, secret: SECRET },
  });
  try {
    const found = await other.lookup(BTC, id);
    assert.equal(found?.clientOrderId, id);
    assert.equal(found?.state, "acknowledged");
    assert.equal((await other.cancel(BTC, id))?.state, "cancelled");
  } finally {
    await other.close();
  }
});

Deno.test("ccxt broker: random faults on creates and reads never make a second order; holdings match", async () => {
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const kinds = [
    { kind: "delay", ms: 350 },
    { kind: "lateAck", ms: 350 },
    { kind: "status", status: 503, after: true },
    { kind: "status", status: 502 },
    { kind: "rateLimit", retryAfterSec: 0.01 },
  ] as const;
  await using r = await rig({
    faultFn: ({ endpoint }) => {
      if (endpoint === "newOrder" && rnd() < 0.5) return kinds[Math.floor(rnd() * kinds.length)];
      if ((endpoint === "getOrder" || endpoint === "myTrades") && rnd() < 0.15) return { kind: "status", status: 500 };
      return undefined;
    },
  });
  const { fake, broker } = r;
  const statuses: string[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await broker.submit({
      clientOrderId: `rf-${i}`,
      symbol: BTC,
      side: i % 3 === 2 ? "sell" : "buy",
      type: "market",
      qty: 0.1,
    });
    statuses.push(res.status);
    r.seen.push(res);
  }
  const updates = await drain(r, 10_000);
  assert.ok(statuses.every((s) => s === "sent" || s === "adopted"), statuses.join());
  assert.equal(fake.orders.length, 12);
  assert.equal(updates.filter((u) => u.kind === "filled").length, 12);
  assertConsistent(fake, updates);
});

Deno.test("ccxt broker: a burst of creates skips ccxt's throttle (reads keep it); a 429 on a create still waits Retry-After", async () => {
  await using r = await rig();
  const { fake, broker } = r;
  // fetchBalance costs 4 x rateLimit (50 ms) on Binance: throttled, the next request would wait ~200 ms.
  await broker.balances();
  const account = fake.requestsTo("account").at(-1)!.at;
  for (let i = 0; i < 10; i++) {
    const res = await broker.submit({
      clientOrderId: `burst-${i}`,
      symbol: BTC,
      side: "buy",
      type: "market",
      qty: 0.06,
    });
    assert.equal(res.status, "sent", JSON.stringify(res));
  }
  const creates = fake.requestsTo("newOrder").map((q) => q.at);
  assert.equal(creates.length, 10);
  assert.ok(creates.at(-1)! - account < 150, `the burst waited: last create ${creates.at(-1)! - account} ms after`);
  // A read still queues behind the balance read's debt.
  await broker.lookup(BTC, "burst-0");
  const read = fake.requestsTo("getOrder").at(-1)!.at;
  assert.ok(read - account >= 150, `a read skipped the throttle: ${read - account} ms after the balance read`);

  fake.injectOnce("newOrder", { kind: "rateLimit", retryAfterSec: 0.3 });
  const res = await broker.submit({ clientOrderId: "after-429", symbol: BTC, side: "buy", type: "market", qty: 0.06 });
  assert.equal(res.status, "sent", JSON.stringify(res));
  assert.equal(res.status === "sent" && res.attempts, 1);
  const [refused, sent] = fake.requestsTo("newOrder").slice(-2).map((q) => q.at);
  assert.ok(sent! - refused! >= 290, `re-sent ${sent! - refused!} ms after a 429 asking for 300`);
  assert.equal(fake.orders.filter((o) => o.clientOrderId === "after-429").length, 1);
  r.seen.push(res);
});

Deno.test("ccxt broker: market() reads the exchange's LOT_SIZE and NOTIONAL filters through ccxt's markets", async () => {
  await using r = await rig({ filters: { stepSize: 0.001, minQty: 0.002, minNotional: 10 } });
  assert.deepEqual(r.broker.market(BTC), { lotStep: 0.001, minQty: 0.002, minNotional: 10 });
  assert.equal(r.broker.market("NOPE/USDT"), undefined);
});

// Binance's "pay fees with BNB": 0.1% taker less its 25% discount, charged in BNB at the BNB/USDT price.
const BNB_FEES = { feeAsset: "BNB", feeAssetDiscount: 0.25 } as const;

function near(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual}, expected ${expected}`);
}

Deno.test("ccxt broker: a fee paid in BNB keeps feeAsset/feeAmount as charged and is valued in USDT at BNB/USDT", async () => {
  const start = { USDT: 1_000, BNB: 0.01 };
  await using r = await rig(
    { symbols: [BTC, "BNB/USDT"], prices: { [BTC]: 60_000, "BNB/USDT": 600 } },
    { balances: start, ...BNB_FEES },
  );
  const { fake, broker } = r;
  const buy = await broker.submit({ clientOrderId: "bnb-b-1", symbol: BTC, side: "buy", type: "market", qty: 0.01 });
  assert.equal(buy.status, "sent");
  const all = await drain(r);
  fake.setPrice(BTC, 61_000);
  const sell = await broker.submit({ clientOrderId: "bnb-s-1", symbol: BTC, side: "sell", type: "market", qty: 0.01 });
  assert.equal(sell.status, "sent");
  all.push(...await drain(r));
  const trades = all.flatMap((u) => u.kind === "filled" || u.kind === "partially_filled" ? [u.trade] : []);
  assert.deepEqual(trades.map((t) => [t.side, t.qty, t.price, t.feeAsset, t.feeAmount]), [
    // 600 USDT x 0.001 x 0.75 = 0.45 USDT = 0.00075 BNB at 600
    ["buy", 0.01, 60_000, "BNB", 0.00075],
    // 610 USDT x 0.001 x 0.75 = 0.4575 USDT = 0.0007625 BNB at 600
    ["sell", 0.01, 61_000, "BNB", 0.0007625],
  ]);
  assert.deepEqual(trades.map((t) => t.feeAmount), fake.fills.map((f) => f.commission)); // what the fake charged
  near(trades[0]!.fee, 0.45, "buy fee in USDT");
  near(trades[1]!.fee, 0.4575, "sell fee in USDT");
  // The fee left BNB only: base and quote move by the trades alone.
  assert.deepEqual(fake.balances, {
    USDT: { free: 1_000 - 600 + 610, locked: 0 },
    BTC: { free: 0, locked: 0 },
    BNB: { free: 0.01 - 0.00075 - 0.0007625, locked: 0 },
  });
  const bal = await broker.balances();
  assert.deepEqual([bal.USDT?.total, bal.BTC, bal.BNB?.total], [1_010, undefined, 0.0084875]);
  const h = holdings(all, start);
  for (const [asset, b] of Object.entries(fake.balances)) near(h[asset] ?? 0, b.free + b.locked, asset);
  // Two fills a poll apart, one read of the BNB price (kept a minute).
  assert.deepEqual(fake.requestsTo("ticker").map((q) => q.query.symbol), ["BNBUSDT"]);
  const again = await broker.recentTrades(BTC);
  assert.deepEqual(again.map((t) => t.fee), trades.map((t) => t.fee));
  assert.equal(fake.requestsTo("ticker").length, 1);
});

Deno.test("ccxt broker: a burst of BNB-fee fills costs one ticker request", async () => {
  await using r = await rig(
    { symbols: [BTC, "BNB/USDT"], prices: { [BTC]: 60_000, "BNB/USDT": 600 } },
    { balances: { USDT: 1_000, BNB: 1 }, ...BNB_FEES, fillParts: (o) => (o.type === "LIMIT" ? 4 : 1) },
  );
  const { fake, broker } = r;
  for (let i = 1; i <= 3; i++) {
    const s = await broker.submit({
      clientOrderId: `burst-${i}`,
      symbol: BTC,
      side: "buy",
      type: "market",
      qty: 0.002,
    });
    assert.equal(s.status, "sent");
  }
  await broker.submit({ clientOrderId: "burst-l", symbol: BTC, side: "buy", type: "limit", qty: 0.004, price: 59_000 });
  for (const p of [59_000, 58_900, 58_950, 58_990]) fake.setPrice(BTC, p); // the limit fills in 4 parts at 59000
  const updates = await drain(r);
  const fills = updates.flatMap((u) => u.kind === "filled" || u.kind === "partially_filled" ? [u.trade] : []);
  assert.equal(fills.length, 3 + 4);
  for (const t of fills) {
    assert.equal(t.feeAsset, "BNB");
    near(t.fee, t.feeAmount * 600, `fill ${t.id}`);
  }
  near(fills[0]!.fee, 120 * 0.001 * 0.75, "0.002 BTC at 60000"); // 0.09 USDT = 0.00015 BNB
  assert.equal(fake.requestsTo("ticker").length, 1);
});

Deno.test("ccxt broker: a fee asset priced by the inverse market (USDT/TRY) is valued at 1 / its price", async () => {
  await using r = await rig(
    { symbols: [BTC, "USDT/TRY"], prices: { [BTC]: 100, "USDT/TRY": 40 } },
    { balances: { USDT: 1_000, TRY: 100 }, feeAsset: "TRY" },
  );
  await r.broker.submit({ clientOrderId: "try-1", symbol: BTC, side: "buy", type: "market", qty: 1 });
  const [fill] = (await drain(r)).flatMap((u) => u.kind === "filled" ? [u.trade] : []);
  assert.deepEqual([fill?.feeAsset, fill?.feeAmount], ["TRY", 4]); // 0.1 USDT x 40
  near(fill!.fee, 0.1, "TRY fee in USDT");
  assert.deepEqual(r.fake.requestsTo("ticker").map((q) => q.query.symbol), ["USDTTRY"]);
});

Deno.test("ccxt broker: a fee in an asset the exchange lists no market of is a clear error, never a guess", async () => {
  // The fake charges BNB at a price of its own while listing no BNB market, as a fee asset ccxt cannot price.
  await using r = await rig({}, { balances: { USDT: 1_000, BNB: 1 }, ...BNB_FEES, feeAssetPrice: 600 });
  const { fake, broker } = r;
  await broker.submit({ clientOrderId: "nomkt-1", symbol: BTC, side: "buy", type: "market", qty: 0.5 });
  assert.equal(fake.fills[0]?.commissionAsset, "BNB");
  await assert.rejects(broker.poll(), ExchangeError);
  const err = await broker.recentTrades(BTC).catch((x: unknown) => x);
  assert.ok(err instanceof ExchangeError);
  r.seen.push(err);
  assert.match(err.message, /fill 1 of order 1 \(buy 0\.5 BTC\/USDT\) paid its fee in BNB/);
  assert.match(err.message, /lists neither BNB\/USDT nor USDT\/BNB/);
  assert.match(err.message, /turn off paying fees in BNB on the exchange account/);
  assert.equal(fake.requestsTo("ticker").length, 0);
});
