import assert from "node:assert/strict";
import { withPriceStore } from "./_price_store_testing.ts";
import {
  type LedgerEvent,
  MONEY_DP,
  parseFixed,
  QTY_DP,
  readCcxtTrades,
  type ReadCcxtTradesOptions,
  storePriceSource,
  TaxInputError,
} from "./mod.ts";

const q = (s: string): bigint => parseFixed(s, QTY_DP);
const m = (s: string): bigint => parseFixed(s, MONEY_DP);
const FILE = "ccxt_trades.json";
const PRICES = {
  "binance:ETH/USDT:1h": [["2025-03-04T10:00:00Z", 1800]],
  "binance:BTC/USDT:1h": [["2025-03-04T11:00:00Z", 90000]],
  "binance:BNB/USDT:1h": [["2025-03-04T11:00:00Z", 600]],
} as Record<string, [string, number][]>;

async function sample(): Promise<unknown> {
  return JSON.parse(await Deno.readTextFile(new URL("./testdata/ccxt_trades.json", import.meta.url)));
}

async function rejects(json: unknown, message: string, options: ReadCcxtTradesOptions = { file: "t.json" }) {
  await assert.rejects(readCcxtTrades(json, options), (e: unknown) => {
    assert.ok(e instanceof TaxInputError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

Deno.test("readCcxtTrades: par trades, a crypto-to-crypto trade in two legs, base and BNB fees", async () => {
  await withPriceStore(PRICES, async (dataDir) => {
    using prices = storePriceSource({ dataDir });
    const events = await readCcxtTrades(await sample(), { file: FILE, prices });
    const src = (line: number, ref: string) => ({ file: FILE, line, ref });
    const eth = "ETH/BTC buy: 1.998 ETH received valued at 1800 per ETH (binance ETH/USDT 1h bar " +
      "2025-03-04T10:00:00.000Z close 1800) = 3596.40, one value for both legs: the proceeds of the 0.04 BTC given " +
      "and the ETH lot's basis; its fee of 0.002 ETH was taken from the ETH received";
    const btc = "ETH/BTC sell: 0.01 BTC received valued at 90000 per BTC (binance BTC/USDT 1h bar " +
      "2025-03-04T11:00:00.000Z close 90000) = 900.00, one value for both legs: the proceeds of the 0.5 ETH given " +
      "and the BTC lot's basis";
    const expected: LedgerEvent[] = [
      {
        id: `${FILE}:1`,
        kind: "buy",
        time: Date.parse("2025-03-04T09:15:00Z"),
        asset: "BTC",
        qty: q("0.1"),
        value: m("6000"),
        fee: m("6"),
        source: src(1, "9001"),
      },
      {
        id: `${FILE}:2/sell`,
        kind: "sell",
        time: Date.parse("2025-03-04T10:30:00Z"),
        asset: "BTC",
        qty: q("0.04"),
        value: m("3596.4"),
        fee: 0n,
        link: `${FILE}:2`,
        note: eth,
        source: src(2, "9002"),
      },
      {
        id: `${FILE}:2/buy`,
        kind: "buy",
        time: Date.parse("2025-03-04T10:30:00Z"),
        asset: "ETH",
        qty: q("1.998"),
        value: m("3596.4"),
        fee: 0n,
        link: `${FILE}:2`,
        note: eth,
        source: src(2, "9002"),
      },
      {
        id: `${FILE}:3/sell`,
        kind: "sell",
        time: Date.parse("2025-03-04T11:10:00Z"),
        asset: "ETH",
        qty: q("0.5"),
        value: m("900"),
        fee: 0n,
        link: `${FILE}:3`,
        note: btc,
        source: src(3, "9003"),
      },
      {
        id: `${FILE}:3/buy`,
        kind: "buy",
        time: Date.parse("2025-03-04T11:10:00Z"),
        asset: "BTC",
        qty: q("0.01"),
        value: m("900"),
        fee: m("4.5"),
        link: `${FILE}:3`,
        note: btc + "; the fee paid in another asset (4.50) is this lot's fee: it adds to the basis",
        source: src(3, "9003"),
      },
      {
        id: `${FILE}:3/fee`,
        kind: "fee",
        time: Date.parse("2025-03-04T11:10:00Z"),
        asset: "BNB",
        qty: q("0.0075"),
        value: m("4.5"),
        fee: 0n,
        link: `${FILE}:3`,
        note: "0.0075 BNB paid as the fee of ccxt_trades.json:3 (trade 9003, ETH/BTC sell), valued at 4.50 " +
          "(binance BNB/USDT 1h bar 2025-03-04T11:00:00.000Z close 600); the same value is in the trade's fee",
        source: src(3, "9003"),
      },
      {
        id: `${FILE}:4`,
        kind: "sell",
        time: Date.parse("2025-03-05T08:00:00Z"),
        asset: "BTC",
        qty: q("0.05"),
        value: m("3100"),
        fee: m("3.1"),
        source: src(4, "9004"),
      },
    ];
    assert.deepEqual(events, expected);
    // One valuation for both legs: the disposal's proceeds are the new lot's value.
    assert.equal(events[1]!.value, events[2]!.value);
  });
});

Deno.test("readCcxtTrades: a fee in the base asset changes the quantity, the value stays the cost", async () => {
  const trade = { timestamp: 0, symbol: "BTC/USDC", price: 0.1, amount: 3, fee: { cost: 0.003, currency: "BTC" } };
  const [buy, sell] = await readCcxtTrades([{ ...trade, id: "1", side: "buy" }, { ...trade, id: "2", side: "SELL" }], {
    file: "b.json",
  });
  // No cost: price x amount exactly (0.1 x 3 is 0.3, not 0.30000000000000004).
  assert.deepEqual([buy!.qty, buy!.value, buy!.fee], [q("2.997"), m("0.3"), 0n]);
  assert.equal(
    buy!.note,
    "BTC/USDC buy of 3 BTC; its fee of 0.003 BTC was taken from the BTC received: 2.997 BTC acquired",
  );
  assert.deepEqual([sell!.qty, sell!.value, sell!.fee], [q("3.003"), m("0.3"), 0n]);
  assert.equal(
    sell!.note,
    "BTC/USDC sell of 3 BTC; its fee of 0.003 BTC was paid in BTC on top of what was given: 3.003 BTC disposed of",
  );
});

Deno.test("readCcxtTrades: a missing price is an error naming the trade", async () => {
  const json = await sample();
  await withPriceStore({ "binance:BTC/USDT:1h": PRICES["binance:BTC/USDT:1h"]! }, async (dataDir) => {
    using prices = storePriceSource({ dataDir });
    await rejects(
      json,
      "ccxt_trades.json:2: no stored price for ETH at 2025-03-04T10:30:00.000Z (ccxt_trades.json:2 (trade 9002, " +
        "ETH/BTC buy)): no ETH/USD|USDT|USDC series is stored; download one, e.g. deno task data download --symbol " +
        "ETH/USDT --timeframe 1h --since DATE",
      { file: FILE, prices },
    );
  });
  await rejects(
    json,
    "ccxt_trades.json:2: ccxt_trades.json:2 (trade 9002, ETH/BTC buy) needs the price of ETH at " +
      "2025-03-04T10:30:00.000Z, and no price source was given; pass stored prices (the store's series) to value it",
    { file: FILE },
  );
});

Deno.test("readCcxtTrades: bad entries are rejected with the file, the index and the reason", async () => {
  const ok = { id: "1", timestamp: 0, symbol: "BTC/USDT", side: "buy", price: 10, amount: 1, cost: 10 };
  await rejects({ trades: [] }, "t.json: expected an array of ccxt trades (what fetchMyTrades returns), got object");
  const cases: [unknown, string][] = [
    [{ ...ok, timestamp: undefined }, "no time: timestamp undefined and datetime undefined"],
    [
      { ...ok, timestamp: undefined, datetime: "2025-01-02 10:00" },
      'time "2025-01-02 10:00" has no zone; write it with Z or an offset (2025-01-02T10:00:00Z, 2025-01-02T10:00:00+01:00), or give the file\'s zone in the column mapping (zone=UTC)',
    ],
    [{ ...ok, side: "short" }, 'side "short" is not buy or sell'],
    [{ ...ok, amount: 0 }, "amount 0 is not a number greater than 0"],
    [{ ...ok, amount: -1 }, "amount -1 is not a number greater than 0"],
    [
      { ...ok, symbol: "BTC/USDT:USDT" },
      'symbol "BTC/USDT:USDT" is a derivative (swap or future); only spot trades move lots of an asset',
    ],
    [{ ...ok, symbol: "BTCUSDT" }, 'symbol "BTCUSDT" is not BASE/QUOTE (like ETH/BTC)'],
    [{ ...ok, cost: undefined, price: undefined }, "neither cost nor price is given; the trade cannot be valued"],
    [{ ...ok, fee: { cost: -0.1, currency: "USDT" } }, "fee -0.1 USDT is negative; a rebate is not a fee, remove it"],
    [{ ...ok, fee: { cost: 0.1 } }, "fee of 0.1 has no currency; ccxt gives fee { cost, currency }"],
    [{ ...ok, amount: "lots" }, 'amount "lots" is not a decimal number; write it like 12.5 or 0.001'],
    [ok, "trade 1 of BTC/USDT is listed twice (first at 1); keep one"],
    ["x", "not a ccxt trade object"],
  ];
  for (const [bad, reason] of cases) {
    const other = bad !== ok && typeof bad === "object" ? { ...bad, id: "2" } : bad; // only the repeat repeats an id
    await rejects([ok, other], `t.json:2: ${reason}`);
  }
});
