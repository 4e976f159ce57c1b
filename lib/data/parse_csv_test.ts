import assert from "node:assert/strict";
import { DataError } from "../types/mod.ts";
import { parseCsv } from "./parse_csv.ts";
import { readCsv } from "./read_csv.ts";

const SAMPLES = new URL("../../data/samples/", import.meta.url);
const H = "timestamp,open,high,low,close,volume\n";

// data/samples holds byte-identical copies of ../shared/data (md5s in data/samples/README.md).
// Row counts and first/last values read by hand from the files (head/tail); the README tables give the same counts.
const EXPECTED: Record<string, { rows: number; first: number; lastClose: number; format: string }> = {
  "ADA_BTC-5m.csv": { rows: 5720, first: 1515560100000, lastClose: 5.144e-05, format: "epoch_ms" },
  "ETH_BTC-5m.csv": { rows: 5760, first: 1515560100000, lastClose: 0.10441057, format: "epoch_ms" },
  "LTC_BTC-5m.csv": { rows: 5760, first: 1515560100000, lastClose: 0.016145, format: "epoch_ms" },
  "XRP_ETH-1m.csv": { rows: 3560, first: 1570752000000, lastClose: 0.00152787, format: "epoch_ms" },
  "XRP_ETH-5m.csv": { rows: 712, first: 1570752000000, lastClose: 0.00152787, format: "epoch_ms" },
  "XRP_USDT_USDT-5m-futures.csv": { rows: 1999, first: 1636934400000, lastClose: 1.0713, format: "epoch_ms" },
  "XRP_USDT_USDT-1h-futures.csv": { rows: 100, first: 1637110800000, lastClose: 1.0765, format: "epoch_ms" },
  "GOOG.raw.csv": { rows: 2148, first: Date.UTC(2004, 7, 19), lastClose: 806.19, format: "iso" },
  "GOOG.ohlcv.csv": { rows: 2148, first: 1092873600000, lastClose: 806.19, format: "epoch_ms" },
  "EURUSD.raw.csv": { rows: 5000, first: Date.UTC(2017, 3, 19, 9), lastClose: 1.22904, format: "iso" },
  "EURUSD.ohlcv.csv": { rows: 5000, first: 1492592400000, lastClose: 1.22904, format: "epoch_ms" },
  "BTCUSD.raw.csv": { rows: 156, first: Date.UTC(2012, 0, 31), lastClose: 93381, format: "iso" },
  "BTCUSD.ohlcv.csv": { rows: 156, first: Date.UTC(2012, 0, 31), lastClose: 93381, format: "epoch_ms" },
  // The file has 5105 data rows (2000-01-03 .. 2020-04-17) and no final newline.
  "SP500-2000.csv": { rows: 5105, first: Date.UTC(2000, 0, 3), lastClose: 2874.560059, format: "iso" },
};

Deno.test("every sample file in data/samples loads unedited", async () => {
  const names = [...Deno.readDirSync(SAMPLES)].map((e) => e.name).filter((n) => n.endsWith(".csv")).sort();
  assert.deepEqual(names, Object.keys(EXPECTED).sort());
  for (const name of names) {
    const r = await readCsv(new URL(name, SAMPLES));
    const e = EXPECTED[name]!;
    assert.equal(r.rows, e.rows, name);
    assert.equal(r.frame.length, e.rows, name);
    assert.equal(r.frame.ts[0], e.first, name);
    assert.equal(r.frame.close[r.rows - 1], e.lastClose, name);
    assert.equal(r.timeFormat, e.format, name);
    assert.equal(r.outOfOrder, 0, name);
  }
});

Deno.test("backtesting.py format: unnamed first column, naive date-times read as UTC", async () => {
  const r = await readCsv(new URL("EURUSD.raw.csv", SAMPLES));
  assert.equal(r.timeColumn, "");
  // Row 2 of EURUSD.raw.csv: 2017-04-19 09:00:00,1.0716,1.0722,1.07083,1.07219,1413
  assert.deepEqual(r.frame.toBars()[0], {
    ts: Date.UTC(2017, 3, 19, 9),
    open: 1.0716,
    high: 1.0722,
    low: 1.07083,
    close: 1.07219,
    volume: 1413,
  });
  // The epoch-ms conversion in EURUSD.ohlcv.csv was made with the same UTC rule: identical frames.
  const ms = await readCsv(new URL("EURUSD.ohlcv.csv", SAMPLES));
  assert.deepEqual(ms.frame.ts, r.frame.ts);
  assert.deepEqual(ms.frame.close, r.frame.close);
});

Deno.test("SP500-2000.csv: date column, adjclose ignored", async () => {
  const r = await readCsv(new URL("SP500-2000.csv", SAMPLES));
  assert.equal(r.timeColumn, "date");
  assert.deepEqual(r.ignoredColumns, ["adjclose"]);
  // Row 2: 2000-01-03,1469.250000,1478.000000,1438.359985,1455.219971,1455.219971,931800000
  assert.deepEqual(r.frame.toBars()[0], {
    ts: Date.UTC(2000, 0, 3),
    open: 1469.25,
    high: 1478,
    low: 1438.359985,
    close: 1455.219971,
    volume: 931800000,
  });
});

Deno.test("header names are case-insensitive; time aliases; extra columns ignored", () => {
  for (const t of ["timestamp", "TS", "Time", "DATE", "Datetime", "open_time"]) {
    const r = parseCsv(`${t},Open,HIGH,low,Close,Volume,AdjClose\n2024-01-02,1,2,0.5,1.5,10,1.4\n`);
    assert.equal(r.frame.ts[0], Date.UTC(2024, 0, 2), t);
    assert.deepEqual(r.ignoredColumns, ["AdjClose"]);
  }
  const custom = parseCsv("when,open,high,low,close,volume\n1700000000,1,2,0.5,1.5,10\n", { timeColumn: "WHEN" });
  assert.equal(custom.frame.ts[0], 1_700_000_000_000);
});

Deno.test("numeric times: unit decided by the first row's magnitude, or forced", () => {
  const row = (t: string) => `${H}${t},1,2,0.5,1.5,10\n`;
  assert.equal(parseCsv(row("1700000000")).timeFormat, "epoch_s");
  assert.equal(parseCsv(row("1700000000")).frame.ts[0], 1_700_000_000_000);
  assert.equal(parseCsv(row("1700000000.25")).frame.ts[0], 1_700_000_000_250);
  assert.equal(parseCsv(row("1700000000000")).timeFormat, "epoch_ms");
  assert.equal(parseCsv(row("1700000000000000")).frame.ts[0], 1_700_000_000_000);
  assert.equal(parseCsv(row("1700000000000000000")).timeFormat, "epoch_ns");
  assert.equal(parseCsv(row("99999999999")).timeFormat, "epoch_s"); // just below 1e11: seconds
  assert.equal(parseCsv(row("100000000000")).timeFormat, "epoch_ms"); // 1e11: milliseconds (1973-03-03)
  assert.equal(parseCsv(row("1000"), { timeUnit: "ms" }).frame.ts[0], 1000);
});

Deno.test("CRLF endings, a BOM, blank lines, quoted fields and other delimiters", () => {
  const text =
    `\ufeff"timestamp","open","high","low","close","volume"\r\n\r\n"2024-01-02",1,2,0.5,1.5,10\r\n2024-01-03,"1.5",2,1,1.75,"12"\r\n\r\n`;
  const r = parseCsv(text);
  assert.equal(r.rows, 2);
  assert.deepEqual([...r.frame.close], [1.5, 1.75]);
  const semi = parseCsv("date;open;high;low;close;volume\n2024-01-02;1;2;0.5;1.5;10", { delimiter: ";" });
  assert.equal(semi.frame.volume[0], 10);
  const noFinalNewline = parseCsv(`${H}1700000000000,1,2,0.5,1.5,10`);
  assert.equal(noFinalNewline.rows, 1);
  const headerOnly = parseCsv(H);
  assert.equal(headerOnly.rows, 0);
});

Deno.test("a bad row rejects the whole file with file, line, reason and value", () => {
  const bad: Array<[string, RegExp]> = [
    ["1700000000000,1,2,0.5,abc,10", /f\.csv:3: unparseable number in column "close": "abc"/],
    ["1700000000000,1,2,0.5,NaN,10", /f\.csv:3: NaN is not a valid value in column "close": "NaN"/],
    ["1700000000000,1,2,0.5,,10", /f\.csv:3: empty number in column "close"/],
    ["1700000000000,-1,2,0.5,1,10", /f\.csv:3: negative open in column "open": "-1"/],
    ["1700000000000,1,2,0.5,1,-10", /f\.csv:3: negative volume/],
    ["1700000000000,1,2,0.5,Infinity,10", /f\.csv:3: infinite value/],
    ["1700000000000,1,2,0.5,1e999,10", /f\.csv:3: infinite value/],
    ["1700000000000,1,0.4,0.5,0.45,10", /f\.csv:3: high < low in column "high": "0.4 < 0.5"/],
    ["1700000000000,1,2,0.5,1.5", /f\.csv:3: wrong column count: 5 fields, the header has 6/],
    ["1700000000000,1,2,0.5,1.5,10,7", /f\.csv:3: wrong column count: 7 fields, the header has 6/],
    ["17OO000000000,1,2,0.5,1.5,10", /f\.csv:3: unparseable time .* "17OO000000000"/],
  ];
  for (const [row, re] of bad) {
    const text = `${H}1700000000000,1,2,0.5,1.5,10\n${row}\n1700000060000,1,2,0.5,1.5,10\n`;
    assert.throws(
      () => parseCsv(text, { name: "f.csv" }),
      (e: unknown) => e instanceof DataError && re.test(e.message),
      row,
    );
  }
  assert.throws(
    () =>
      parseCsv("date,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,10\n2024-02-30,1,2,0.5,1.5,10\n", {
        name: "d.csv",
      }),
    /d\.csv:3: unparseable date .*"2024-02-30"/,
  );
  // Blank lines still count for line numbers.
  assert.throws(() => parseCsv(`${H}\n\n1700000000000,1,2,0.5,x,10\n`, { name: "b.csv" }), /b\.csv:4:/);
});

Deno.test("header problems: no time column, missing volume (unless optional), empty file", () => {
  assert.throws(() => parseCsv("a,open,high,low,close,volume\n1,1,1,1,1,1\n"), /no time column/);
  assert.throws(() => parseCsv("date,time,open,high,low,close,volume\n"), /separate "date" and "time"/);
  assert.throws(
    () => parseCsv("ts,open,high,low,close\n1700000000000,1,2,0.5,1.5\n"),
    /no "volume" column.*volume: "optional"/,
  );
  const opt = parseCsv("ts,open,high,low,close\n1700000000000,1,2,0.5,1.5\n", { volume: "optional" });
  assert.ok(Number.isNaN(opt.frame.volume[0]!));
  assert.match(opt.notes[0]!, /no volume column: volume is NaN/);
  assert.throws(() => parseCsv(""), DataError);
  assert.throws(() => parseCsv("ts,open,high,low\n"), /no "close" column/);
  assert.throws(() => parseCsv(H, { delimiter: ":" as ";" }), RangeError);
});

Deno.test("out-of-order and duplicate rows: kept as is by default, sorted/deduped when asked", () => {
  const text =
    `${H}3000000000000,3,3,3,3,3\n1000000000000,1,1,1,1,1\n2000000000000,2,2,2,2,2\n2000000000000,4,4,4,4,4\n`;
  const raw = parseCsv(text);
  assert.deepEqual([...raw.frame.ts], [3e12, 1e12, 2e12, 2e12]);
  assert.equal(raw.outOfOrder, 1);
  assert.equal(raw.sorted, false);
  const sorted = parseCsv(text, { sort: true });
  assert.deepEqual([...sorted.frame.ts], [1e12, 2e12, 2e12, 3e12]);
  assert.deepEqual([...sorted.frame.close], [1, 2, 4, 3]); // stable
  assert.equal(sorted.sorted, true);
  const deduped = parseCsv(text, { dedupe: true });
  assert.deepEqual([...deduped.frame.ts], [1e12, 2e12, 3e12]);
  assert.deepEqual([...deduped.frame.close], [1, 4, 3]); // the last row of a repeated time wins
  assert.equal(deduped.duplicatesDropped, 1);
  assert.equal(deduped.notes.length, 2);
});

Deno.test("a file read in chunks of any size gives what parseCsv gives on the whole text: rows, notes and errors", async () => {
  const { readCsvChunks } = await import("./_csv_file.ts");
  const texts = [
    `${H}1700000000000,1,2,0.5,1.5,10\n1700000060000,1.25,2,1,1.75,12\n`,
    `${H}1700000000000,1,2,0.5,1.5,10\n1700000060000,1.25,2,1,1.75,12`, // no final newline
    `\ufeff"timestamp","open","high","low","close","volume"\r\n\r\n"2024-01-02",1,2,0.5,1.5,10\r\n2024-01-03,"1.5",2,1,1.75,"12"\r\n\r\n`,
    `\n\n${H}\n\n\n1700000000000,1,2,0.5,1.5,10\n`, // blank lines before the header and the first row
    `ts,note,open,high,low,close,volume\n1700000000000,"a\nquoted\n""field""",1,2,0.5,1.5,10\n1700000060000,,1,2,1,1.5,3\n`,
    `ts,open,high,low,close,volume\r1700000000000,1,2,0.5,1.5,10\r1700000060000,1,2,0.5,1.5,10\r`, // bare CR endings
    `${H}3000000000000,3,3,3,3,3\n1000000000000,1,1,1,1,1\n2000000000000,2,2,2,2,2\n2000000000000,4,4,4,4,4\n`,
    `${H}1700000000000,1,2,0.5,1.5,10\n1700000060000,1,2,0.5,abc,10\n`,
    `${H}1700000000000,1,2,0.5,1.5,10\n\n1700000060000,1,0.4,0.5,0.45,10\n`,
    `${H}1700000000000,1,2,0.5,1.5,10\n1700000060000,1,2,0.5,1.5,10,7\n1700000120000,1,2,0.5,1.5,10\n`,
    `${H}1700000000000,1,2,0.5,1.5,10\n1700000060000,"1,2,0.5,1.5,10\n1700000120000,1,2,0.5,1.5,10\n`, // unterminated
    `ts,open,high,low,close\n1700000000000,1.123456789012345678,2e3,0.5,1.5\n1700000060000,00012.50,2,.5,5.\n`,
    `${H}1700000000.5,1,2,0.5,1.5,10\n1700000001,1,2,0.5,1.5,10\n`,
    `date;open;high;low;close;volume\n2024-01-02 09:30:00;1;2;0.5;1.5;10\n2024-01-02T09:31:00Z;1;2;0.5;1.5;10`,
    H,
    "",
    "\n\n",
    "ts,open,high",
  ];
  const dir = await Deno.makeTempDir();
  try {
    for (const [k, text] of texts.entries()) {
      const path = `${dir}/t${k}.csv`;
      await Deno.writeTextFile(path, text);
      for (const options of [{ name: path, volume: "optional" as const }, { name: path, dedupe: true }]) {
        let want: unknown;
        try {
          want = summary(parseCsv(text, options));
        } catch (e) {
          want = String(e);
        }
        for (const chunk of [1, 2, 3, 5, 8, 13, 64, 1 << 20]) {
          let got: unknown;
          try {
            got = summary(await readCsvChunks(path, options, chunk));
          } catch (e) {
            got = String(e);
          }
          assert.deepEqual(got, want, `text ${k}, chunk ${chunk}`);
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readCsv: columns are exactly the rows long and lie in SharedArrayBuffers", async () => {
  const r = await readCsv(new URL("SP500-2000.csv", SAMPLES));
  for (const col of [r.frame.ts, r.frame.open, r.frame.high, r.frame.low, r.frame.close, r.frame.volume]) {
    assert.equal(col.length, r.rows);
    assert.ok(col.buffer instanceof SharedArrayBuffer);
  }
});

function summary(r: ReturnType<typeof parseCsv>): unknown {
  const { frame, ...rest } = r;
  const f = frame;
  return { ...rest, cols: [f.ts, f.open, f.high, f.low, f.close, f.volume].map((c) => [...c]) };
}

Deno.test("every number equals Number(text) bit for bit, around the fast path's limits (15-17 digits, 2^53)", () => {
  let seed = 11;
  const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(rand() * 10)).join("");
  const texts: string[] = ["9007199254740991", "9007199254740992", "9007199254740993", "900719925474099.3"];
  for (let k = 0; k < 20_000; k++) {
    const n = 1 + Math.floor(rand() * 20);
    const t = digits(n);
    const dot = Math.floor(rand() * (n + 2)) - 1; // -1: no dot; n: a trailing dot
    texts.push(dot < 0 ? t : `${t.slice(0, dot)}.${t.slice(dot)}`);
  }
  const csv = H + texts.map((t, i) => `${1_700_000_000_000 + i},${t},${t},${t},${t},${t}\n`).join("");
  const { frame } = parseCsv(csv);
  for (const [i, t] of texts.entries()) {
    for (const col of [frame.open, frame.high, frame.low, frame.close, frame.volume]) {
      assert.ok(Object.is(col[i], Number(t)), `${t}: ${col[i]} !== ${Number(t)}`);
    }
  }
});

Deno.test("columns grow past their reserved bound by copying (an input longer than announced, e.g. a pipe)", async () => {
  const { CsvParser } = await import("./_csv_parser.ts");
  const text = H +
    Array.from({ length: 3000 }, (_, i) => `${1_700_000_000_000 + i * 60_000},1,2,0.5,${i},10\n`).join("");
  const b = new TextEncoder().encode(text);
  const parser = new CsvParser({}, 0); // a pipe's size: nothing reserved up front
  parser.readRows(b, parser.readHeader(b, true), true);
  assert.deepEqual(summary(parser.finish()), summary(parseCsv(text)));
});
