// One live account on two exchanges at once: LiveRunner over a RoutingBroker and a MergedFeed, two fake exchanges
// (real ccxt), one symbol each.
import assert from "node:assert/strict";
import { AuditLog, replay } from "../audit/mod.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import { smaCross } from "../strategies/mod.ts";
import { type FakeExchange, startFakeExchange } from "../testing/mod.ts";
import { CcxtBroker } from "./ccxt_broker.ts";
import type { Feed, FeedBar } from "./feed.ts";
import { LiveRunner } from "./live_runner.ts";
import { MergedFeed } from "./merged_feed.ts";
import { RoutingBroker } from "./routing_broker.ts";

const KEYS = {
  a: ["PLANTED-MULTI-KEY-A", "PLANTED-MULTI-SECRET-A"],
  b: ["PLANTED-MULTI-KEY-B", "PLANTED-MULTI-SECRET-B"],
};
const BTC = "BTC/USDT";
const ETH = "ETH/USDT";
const M = 60_000;
/** Down, up, down, up: smaCross(1, 2) enters on each rise and exits on each fall; it ends holding. */
const CLOSES = [100, 98, 96, 99, 103, 101, 97, 95, 98, 102, 104];
const ETH_CLOSES = CLOSES.map((c) => c / 10);

/** One exchange's bars of `symbol`; before each the fake's price moves to the bar's close (fills happen there). */
function feed(fake: FakeExchange, symbol: string, closes: readonly number[], waitMs: number): Feed {
  return {
    symbols: [symbol],
    timeframe: "1m",
    async *batches(start) {
      for (let i = 0; i < closes.length; i++) {
        const c = closes[i]!;
        const bar: FeedBar = { symbol, timeframe: "1m", ts: i * M, open: c, high: c, low: c, close: c, volume: 1 };
        if ((start.after.get(symbol) ?? -1) >= bar.ts) continue;
        if (start.signal?.aborted) return;
        fake.setPrice(symbol, c);
        yield [bar];
        await new Promise((r) => setTimeout(r, waitMs));
      }
    },
  };
}

function held(fake: FakeExchange, asset: string): number {
  const b = fake.balances[asset];
  return (b?.free ?? 0) + (b?.locked ?? 0);
}

Deno.test("one account on two exchanges: orders at the right one, positions equal each one's balances, restart sends nothing", async () => {
  const a = await startFakeExchange({
    symbols: [BTC],
    prices: { [BTC]: CLOSES[0]! },
    account: { apiKey: KEYS.a[0]!, secret: KEYS.a[1]!, balances: { USDT: 1_000 }, fillParts: 2 },
  });
  const b = await startFakeExchange({
    symbols: [ETH],
    prices: { [ETH]: ETH_CLOSES[0]! },
    account: { apiKey: KEYS.b[0]!, secret: KEYS.b[1]!, balances: { USDT: 1_000 } },
  });
  const dataDir = await Deno.makeTempDir();
  const brokers: RoutingBroker[] = [];
  const routing = async (): Promise<RoutingBroker> => {
    const open = (fake: FakeExchange, [apiKey, secret]: string[]): Promise<CcxtBroker> =>
      CcxtBroker.open({
        exchange: "binance",
        apiUrl: fake.url,
        credentials: { apiKey: apiKey!, secret: secret! },
        backoffBaseMs: 5,
      });
    const broker = new RoutingBroker({
      routes: [
        { exchange: "binance", broker: await open(a, KEYS.a), symbols: [BTC] },
        { exchange: "kraken", broker: await open(b, KEYS.b), symbols: [ETH] },
      ],
    });
    brokers.push(broker);
    return broker;
  };
  const open = async (): Promise<LiveRunner> =>
    LiveRunner.open({
      account: "multi",
      dataDir,
      sleeves: [
        { id: "sma@BTC", strategy: smaCross, params: { fast: 1, slow: 2 }, symbol: BTC, exchange: "binance" },
        { id: "sma@ETH", strategy: smaCross, params: { fast: 1, slow: 2 }, symbol: ETH, exchange: "kraken" },
      ],
      risk: noLimitsRiskConfig(),
      startingCash: 2_000,
      timeframe: "1m",
      broker: await routing(),
      pollMs: 20,
      secrets: Object.values(KEYS).flat(),
      armed: true,
    });
  const merged = (): MergedFeed => new MergedFeed({ feeds: [feed(a, BTC, CLOSES, 60), feed(b, ETH, ETH_CLOSES, 45)] });
  try {
    const runner = await open();
    const summary = await runner.run(merged());
    assert.equal(summary.reason, "end of data");
    assert.equal(summary.bars, CLOSES.length * 2);
    assert.equal(summary.sent, a.orders.length + b.orders.length);
    assert.ok(a.orders.length >= 2 && b.orders.length >= 2, `orders: ${a.orders.length} at a, ${b.orders.length} at b`);
    assert.deepEqual([...new Set(a.orders.map((o) => o.symbol))], ["BTCUSDT"]);
    assert.deepEqual([...new Set(b.orders.map((o) => o.symbol))], ["ETHUSDT"]);
    const ids = [...a.orders, ...b.orders].map((o) => o.clientOrderId);
    assert.equal(new Set(ids).size, ids.length, "no client id twice, across exchanges");
    const position = (r: LiveRunner, symbol: string): number => r.sleeves().find((s) => s.symbol === symbol)!.position;
    assert.ok(position(runner, BTC) > 0 && position(runner, ETH) > 0, "both sleeves end holding");
    assert.ok(Math.abs(position(runner, BTC) - held(a, "BTC")) < 1e-8, `BTC ${position(runner, BTC)}`);
    assert.ok(Math.abs(position(runner, ETH) - held(b, "ETH")) < 1e-8, `ETH ${position(runner, ETH)}`);
    const log = AuditLog.open({ dataDir, account: "multi" });
    const all = log.query({ limit: 100_000 });
    assert.equal(log.verify().ok, true);
    log.close();
    const recs = all.filter((e) => e.kind === "reconciliation");
    assert.ok(recs.length >= 1);
    assert.equal(recs[0]!.kind === "reconciliation" && recs[0]!.payload.ok, true, JSON.stringify(recs[0]));
    const fills = all.filter((e) => e.kind === "order_filled" || e.kind === "order_partially_filled");
    assert.equal(fills.length, a.fills.length + b.fills.length, "every fill of both exchanges is in the log, once");
    const submitted = all.find((e) => e.kind === "order_submitted");
    assert.equal(
      submitted?.kind === "order_submitted" && submitted.payload.broker,
      "route(ccxt:binance,ccxt:binance)",
    );
    runner.close();

    // A restart: the start reconciliation sums both exchanges against the log, and nothing is sent again.
    const again = await open();
    assert.deepEqual(again.sleeves(), runner.sleeves());
    const s2 = await again.run(merged());
    assert.equal(s2.sent, 0);
    assert.equal(s2.batches, 0);
    again.close();
    const after = AuditLog.open({ dataDir, account: "multi" });
    const events = after.query({ limit: 100_000 });
    after.close();
    const last = events.filter((e) => e.kind === "reconciliation").at(-1);
    assert.equal(last?.kind === "reconciliation" && last.payload.ok, true, JSON.stringify(last));
    assert.equal(replay(events).unacknowledgedReconciliations.length, 0);
    assert.equal(a.orders.length + b.orders.length, ids.length);
  } finally {
    for (const broker of brokers) await broker.close();
    await a.close();
    await b.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
