// `deno task tax` end to end: the real CLI in a subprocess over a temp data dir, with a CSV ledger worked by hand
// and a paper account's audit log.
import assert from "node:assert/strict";
import { createAccount } from "../lib/accounts/mod.ts";
import { AuditLog } from "../lib/audit/mod.ts";
import { type CliRun, errorLine, runCli, withTempDir } from "./_cli.ts";

const tax = (dir: string, ...args: string[]): Promise<CliRun> => runCli("tax", args, { dataDir: dir, cwd: dir });

// Worked by hand (FIFO, America/New_York; every time is 10:00 in New York, so local dates are the UTC dates):
// - lot trades.csv:2: 1 BTC for 40,000 + fee 10 = basis 40,010.00 on 2024-01-10
// - lot trades.csv:3: 1 BTC for 60,000, basis 60,000.00 on 2024-06-01
// - 2025-02-01: staking income 2 ETH worth 5,000.00 (a lot of basis 5,000.00)
// - 2025-03-01: sell 1.5 BTC for 90,000 - fee 30 = net 89,970.00, pro rata by quantity:
//   1 BTC of lot :2 (held 2024-01-10 to 2025-03-01, long-term): proceeds 59,980.00, basis 40,010.00, gain 19,970.00
//   0.5 BTC of lot :3 (short-term): proceeds 29,990.00, basis 30,000.00, gain -10.00
// - open at the end of 2025: 0.5 BTC of lot :3 (basis 30,000.00) and the 2 ETH (5,000.00)
const TRADES = `time,side,qty,asset,value,fee
2024-01-10T15:00:00Z,buy,1,BTC,40000,10
2024-06-01T15:00:00Z,buy,1,BTC,60000,0
2025-02-01T15:00:00Z,staking,2,ETH,5000,0
2025-03-01T15:00:00Z,sell,1.5,BTC,90000,30
`;

// Another exchange's export: its own headers and side texts, times without a zone (UTC by the mapping).
const EXCHANGE = `Date,Type,Amount,Coin,Total,Commission
2025-05-01 14:00:00,BUY,10,SOL,1500,1.5
2025-08-01 14:00:00,SELL,4,SOL,800,0.8
`;
const EXCHANGE_MAP = "time=Date,side=Type,qty=Amount,asset=Coin,value=Total,fee=Commission,zone=UTC";

async function withLedger(fn: (dir: string) => Promise<void>): Promise<void> {
  await withTempDir("cli-tax-", async (dir) => {
    await Deno.writeTextFile(`${dir}/trades.csv`, TRADES);
    await Deno.writeTextFile(`${dir}/exchange.csv`, EXCHANGE);
    await fn(dir);
  });
}

Deno.test("tax report: the summary of a CSV ledger, worked by hand (FIFO, carry-over, split sell, income)", () =>
  withLedger(async (dir) => {
    const r = await tax(dir, "report", "--trades", "trades.csv", "--year", "2025", "--method", "fifo");
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout;
    assert.match(out, /^Tax report 2025 · FIFO · America\/New_York · USD$/m);
    assert.match(out, /^Inputs: 4 events \(trades\.csv: 4 events\), 2024-01-10 to 2025-03-01$/m);
    assert.match(out, /^Short-term \(Part I\)\s+29,990\.00\s+30,000\.00\s+-10\.00\s+1$/m);
    assert.match(out, /^Long-term \(Part II\)\s+59,980\.00\s+40,010\.00\s+19,970\.00\s+1$/m);
    assert.match(out, /^Total\s+89,970\.00\s+70,010\.00\s+19,960\.00\s+2$/m);
    assert.match(out, /^Income: 5,000\.00 USD from 1 receipt \(staking 5,000\.00\)$/m);
    assert.match(out, /^Open lots at the end of 2025: 2 \(0\.5 BTC, 2 ETH\)$/m);
    assert.match(out, /^Warnings: none$/m);
    assert.match(out, /^Files: none written/m);
  }));

Deno.test("tax report --json: the report's numbers exact; --out writes the CSV files and report.json", () =>
  withLedger(async (dir) => {
    const r = await tax(
      dir,
      "report",
      "--trades",
      "trades.csv",
      "--year",
      "2025",
      "--method",
      "fifo",
      "--json",
      "--out",
      "out/2025",
    );
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.year, 2025);
    assert.equal(report.method, "fifo");
    assert.equal(report.timeZone, "America/New_York");
    assert.deepEqual(report.scheduleD, {
      short: { proceeds: "29990.00", costBasis: "30000.00", gain: "-10.00", rows: 1 },
      long: { proceeds: "59980.00", costBasis: "40010.00", gain: "19970.00", rows: 1 },
      total: { proceeds: "89970.00", costBasis: "70010.00", gain: "19960.00", rows: 2 },
    });
    assert.deepEqual(
      report.form8949.map((x: Record<string, string>) => [x.lotId, x.qty, x.dateAcquired, x.dateSold, x.term, x.gain]),
      [
        ["trades.csv:2", "1", "2024-01-10", "2025-03-01", "long", "19970.00"],
        ["trades.csv:3", "0.5", "2024-06-01", "2025-03-01", "short", "-10.00"],
      ],
    );
    assert.equal(report.income.total, "5000.00");
    assert.deepEqual(report.income.byType, { staking: "5000.00" });
    assert.deepEqual(
      report.openLots.map((l: Record<string, string>) => [l.lotId, l.asset, l.qty, l.costBasis]),
      [["trades.csv:3", "BTC", "0.5", "30000.00"], ["trades.csv:4", "ETH", "2", "5000.00"]],
    );
    assert.equal(report.trail.length, 1);
    assert.equal(report.trail[0].matches.length, 2);
    assert.deepEqual(report.gainsByMonth.find((m: { month: string }) => m.month === "2025-03"), {
      month: "2025-03",
      short: "-10.00",
      long: "19970.00",
    });

    const files = [...Deno.readDirSync(`${dir}/out/2025`)].map((e) => e.name).sort();
    assert.deepEqual(files, [
      "form8949.csv",
      "income.csv",
      "open_lots.csv",
      "report.json",
      "schedule_d.csv",
      "trail.csv",
    ]);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/out/2025/report.json`)), report);
    const f8949 = (await Deno.readTextFile(`${dir}/out/2025/form8949.csv`)).trim().split(/\r?\n/);
    assert.equal(f8949.length, 3, "a header and two rows");
    assert.match(f8949[1]!, /2024-01-10.*2025-03-01.*59980\.00.*40010\.00.*19970\.00/);

    // Without --json the summary ends with where the files are.
    const again = await tax(
      dir,
      "report",
      "--trades",
      "trades.csv",
      "--year",
      "2025",
      "--method",
      "fifo",
      "--out",
      "o",
    );
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /^Files in o: form8949\.csv, schedule_d\.csv, income\.csv, open_lots\.csv, trail\.csv, report\.json$/m,
    );
  }));

Deno.test("tax report: another method, sources combined with a column mapping, the year before", () =>
  withLedger(async (dir) => {
    // HIFO takes the 60,000 lot first: 1 BTC of :3 short (59,980.00 - 60,000.00 = -20.00), then 0.5 of :2 long
    // (29,990.00 - 20,005.00 = 9,985.00).
    const hifo = JSON.parse(
      (await tax(dir, "report", "--trades", "trades.csv", "--year", "2025", "--method", "hifo", "--json")).stdout,
    );
    assert.equal(hifo.scheduleD.short.gain, "-20.00");
    assert.equal(hifo.scheduleD.long.gain, "9985.00");
    assert.equal(hifo.scheduleD.total.gain, "9965.00");

    // The exchange export adds SOL: 10 for 1,501.50 with the fee; 4 sold for 800 - 0.8 = 799.20 against a basis of
    // 4/10 of 1,501.50 = 600.60: a short-term gain of 198.60.
    // One --map per file, in order; an empty one keeps our own columns.
    const both = await tax(
      dir,
      "report",
      "--trades",
      "trades.csv",
      "--map",
      "",
      "--trades",
      "exchange.csv",
      "--map",
      EXCHANGE_MAP,
      "--year",
      "2025",
      "--method",
      "fifo",
      "--json",
    );
    assert.equal(both.code, 0, both.stderr);
    const bothReport = JSON.parse(both.stdout);
    assert.equal(bothReport.inputs.events, 6);
    assert.equal(bothReport.scheduleD.short.gain, "188.60", "-10.00 on BTC and 198.60 on SOL");
    assert.equal(bothReport.scheduleD.long.gain, "19970.00");
    const combined = await tax(
      dir,
      "report",
      "--trades",
      "exchange.csv",
      "--map",
      EXCHANGE_MAP,
      "--trades",
      "exchange.csv",
      "--map",
      EXCHANGE_MAP,
      "--year",
      "2025",
      "--method",
      "fifo",
    );
    assert.equal(combined.code, 2);
    assert.match(errorLine(combined), /event id "exchange\.csv:2" comes twice .*pass each input once/);

    await Deno.writeTextFile(`${dir}/exchange2.csv`, EXCHANGE);
    const two = JSON.parse(
      (await tax(
        dir,
        "report",
        "--trades",
        "exchange.csv",
        "--trades",
        "exchange2.csv",
        "--map",
        EXCHANGE_MAP,
        "--year",
        "2025",
        "--method",
        "fifo",
        "--json",
      )).stdout,
    );
    // One mapping for both files: two SOL buys and two sells, each 198.60.
    assert.equal(two.scheduleD.short.gain, "397.20");
    assert.deepEqual(two.inputs.sources.sort(), ["exchange.csv: 2 events", "exchange2.csv: 2 events"]);

    const y2024 = JSON.parse(
      (await tax(dir, "report", "--trades", "trades.csv", "--year", "2024", "--method", "fifo", "--json")).stdout,
    );
    assert.equal(y2024.form8949.length, 0);
    assert.equal(y2024.scheduleD.total.gain, "0.00");
    assert.equal(y2024.openLots.length, 2);
  }));

Deno.test("tax report: bad flags and inputs are one line naming the value and the fix, exit 2", () =>
  withLedger(async (dir) => {
    await Deno.writeTextFile(`${dir}/bad.csv`, "time,side,qty,asset,value\n2025-01-02T10:00:00Z,hold,1,BTC,5\n");
    await Deno.writeTextFile(`${dir}/over.csv`, "time,side,qty,asset,value\n2025-01-02T15:00:00Z,sell,1,BTC,5\n");
    const base = ["--year", "2025", "--method", "fifo"];
    const cases: [string[], RegExp][] = [
      [
        ["report", "--trades", "trades.csv", "--year", "2025", "--method", "fido"],
        /--method "fido" is not a lot method: use one of fifo, lifo, hifo, lofo, specific, average/,
      ],
      [
        ["report", "--trades", "trades.csv", "--year", "25", "--method", "fifo"],
        /--year "25" is not a tax year: use four digits/,
      ],
      [["report", "--trades", "trades.csv", "--method", "fifo"], /report needs --year YYYY/],
      [["report", "--trades", "trades.csv", "--year", "2025"], /report needs --method M: one of fifo/],
      [
        ["report", "--trades", "trades.csv", ...base, "--tz", "Mars/Olympus"],
        /--tz "Mars\/Olympus" is not a time zone: use an IANA name/,
      ],
      [
        ["report", "--trades", "trades.csv", ...base, "--oversell", "maybe"],
        /--oversell "maybe" is not a policy: use error .* or zero-basis/,
      ],
      [
        ["report", ...base],
        /no input: pass --account NAME, --trades FILE or --ccxt FILE \(there are no accounts yet\)/,
      ],
      [
        ["report", "--trades", "missing.csv", ...base],
        /--trades "missing\.csv" cannot be read \(NotFound\): check the path/,
      ],
      [["report", "--trades", "bad.csv", ...base], /bad\.csv:2: unknown side "hold"/],
      [["report", "--trades", "over.csv", ...base], /over\.csv:2.*zero-basis/],
      [["report", "--account", "nobody", ...base], /--account "nobody": no such account .*there are no accounts yet/],
      [
        ["report", "--trades", "trades.csv", "--map", "price=Rate", ...base],
        /--map: column mapping: unknown column "price"/,
      ],
      [
        ["report", "--trades", "trades.csv", ...base, "--bogus"],
        /Unknown option '--bogus'.*deno task tax report --help/,
      ],
      [
        ["lots", "--trades", "trades.csv", "--at", "2025-02-30"],
        /--at "2025-02-30" is not a date: write it as YYYY-MM-DD/,
      ],
      [["lots", "--trades", "trades.csv"], /lots needs --at YYYY-MM-DD/],
      [["audit"], /unknown command "audit"; commands are report, lots/],
    ];
    for (const [args, re] of cases) {
      const r = await tax(dir, ...args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(errorLine(r), new RegExp(`^error: .*${re.source}`), args.join(" "));
    }
    // Zero basis instead of an error: reported, with the lot flagged and a warning.
    const zb = JSON.parse(
      (await tax(dir, "report", "--trades", "over.csv", ...base, "--oversell", "zero-basis", "--json")).stdout,
    );
    assert.equal(zb.form8949[0].zeroBasis, true);
    assert.equal(zb.form8949[0].costBasis, "0.00");
    assert.ok(zb.warnings.length >= 1);
    const help = await tax(dir, "report", "--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--method M\s+lot method: fifo, lifo, hifo, lofo, specific, average/);
  }));

Deno.test("tax lots: the lots held at the end of a local date, as a table and as JSON", () =>
  withLedger(async (dir) => {
    const before = await tax(dir, "lots", "--trades", "trades.csv", "--at", "2025-02-28");
    assert.equal(before.code, 0, before.stderr);
    assert.match(
      before.stdout,
      /^Open lots at the end of 2025-02-28 \(America\/New_York\) · FIFO: 3 \(2 BTC, 2 ETH\)$/m,
    );
    assert.match(before.stdout, /^Lot\s+Asset\s+Acquired\s+Qty\s+Cost basis\s+Unit cost\s+Origin$/m);
    assert.match(before.stdout, /^trades\.csv:2\s+BTC\s+2024-01-10\s+1\s+40,010\.00\s+40,010(\.0+)?\s+buy$/m);
    const after = JSON.parse(
      (await tax(dir, "lots", "--trades", "trades.csv", "--at", "2025-03-01", "--method", "lifo", "--json")).stdout,
    );
    assert.equal(after.method, "lifo");
    assert.equal(after.at, "2025-03-01");
    // The end of 2025-03-01 in New York (EST, UTC-5) is 2025-03-02T04:59:59.999Z.
    assert.equal(after.atMs, Date.UTC(2025, 2, 2, 5) - 1);
    // LIFO sold all of the later lot and half of the first: 0.5 of :2 is left, 20,005.00.
    assert.deepEqual(
      after.lots.map((l: Record<string, string>) => [l.lotId, l.qty, l.costBasis]),
      [["trades.csv:2", "0.5", "20005.00"], ["trades.csv:4", "2", "5000.00"]],
    );
    // A sale at 03:00 UTC on 2025-03-02 is still 2025-03-01 in New York: held at the end of that date in UTC, not
    // in New York.
    await Deno.writeTextFile(
      `${dir}/late.csv`,
      "time,side,qty,asset,value\n2025-01-01T15:00:00Z,buy,1,BTC,100\n2025-03-02T03:00:00Z,sell,1,BTC,120\n",
    );
    const ny = JSON.parse((await tax(dir, "lots", "--trades", "late.csv", "--at", "2025-03-01", "--json")).stdout);
    assert.equal(ny.lots.length, 0);
    const utc = JSON.parse(
      (await tax(dir, "lots", "--trades", "late.csv", "--at", "2025-03-01", "--tz", "UTC", "--json")).stdout,
    );
    assert.equal(utc.lots.length, 1);
  }));

/** A paper account whose audit log has a BTC buy in 2024 and its sale in 2025 (long-term), fees in USDT. */
function seedAccount(dataDir: string, name: string): void {
  createAccount({ dataDir, name, kind: "paper", cash: 10_000, now: Date.UTC(2024, 0, 1) });
  using log = AuditLog.open({ dataDir, account: name });
  const fill = (id: string, side: "buy" | "sell", qty: number, price: number, fee: number, ts: number) => ({
    kind: "order_filled" as const,
    runId: "r1",
    ts,
    correlationId: id,
    payload: { clientOrderId: id, symbol: "BTC/USDT", side, qty, price, fee, ts },
  });
  log.appendMany([
    { kind: "run_started", runId: "r1", ts: Date.UTC(2024, 0, 2), payload: { mode: "paper", startingCash: 10_000 } },
    fill("o1", "buy", 1, 100, 0.1, Date.UTC(2024, 0, 2, 15)),
    fill("o2", "buy", 2, 110, 0.22, Date.UTC(2024, 5, 3, 15)),
    fill("o3", "sell", 1.5, 150, 0.225, Date.UTC(2025, 2, 1, 15)),
  ]);
}

Deno.test("tax report and lots from a paper account's audit log; combined with a CSV file", () =>
  withTempDir("cli-tax-acct-", async (dir) => {
    seedAccount(dir, "paper-1");
    // FIFO: net proceeds 225 - 0.225 = 224.775 -> 224.78 (half to even), shared by quantity: 1 BTC of o1
    // (2024-01-02, long): 149.85, basis 100.10, gain 49.75; 0.5 of o2 (2024-06-03, short): the rest, 74.93, basis
    // 0.5/2 of 220.22 = 55.055 -> 55.06.
    const r = await tax(dir, "report", "--account", "paper-1", "--year", "2025", "--method", "fifo", "--json");
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.scheduleD.long.proceeds, "149.85");
    assert.equal(report.scheduleD.long.costBasis, "100.10");
    assert.equal(report.scheduleD.long.gain, "49.75");
    assert.equal(report.scheduleD.short.proceeds, "74.93");
    assert.equal(report.scheduleD.short.costBasis, "55.06");
    assert.equal(report.form8949.length, 2);
    assert.ok(report.inputs.sources.some((s: string) => s.includes("paper-1")));
    assert.equal(report.openLots.length, 1);
    assert.equal(report.openLots[0].qty, "1.5");

    const summary = await tax(dir, "report", "--account", "paper-1", "--year", "2025", "--method", "fifo");
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /^Long-term \(Part II\)\s+149\.85\s+100\.10\s+49\.75\s+1$/m);

    const lots = await tax(dir, "lots", "--account", "paper-1", "--at", "2024-12-31", "--json");
    assert.equal(lots.code, 0, lots.stderr);
    assert.deepEqual(JSON.parse(lots.stdout).lots.map((l: { qty: string }) => l.qty), ["1", "2"]);

    // An account and a CSV file in one ledger: the CSV's ETH is reported beside the account's BTC.
    await Deno.writeTextFile(
      `${dir}/eth.csv`,
      "time,side,qty,asset,value,fee\n2025-01-05T15:00:00Z,buy,1,ETH,3000,0\n2025-04-05T15:00:00Z,sell,1,ETH,3500,0\n",
    );
    const both = JSON.parse(
      (await tax(
        dir,
        "report",
        "--account",
        "paper-1",
        "--trades",
        "eth.csv",
        "--year",
        "2025",
        "--method",
        "fifo",
        "--json",
      )).stdout,
    );
    assert.equal(both.form8949.length, 3);
    assert.deepEqual([...new Set(both.form8949.map((x: { asset: string }) => x.asset))].sort(), ["BTC", "ETH"]);

    const unknown = await tax(dir, "report", "--account", "nobody", "--year", "2025", "--method", "fifo");
    assert.equal(unknown.code, 2);
    assert.match(errorLine(unknown), /--account "nobody": no such account .*known accounts: paper-1/);
  }));

Deno.test("tax report: ccxt JSON with the CSV, specific identification from a --lots file", () =>
  withLedger(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/ccxt.json`,
      JSON.stringify([
        {
          id: "t1",
          timestamp: Date.UTC(2025, 0, 4, 15),
          symbol: "SOL/USDT",
          side: "buy",
          amount: 10,
          price: 200,
          cost: 2000,
          fee: { cost: 2, currency: "USDT" },
        },
        {
          id: "t2",
          timestamp: Date.UTC(2025, 1, 19, 15),
          symbol: "SOL/USDT",
          side: "sell",
          amount: 5,
          price: 150,
          cost: 750,
          fee: { cost: 0.75, currency: "USDT" },
        },
      ]),
    );
    // The sell of trades.csv names the later lot first: 1 BTC of :3 (short, 59,980.00 - 60,000.00 = -20.00), then
    // 0.5 of :2 (long, 29,990.00 - 20,005.00 = 9,985.00); the SOL sale uses its one lot: 749.25 - 1,001.00 = -251.75.
    await Deno.writeTextFile(
      `${dir}/picks.json`,
      JSON.stringify({ "trades.csv:5": ["trades.csv:3", "trades.csv:2"], "ccxt.json:2": ["ccxt.json:1"] }),
    );
    const args = ["--trades", "trades.csv", "--ccxt", "ccxt.json", "--year", "2025", "--method", "specific"];
    const r = await tax(dir, "report", ...args, "--lots", "picks.json", "--json");
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.scheduleD.short, { proceeds: "60729.25", costBasis: "61001.00", gain: "-271.75", rows: 2 });
    assert.deepEqual(report.scheduleD.long, { proceeds: "29990.00", costBasis: "20005.00", gain: "9985.00", rows: 1 });
    assert.deepEqual(report.form8949.map((x: { lotId: string }) => x.lotId), [
      "ccxt.json:1",
      "trades.csv:3",
      "trades.csv:2",
    ]);
    // Specific identification without picks, a picks file naming an unknown sell, and one that is not JSON.
    const none = await tax(dir, "report", ...args);
    assert.equal(none.code, 2);
    assert.match(errorLine(none), /^error: sell ccxt\.json:2 .*names no lots, and specific identification needs them/);
    await Deno.writeTextFile(`${dir}/bad-picks.json`, JSON.stringify({ "trades.csv:99": ["trades.csv:2"] }));
    const unknown = await tax(dir, "report", ...args, "--lots", "bad-picks.json");
    assert.equal(unknown.code, 2);
    assert.match(errorLine(unknown), /^error: bad-picks\.json: unknown event id "trades\.csv:99"/);
    await Deno.writeTextFile(`${dir}/broken.json`, "{");
    const broken = await tax(dir, "report", ...args, "--lots", "broken.json");
    assert.match(
      errorLine(broken),
      /^error: --lots "broken\.json" is not JSON .*write \{"<sell id>": \["<lot id>", \.\.\.\]\}/,
    );
  }));
