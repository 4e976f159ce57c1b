import assert from "node:assert/strict";
import {
  type LedgerEvent,
  MONEY_DP,
  parseColumnMapping,
  parseFixed,
  type PriceSource,
  QTY_DP,
  readTradesCsv,
  TaxInputError,
} from "./mod.ts";

const q = (s: string): bigint => parseFixed(s, QTY_DP);
const m = (s: string): bigint => parseFixed(s, MONEY_DP);
const t = (iso: string): number => Date.parse(iso);
const testdata = (name: string): URL => new URL(`./testdata/${name}`, import.meta.url);

/** Rejects with a TaxInputError whose message is exactly `message`. */
async function rejects(
  text: string,
  message: string,
  options: Parameters<typeof readTradesCsv>[1] = { file: "t.csv" },
) {
  await assert.rejects(readTradesCsv(text, options), (e: unknown) => {
    assert.ok(e instanceof TaxInputError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

Deno.test("readTradesCsv: every side, ids, lots, wallets and the three time forms", async () => {
  const csv = [
    "time,side,qty,asset,value,fee,lots,id,from,to",
    "2025-01-02T15:00:00Z,buy,0.5,BTC,30000,15,,,,",
    "2025-01-03T10:00:00+01:00,BUY,1.25,ETH,4000.10,,,eth-1,,",
    "1736000000,staking,0.01,ETH,33.5,,,,,",
    "1736100000000,Airdrop,100,ARB,0,,,,,",
    "2025-02-01 12:00:00Z,mining,0.001,BTC,95.5,,,,,",
    "2025-02-02T00:00:00Z,income,5,USDC,5,,,,,",
    "2025-03-01T00:00:00Z,transfer,0.25,BTC,,,,,exchange,ledger",
    "2025-03-01T00:00:01Z,fee,0.0001,BTC,9,,,,,",
    "2025-04-01T00:00:00.250Z,sell,0.2,BTC,17000,8.5,t.csv:2; t.csv:6 ,,,",
  ].join("\n");
  const events = await readTradesCsv(csv, { file: "t.csv" });
  const src = (line: number) => ({ file: "t.csv", line });
  const expected: LedgerEvent[] = [
    {
      id: "t.csv:2",
      kind: "buy",
      time: t("2025-01-02T15:00:00Z"),
      asset: "BTC",
      qty: q("0.5"),
      value: m("30000"),
      fee: m("15"),
      source: src(2),
    },
    {
      id: "eth-1",
      kind: "buy",
      time: t("2025-01-03T09:00:00Z"),
      asset: "ETH",
      qty: q("1.25"),
      value: m("4000.1"),
      fee: 0n,
      source: src(3),
    },
    {
      id: "t.csv:4",
      kind: "income",
      incomeType: "staking",
      time: 1736000000_000,
      asset: "ETH",
      qty: q("0.01"),
      value: m("33.5"),
      fee: 0n,
      source: src(4),
    },
    {
      id: "t.csv:5",
      kind: "income",
      incomeType: "airdrop",
      time: 1736100000000,
      asset: "ARB",
      qty: q("100"),
      value: 0n,
      fee: 0n,
      source: src(5),
    },
    {
      id: "t.csv:6",
      kind: "income",
      incomeType: "mining",
      time: t("2025-02-01T12:00:00Z"),
      asset: "BTC",
      qty: q("0.001"),
      value: m("95.5"),
      fee: 0n,
      source: src(6),
    },
    {
      id: "t.csv:7",
      kind: "income",
      incomeType: "income",
      time: t("2025-02-02T00:00:00Z"),
      asset: "USDC",
      qty: q("5"),
      value: m("5"),
      fee: 0n,
      source: src(7),
    },
    {
      id: "t.csv:8",
      kind: "transfer",
      time: t("2025-03-01T00:00:00Z"),
      asset: "BTC",
      qty: q("0.25"),
      value: 0n,
      fee: 0n,
      fromWallet: "exchange",
      toWallet: "ledger",
      source: src(8),
    },
    {
      id: "t.csv:9",
      kind: "fee",
      time: t("2025-03-01T00:00:01Z"),
      asset: "BTC",
      qty: q("0.0001"),
      value: m("9"),
      fee: 0n,
      source: src(9),
    },
    {
      id: "t.csv:10",
      kind: "sell",
      time: t("2025-04-01T00:00:00.250Z"),
      asset: "BTC",
      qty: q("0.2"),
      value: m("17000"),
      fee: m("8.5"),
      lots: ["t.csv:2", "t.csv:6"],
      source: src(10),
    },
  ];
  assert.deepEqual(events, expected);
});

Deno.test("readTradesCsv: a BOM, CRLF endings, quoted fields and a quoted newline keep the lines right", async () => {
  const csv = '\uFEFFTime,Side,Qty,Asset,Value,Note\r\n2025-01-02T00:00:00Z,buy,"1,000",DOGE,"$1,000.50","a, b"\r\n' +
    '2025-01-03T00:00:00Z,buy,2,DOGE,1,"two\r\nlines"\r\n\r\n2025-01-04T00:00:00Z,buy,3,DOGE,1,""""\r\n';
  const events = await readTradesCsv(csv, { file: "bom.csv" });
  assert.deepEqual(events.map((e) => [e.id, e.qty, e.value]), [
    ["bom.csv:2", q("1000"), m("1000.5")],
    ["bom.csv:3", q("2"), m("1")],
    ["bom.csv:6", q("3"), m("1")],
  ]);
  await rejects(
    csv + "2025-01-05T00:00:00Z,hold,1,DOGE,1,x\r\n",
    'bom.csv:7: unknown side "hold"; use buy, sell, income, staking, airdrop, mining, transfer, fee (any case), ' +
      "or map it: side.hold=buy",
    { file: "bom.csv" },
  );
});

Deno.test("readTradesCsv: a Coinbase-like export through a column mapping", async () => {
  const mapping = parseColumnMapping(
    "time=Timestamp,side=Transaction Type,asset=Asset,qty=Quantity Transacted,value=Subtotal," +
      "fee=Fees and/or Spread,side.Rewards Income=staking,side.Send=transfer",
  );
  const text = await Deno.readTextFile(testdata("coinbase_like.csv"));
  const events = await readTradesCsv(text, { file: "coinbase_like.csv", mapping });
  const src = (line: number) => ({ file: "coinbase_like.csv", line });
  assert.deepEqual(events, [
    {
      id: "coinbase_like.csv:2",
      kind: "buy",
      time: t("2024-11-05T14:02:11Z"),
      asset: "BTC",
      qty: q("0.02"),
      value: m("1400"),
      fee: m("20"),
      source: src(2),
    },
    {
      id: "coinbase_like.csv:3",
      kind: "income",
      incomeType: "staking",
      time: t("2024-12-01T00:10:00Z"),
      asset: "ETH",
      qty: q("0.0125"),
      value: m("46.25"),
      fee: 0n,
      source: src(3),
    },
    {
      id: "coinbase_like.csv:4",
      kind: "transfer",
      time: t("2025-01-15T18:45:30Z"),
      asset: "BTC",
      qty: q("0.01"),
      value: 0n,
      fee: 0n,
      source: src(4),
    },
    {
      id: "coinbase_like.csv:5",
      kind: "sell",
      time: t("2025-03-10T09:00:00Z"),
      asset: "BTC",
      qty: q("0.005"),
      value: m("400"),
      fee: m("5"),
      source: src(5),
    },
  ]);
});

Deno.test("readTradesCsv: a Binance-like export (BOM, CRLF, BUY/Sell, times in UTC without a zone)", async () => {
  const text = await Deno.readTextFile(testdata("binance_like.csv"));
  const mapping = parseColumnMapping("time=Date(UTC),side=Type,qty=Amount,asset=Coin,value=Total,zone=UTC");
  const events = await readTradesCsv(text, { file: "binance_like.csv", mapping });
  assert.deepEqual(
    events.map((e) => [e.id, e.kind, new Date(e.time).toISOString(), e.asset, e.qty, e.value, e.fee]),
    [
      ["binance_like.csv:2", "buy", "2025-01-02T10:00:00.000Z", "BTC", q("0.05"), m("3000"), m("3")],
      ["binance_like.csv:3", "buy", "2025-01-20T08:30:00.000Z", "ETH", q("1.5"), m("4950"), m("4.95")],
      ["binance_like.csv:4", "sell", "2025-02-03T21:15:00.000Z", "BTC", q("0.02"), m("1240"), m("1.24")],
      ["binance_like.csv:5", "sell", "2025-02-10T00:00:00.000Z", "ETH", q("0.5"), m("1350"), m("1.35")],
    ],
  );
  // Without the zone entry, the first time is refused with the fix.
  await rejects(
    text,
    'binance_like.csv:2: time "2025-01-02 10:00:00" has no zone; write it with Z or an offset ' +
      "(2025-01-02T10:00:00Z, 2025-01-02T10:00:00+01:00), or give the file's zone in the column mapping (zone=UTC)",
    {
      file: "binance_like.csv",
      mapping: parseColumnMapping("time=Date(UTC),side=Type,qty=Amount,asset=Coin,value=Total"),
    },
  );
  // Without a mapping, the missing column is named with the headers found and the fix.
  await rejects(
    text,
    'binance_like.csv:1: no "time" column for time; the header has "Date(UTC)", "Coin", "Type", "Price", "Amount", ' +
      '"Total", "Fee"; rename a column to "time" or map it: time=<header>',
    { file: "binance_like.csv" },
  );
});

Deno.test("readTradesCsv: income and fee rows without a value are valued from the price source", async () => {
  const asked: string[] = [];
  const prices: PriceSource = {
    price: (asset, time, what) => {
      asked.push(`${asset} ${new Date(time).toISOString()} ${what}`);
      if (asset === "ETH") return Promise.resolve(m("1800.5"));
      return Promise.reject(new RangeError(`no stored price for ${asset} (${what})`));
    },
  };
  const csv = "time,side,qty,asset,value\n2025-03-04T10:30:00Z,staking,0.1,ETH,\n2025-03-04T11:00:00Z,fee,2,USDT,\n";
  const events = await readTradesCsv(csv, { file: "p.csv", prices });
  assert.deepEqual(events.map((e) => [e.value, e.note]), [
    [m("180.05"), "valued at 1800.5 per ETH (the price source)"],
    [m("2"), undefined], // a par asset is worth its qty
  ]);
  assert.deepEqual(asked, ["ETH 2025-03-04T10:30:00.000Z staking of 0.1 ETH"]);
  await rejects(
    "time,side,qty,asset,value\n2025-03-04T10:30:00Z,airdrop,5,ARB,\n",
    "p.csv:2: no stored price for ARB (airdrop of 5 ARB)",
    { file: "p.csv", prices },
  );
  await rejects(
    "time,side,qty,asset,value\n2025-03-04T10:30:00Z,airdrop,5,ARB,\n",
    "p.csv:2: value is empty; give the airdrop's value in the reporting currency, or pass stored prices to value it",
    { file: "p.csv" },
  );
});

Deno.test("readTradesCsv: bad input is rejected with the file, the line and the reason", async () => {
  const head = "time,side,qty,asset,value,fee,id\n";
  const ok = "2025-01-02T00:00:00Z,buy,1,BTC,100,,\n";
  const cases: [string, string][] = [
    [
      "2025-01-02T00:00:00Z,buy,0,BTC,100,,",
      't.csv:3: qty "0" is zero; a quantity is greater than 0, the side says the direction',
    ],
    [
      "2025-01-02T00:00:00Z,sell,-1,BTC,100,,",
      't.csv:3: qty "-1" is negative; a quantity is greater than 0, the side says the direction',
    ],
    [
      "2025-01-02T00:00:00Z,buy,abc,BTC,100,,",
      't.csv:3: qty "abc" is not a decimal number; write it like 12.5 or 0.001',
    ],
    [
      "yesterday,buy,1,BTC,100,,",
      't.csv:3: time "yesterday" is not ISO 8601 with a zone (2025-01-02T10:00:00Z) nor epoch seconds or ms',
    ],
    ["2025-02-30T00:00:00Z,buy,1,BTC,100,,", 't.csv:3: time "2025-02-30T00:00:00Z" is not a valid date and time'],
    [
      "2025-01-02T00:00:00Z,buy,1,BTC,-100,,",
      't.csv:3: value "-100" is negative; amounts are positive, the side says the direction',
    ],
    [
      "2025-01-02T00:00:00Z,buy,1,BTC,100,-1,",
      't.csv:3: fee "-1" is negative; amounts are positive, the side says the direction',
    ],
    [
      '2025-01-02T00:00:00Z,buy,1,BTC,"1,5",,',
      't.csv:3: value "1,5" is not a decimal number; write it like 12.5 or 0.001',
    ],
    ["2025-01-02T00:00:00Z,sell,1,BTC,,,", "t.csv:3: value is empty; a sell needs its value in the reporting currency"],
    ["2025-01-02T00:00:00Z,buy,1,,100,,", "t.csv:3: asset is empty; name the asset (BTC)"],
    [
      "2025-01-02T00:00:00Z,transfer,1,BTC,,2,",
      "t.csv:3: a transfer's fee is its own row: side fee, the qty of the asset paid and its value",
    ],
    [
      "2025-01-02T00:00:00Z,buy,1,BTC,100,,t.csv:2",
      't.csv:3: duplicate id "t.csv:2" (first on line 2); ids must be unique',
    ],
    [
      "2025-01-02T00:00:00Z,buy,1,BTC,100",
      "t.csv:3: the row has 5 fields, the header 7; quote a field that holds a comma",
    ],
    [
      '2025-01-02T00:00:00Z,buy,1,BTC,"100,,',
      't.csv:3: not valid CSV: the parsing is finished with an opening quote at line 3; quote a field with "..." and double a quote inside',
    ],
  ];
  for (const [row, message] of cases) await rejects(head + ok + row + "\n", message);
  await rejects(
    "time,side,qty,asset,value,lots\n2025-01-02T00:00:00Z,buy,1,BTC,100,a;b\n",
    't.csv:2: lots "a;b" on a buy row; lot ids pick the lots a sell (or fee) disposes of',
  );
  await rejects("", "t.csv:1: the file is empty; expected a header like time,side,qty,asset,value,fee");
  await rejects("time,time,side,qty,asset,value\n", 't.csv:1: the header has two "time" columns; keep one or map time');
  await rejects(
    "Date,Type,Amount,Coin,Total\n",
    't.csv:1: no "When" column for time; the header has "Date", "Type", "Amount", "Coin", "Total"; the mapping says ' +
      "time=When: change it to one of the headers",
    { file: "t.csv", mapping: parseColumnMapping("time=When,side=Type,qty=Amount,asset=Coin,value=Total") },
  );
});

Deno.test("parseColumnMapping: bad entries name the entry and the fix", () => {
  assert.throws(() => parseColumnMapping("time"), /column mapping entry "time" has no value; write it as ours=Theirs/);
  assert.throws(() => parseColumnMapping("time=A,time=B"), /column mapping names time twice/);
  assert.throws(() => parseColumnMapping("side.Send=withdraw"), /map a side text to one of buy, sell/);
  assert.throws(() => parseColumnMapping("zone=Europe/Paris"), /zone "Europe\/Paris" is not UTC or an offset/);
  assert.deepEqual(parseColumnMapping(" qty = Amount , zone=+08:00 "), {
    columns: { qty: "Amount" },
    sides: {},
    zone: "+08:00",
  });
});

Deno.test("readTradesCsv: a zone offset in the mapping applies to times without one", async () => {
  const csv = "time,side,qty,asset,value\n2025-01-02 08:00,buy,1,BTC,100\n";
  const [e] = await readTradesCsv(csv, { file: "z.csv", mapping: parseColumnMapping("zone=+08:00") });
  assert.equal(e!.time, Date.UTC(2025, 0, 2));
});
