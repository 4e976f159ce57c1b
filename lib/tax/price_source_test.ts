import assert from "node:assert/strict";
import { Store } from "../store/mod.ts";
import { withPriceStore } from "./_price_store_testing.ts";
import { MONEY_DP, parseFixed, storePriceSource } from "./mod.ts";

const m = (s: string): bigint => parseFixed(s, MONEY_DP);
const at = (iso: string): number => Date.parse(iso);

const SERIES = {
  "binance:ETH/USDT:1h": [["2025-03-04T10:00:00Z", 1800], ["2025-03-04T11:00:00Z", 1810.25], [
    "2025-03-04T13:00:00Z",
    1820,
  ]],
  "binance:ETH/USDT:1d": [["2025-03-04T00:00:00Z", 1850], ["2025-03-05T00:00:00Z", 1900]],
  "binance:ETH/USDT:USDT:1m": [["2025-03-04T10:30:00Z", 1]], // a swap: never an asset's price
  "binance:ETH/BTC:1m": [["2025-03-04T10:30:00Z", 0.02]], // not quoted in a par currency
  "kraken:BNB/USDC:1h": [["2025-03-04T10:00:00Z", 600.5]],
} as Record<string, [string, number][]>;

Deno.test("storePriceSource: the close of the bar containing the time, finest timeframe first", async () => {
  await withPriceStore(SERIES, async (dataDir) => {
    using prices = storePriceSource({ dataDir });
    assert.equal(await prices.price("ETH", at("2025-03-04T10:30:00Z"), "t"), m("1800"));
    assert.equal(await prices.price("ETH", at("2025-03-04T11:59:59.999Z"), "t"), m("1810.25"));
    // 12:00-13:00 is a gap of the hourly series: the daily bar holds it.
    assert.equal(await prices.price("ETH", at("2025-03-04T12:30:00Z"), "t"), m("1850"));
    assert.equal(await prices.price("ETH", at("2025-03-05T23:59:00Z"), "t"), m("1900"));
    assert.equal(await prices.price("BNB", at("2025-03-04T10:59:00Z"), "t"), m("600.5"));
    assert.equal(await prices.price("USDT", at("2025-03-04T10:59:00Z"), "t"), m("1"));
    assert.deepEqual(await prices.quote("ETH", at("2025-03-04T13:00:00Z"), "t"), {
      price: m("1820"),
      source: "binance ETH/USDT 1h bar 2025-03-04T13:00:00.000Z close 1820",
    });
    assert.deepEqual(await prices.quote("USDC", 0, "t"), { price: m("1"), source: "USDC taken at par" });
  });
});

Deno.test("storePriceSource: a missing price is an error naming the trade, never a guess", async () => {
  await withPriceStore(SERIES, async (dataDir) => {
    using prices = storePriceSource({ dataDir });
    await assert.rejects(prices.price("ETH", at("2025-03-06T00:00:00Z"), "trades.json:3 (trade 9, ETH/BTC buy)"), {
      name: "RangeError",
      message: "no stored price for ETH at 2025-03-06T00:00:00.000Z (trades.json:3 (trade 9, ETH/BTC buy)): none of " +
        "the stored series binance:ETH/USDT:1h, binance:ETH/USDT:1d has a bar containing that time; download one, " +
        "e.g. deno task data download --symbol ETH/USDT --timeframe 1h --since DATE",
    });
    await assert.rejects(prices.price("XRP", at("2025-03-04T10:00:00Z"), "row 4"), {
      message: "no stored price for XRP at 2025-03-04T10:00:00.000Z (row 4): no XRP/USD|USDT|USDC series is " +
        "stored; download one, e.g. deno task data download --symbol XRP/USDT --timeframe 1h --since DATE",
    });
    await assert.rejects(prices.price("ETH", at("2025-03-03T23:59:59.999Z"), "early"), /no stored price for ETH/);
  });
});

Deno.test("storePriceSource: quote currencies in the order of par, then the exchange's name", async () => {
  await withPriceStore({
    ...SERIES,
    "coinbase:ETH/USD:1h": [["2025-03-04T10:00:00Z", 1799]],
    "aaa:ETH/USDT:1h": [["2025-03-04T10:00:00Z", 1801]],
  }, async (dataDir) => {
    using usdFirst = storePriceSource({ dataDir });
    assert.equal(await usdFirst.price("ETH", at("2025-03-04T10:30:00Z"), "t"), m("1799"));
    using usdtFirst = storePriceSource({ dataDir, par: ["USDT", "USD"] });
    assert.equal(await usdtFirst.price("ETH", at("2025-03-04T10:30:00Z"), "t"), m("1801")); // aaa before binance
    assert.equal(await usdtFirst.price("USD", 0, "t"), m("1"));
  });
});

Deno.test("storePriceSource: reads a store opened read-only and writes nothing to the data dir", async () => {
  await withPriceStore(SERIES, async (dataDir) => {
    const before = await listing(dataDir);
    using prices = storePriceSource({ dataDir });
    await prices.price("ETH", at("2025-03-04T10:30:00Z"), "t");
    await prices.price("BNB", at("2025-03-04T10:30:00Z"), "t");
    assert.deepEqual(await listing(dataDir), before);
  });
});

async function listing(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for await (const e of Deno.readDir(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else out.push(`${p} ${(await Deno.stat(p)).mtime?.getTime()}`);
    }
  };
  await walk(dir);
  return out.sort();
}

Deno.test("storePriceSource: a store passed in is used and left open", async () => {
  await withPriceStore(SERIES, async (dataDir) => {
    using store = await Store.open({ dir: dataDir, readOnly: true });
    const prices = storePriceSource({ store });
    assert.equal(await prices.price("ETH", at("2025-03-04T10:30:00Z"), "t"), m("1800"));
    prices.close();
    assert.equal((await store.list()).length, 5);
  });
});
