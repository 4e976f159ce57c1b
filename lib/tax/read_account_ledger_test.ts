import assert from "node:assert/strict";
import { AuditLog } from "../audit/mod.ts";
import { withPriceStore } from "./_price_store_testing.ts";
import {
  type LedgerEvent,
  MONEY_DP,
  parseFixed,
  QTY_DP,
  readAccountLedger,
  storePriceSource,
  TaxInputError,
} from "./mod.ts";

const q = (s: string): bigint => parseFixed(s, QTY_DP);
const m = (s: string): bigint => parseFixed(s, MONEY_DP);
const T = Date.parse("2025-03-04T10:30:00Z");

/** Writes the account's log the way the runners do: run_started, bars and fills. */
function writeLog(dataDir: string, account = "paper-1"): void {
  using log = AuditLog.open({ dataDir, account });
  const fill = (clientOrderId: string, rest: Record<string, unknown>) => ({ clientOrderId, ts: T, ...rest });
  log.append({ kind: "run_started", runId: "r1", ts: T, payload: { mode: "paper", startingCash: 100_000 } });
  log.append({
    kind: "order_filled",
    runId: "r1",
    ts: T,
    payload: fill("o1", { symbol: "BTC/USDT", side: "buy", qty: 0.5, price: 60000, fee: 30 }),
  } as never);
  log.append({
    kind: "order_partially_filled",
    runId: "r1",
    ts: T + 1,
    payload: fill("o2", {
      symbol: "BTC/USDT",
      side: "buy",
      qty: 0.1,
      price: 60010,
      fee: 6.001,
      feeAsset: "BTC",
      feeAmount: 0.0001,
      ts: T + 1,
    }),
  } as never);
  log.append({
    kind: "order_filled",
    runId: "r1",
    ts: T + 2,
    payload: fill("o3", {
      symbol: "ETH/USDT",
      side: "sell",
      qty: 1,
      price: 3000,
      fee: 2.25,
      feeAsset: "BNB",
      feeAmount: 0.005,
      ts: T + 2,
    }),
  } as never);
  log.append({
    kind: "order_filled",
    runId: "r1",
    ts: T + 3,
    payload: fill("o4", { symbol: "ETH/BTC", side: "buy", qty: 2, price: 0.02, fee: 0.00004, ts: T + 3 }),
  } as never);
  log.append({
    kind: "order_filled",
    runId: "r1",
    ts: T + 4,
    payload: fill("o5", { symbol: "GOOG", side: "buy", qty: 3, price: 170.1, fee: 0, ts: T + 4 }),
  } as never);
}

Deno.test("readAccountLedger: an account's fills become ledger events by the trade rules", async () => {
  await withPriceStore({ "binance:ETH/USDT:1h": [["2025-03-04T10:00:00Z", 1800]] }, async (dataDir) => {
    writeLog(dataDir);
    using prices = storePriceSource({ dataDir });
    const events = await readAccountLedger({ dataDir, account: "paper-1", prices });
    const src = (seq: number, ref: string) => ({ account: "paper-1", seq, ref });
    const c2c =
      "ETH/BTC buy: 2 ETH received valued at 1800 per ETH (binance ETH/USDT 1h bar 2025-03-04T10:00:00.000Z " +
      "close 1800) = 3600.00, one value for both legs: the proceeds of the 0.04004 BTC given and the ETH lot's basis; " +
      "its fee of 0.00004 BTC was paid in BTC on top of what was given";
    const expected: LedgerEvent[] = [
      {
        id: "paper-1#2",
        kind: "buy",
        time: T,
        asset: "BTC",
        qty: q("0.5"),
        value: m("30000"),
        fee: m("30"),
        source: src(2, "o1"),
      },
      {
        id: "paper-1#3",
        kind: "buy",
        time: T + 1,
        asset: "BTC",
        qty: q("0.0999"),
        value: m("6001"),
        fee: 0n,
        note: "BTC/USDT buy of 0.1 BTC; its fee of 0.0001 BTC was taken from the BTC received: 0.0999 BTC acquired",
        source: src(3, "o2"),
      },
      {
        id: "paper-1#4",
        kind: "sell",
        time: T + 2,
        asset: "ETH",
        qty: q("1"),
        value: m("3000"),
        fee: m("2.25"),
        link: "paper-1#4",
        source: src(4, "o3"),
      },
      {
        id: "paper-1#4/fee",
        kind: "fee",
        time: T + 2,
        asset: "BNB",
        qty: q("0.005"),
        value: m("2.25"),
        fee: 0n,
        link: "paper-1#4",
        note: "0.005 BNB paid as the fee of paper-1 fill seq 4 (ETH/USDT sell, order o3), valued at 2.25 as the fill " +
          "recorded it; the same value is in the trade's fee",
        source: src(4, "o3"),
      },
      {
        id: "paper-1#5/sell",
        kind: "sell",
        time: T + 3,
        asset: "BTC",
        qty: q("0.04004"),
        value: m("3600"),
        fee: 0n,
        link: "paper-1#5",
        note: c2c,
        source: src(5, "o4"),
      },
      {
        id: "paper-1#5/buy",
        kind: "buy",
        time: T + 3,
        asset: "ETH",
        qty: q("2"),
        value: m("3600"),
        fee: 0n,
        link: "paper-1#5",
        note: c2c,
        source: src(5, "o4"),
      },
      {
        id: "paper-1#6",
        kind: "buy",
        time: T + 4,
        asset: "GOOG",
        qty: q("3"),
        value: m("510.3"),
        fee: 0n,
        source: src(6, "o5"),
      },
    ];
    assert.deepEqual(events, expected);
  });
});

Deno.test("readAccountLedger: a fill without its price names the account, the seq and the fill", async () => {
  await withPriceStore({}, async (dataDir) => {
    writeLog(dataDir);
    using prices = storePriceSource({ dataDir });
    await assert.rejects(readAccountLedger({ dataDir, account: "paper-1", prices }), (e: unknown) => {
      assert.ok(e instanceof TaxInputError);
      assert.equal(
        e.message,
        "paper-1 audit log:5: no stored price for ETH at 2025-03-04T10:30:00.003Z (paper-1 fill seq 5 (ETH/BTC buy, " +
          "order o4)): no ETH/USD|USDT|USDC series is stored; download one, e.g. deno task data download --symbol " +
          "ETH/USDT --timeframe 1h --since DATE",
      );
      assert.deepEqual([e.file, e.line], ["paper-1 audit log", 5]);
      return true;
    });
  });
});

Deno.test("readAccountLedger: a missing account names the accounts there; the log is read-only", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "tax_ledger_" });
  try {
    writeLog(dataDir, "live-1");
    await assert.rejects(
      readAccountLedger({ dataDir, account: "paper-9" }),
      new Error(
        `account "paper-9" has no audit log in ${dataDir}; accounts there: live-1 (pass --data-dir or set ` +
          "SENTINEL_DATA_DIR for another data dir)",
      ),
    );
    await assert.rejects(readAccountLedger({ dataDir, account: "../x" }), TypeError);
    const before = (await Deno.stat(`${dataDir}/_accounts/live-1/audit.sqlite`)).mtime;
    // Without a price source the crypto-to-crypto fill is refused, naming it.
    await assert.rejects(readAccountLedger({ dataDir, account: "live-1" }), /live-1 audit log:5: .* no price source/);
    assert.deepEqual((await Deno.stat(`${dataDir}/_accounts/live-1/audit.sqlite`)).mtime, before);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
