import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { AuditLog } from "../audit/mod.ts";
import { riskConfigHash } from "../risk/mod.ts";
import { accountStatus, createAccount, killAccount, loadAccount } from "./mod.ts";
import { withDataDir } from "./_test_helpers.ts";

const T0 = Date.UTC(2026, 0, 5, 9);
const HASH = "ab".repeat(32);

/** A short session: two bars, a filled buy, an open sell, on one UTC day. */
function session(dataDir: string): void {
  using log = AuditLog.open({ dataDir, account: "paper-1" });
  const bar = (ts: number, close: number) => ({
    kind: "bar" as const,
    runId: "r1",
    ts: ts + 60_000,
    payload: {
      symbol: "ETH/USDT",
      timeframe: "1m",
      ts,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1,
      dataHash: HASH,
    },
  });
  const intent = (id: string, side: "buy" | "sell", qty: number, price: number) => ({
    kind: "order_intent" as const,
    runId: "r1",
    ts: T0 + 60_000,
    payload: {
      clientOrderId: id,
      account: "paper-1",
      strategy: "s",
      symbol: "ETH/USDT",
      side,
      qty,
      price,
      reduceOnly: false,
      barTs: T0,
    },
  });
  log.appendMany([
    { kind: "run_started", runId: "r1", ts: T0, payload: { mode: "paper", startingCash: 10_000 } },
    bar(T0, 2_000),
    intent("o1", "buy", 2, 2_000),
    { kind: "order_submitted", runId: "r1", ts: T0 + 60_000, payload: { clientOrderId: "o1" } },
    {
      kind: "order_filled",
      runId: "r1",
      ts: T0 + 60_000,
      payload: { clientOrderId: "o1", symbol: "ETH/USDT", side: "buy", qty: 2, price: 2_000, fee: 4, ts: T0 + 60_000 },
    },
    bar(T0 + 60_000, 1_900),
    intent("o2", "sell", 1, 1_900),
    { kind: "order_submitted", runId: "r1", ts: T0 + 120_000, payload: { clientOrderId: "o2" } },
  ]);
}

Deno.test("accountStatus: positions, cash, equity, open orders, last bar, counters, chain and limits in force", async () => {
  await withDataDir(async (dataDir) => {
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000, now: T0 - 1_000 });
    session(dataDir);
    const s = accountStatus({ dataDir, name: "paper-1" });
    assert.equal(s.kind, "paper");
    assert.equal(s.quote, "USDT");
    assert.equal(s.tradingState, "active");
    assert.equal(s.startingCash, 10_000);
    assert.equal(s.cash, 10_000 - 4_004);
    assert.deepEqual(s.positions, [{ symbol: "ETH/USDT", qty: 2, avgPrice: 2_000 }]);
    assert.equal(s.equity, 5_996 + 3_800);
    assert.deepEqual(s.openOrders.map((o) => [o.clientOrderId, o.status]), [["o2", "submitted"]]);
    assert.deepEqual(s.lastBars, [{ symbol: "ETH/USDT", timeframe: "1m", ts: T0 + 60_000, close: 1_900, seq: 7 }]);
    assert.equal(s.counters.day, "2026-01-05");
    assert.equal(s.counters.ordersToday, 2);
    assert.equal(s.counters.equityPeak, 10_000);
    assert.equal(s.counters.dailyPnl, 9_796 - 10_000);
    assert.ok(Math.abs(s.counters.drawdown - 0.0204) < 1e-12);
    assert.ok(s.audit.ok);
    assert.equal(s.audit.headSeq, 9);
    assert.equal(s.configHash, a.configHash);
    assert.equal(s.risk?.configHash, await riskConfigHash(loadAccount({ dataDir, name: "paper-1" }).config.risk));
    assert.equal(s.risk?.rules.dailyLoss.limit, 0.03);
    assert.equal(s.configError, null);
  });
});

Deno.test("accountStatus: a tampered log names its first bad seq; a broken account.json is reported, not thrown", () =>
  withDataDir((dataDir) => {
    const a = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
    killAccount({ dataDir, name: "paper-1", reason: "drill" });
    Deno.writeTextFileSync(a.path, "{}");
    const s = accountStatus({ dataDir, name: "paper-1" });
    assert.equal(s.tradingState, "halted");
    assert.equal(s.reason, "drill");
    assert.equal(s.risk, null);
    assert.match(s.configError!, /version: missing/);
    assert.ok(s.audit.ok);

    const db = new DatabaseSync(`${a.dir}/audit.sqlite`);
    db.exec(
      "DROP TRIGGER events_no_update; UPDATE events SET payload = replace(payload, 'drill', 'dril') WHERE seq = 2",
    );
    db.close();
    const t = accountStatus({ dataDir, name: "paper-1" });
    assert.ok(!t.audit.ok);
    assert.equal(t.audit.firstBadSeq, 2);
    assert.throws(() => accountStatus({ dataDir, name: "nope" }), /no account "nope"/);
  }));
