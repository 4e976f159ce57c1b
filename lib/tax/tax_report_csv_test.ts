import assert from "node:assert/strict";
import { buildTaxReport } from "./build_tax_report.ts";
import { taxReportCsv } from "./tax_report_csv.ts";
import { ev } from "./_test_ledger.ts";

Deno.test("taxReportCsv: headers, rows and RFC 4180 quoting", () => {
  const report = buildTaxReport([
    ev("b1", "buy", "2024-01-02", "2", "30000", { fee: "15" }),
    ev("i2", "income", "2025-01-05", "0.1", "350", { asset: "ETH", incomeType: "staking" }),
    ev("t3", "transfer", "2025-02-02", "1", "0", { fromWallet: "cold, old", toWallet: 'the "new" one' }),
    ev("=cmd", "sell", "2025-03-02", "1.5", "90000", { fee: "10" }),
  ], { year: 2025, method: "fifo" });
  const files = taxReportCsv(report);
  assert.deepEqual(files["form8949.csv"]!.split("\n"), [
    "description,date_acquired,date_sold,proceeds,cost_basis,gain_or_loss,term,kind,event_id,lot_id,asset,qty,zero_basis",
    // Basis 30,015 x 1.5 / 2 = 22,511.25; proceeds 90,000 - 10 = 89,990.
    "1.5 BTC,2024-01-02,2025-03-02,89990.00,22511.25,67478.75,long,sell,'=cmd,b1,BTC,1.5,",
    "",
  ]);
  assert.deepEqual(files["schedule_d.csv"]!.split("\n"), [
    "term,proceeds,cost_basis,gain_or_loss,rows",
    "short,0.00,0.00,0.00,0",
    "long,89990.00,22511.25,67478.75,1",
    "total,89990.00,22511.25,67478.75,1",
    "",
  ]);
  assert.deepEqual(files["income.csv"]!.split("\n"), [
    "date,asset,qty,value,income_type,event_id",
    "2025-01-05,ETH,0.1,350.00,staking,i2",
    "",
  ]);
  assert.deepEqual(files["open_lots.csv"]!.split("\n"), [
    "lot_id,asset,date_acquired,qty,cost_basis,unit_cost,origin",
    // 30,015 - 22,511.25 = 7,503.75 for 0.5: 15,007.5 per BTC.
    "b1,BTC,2024-01-02,0.5,7503.75,15007.50000000,buy", // moved in part: keeps its origin
    "i2,ETH,2025-01-05,0.1,350.00,3500.00000000,income",
    "",
  ]);
  const trail = files["trail.csv"]!.split("\n");
  assert.equal(
    trail[0],
    "event_id,kind,date,asset,qty,proceeds,text,source,lot_id,lot_qty,lot_cost_basis,lot_proceeds,date_acquired,term," +
      "reason,holding,zero_basis",
  );
  assert.equal(
    trail[1],
    't3,transfer,2025-02-02,BTC,1,0.00,"moved 1 BTC from cold, old to the ""new"" one: not a disposal; 1 lot, FIFO, ' +
      'keeps its dates and basis",t.csv:3,b1,1,15007.50,0.00,2024-01-02,long,' +
      'FIFO: the earliest lot held (acquired 2024-01-02),"acquired 2024-01-02, keeps its date and basis: ' +
      'long-term from 2025-01-03",',
  );
  assert.equal(
    trail[2],
    '\'=cmd,sell,2025-03-02,BTC,1.5,89990.00,"sold 1.5 BTC for 89,990.00 net of a 10.00 fee: 1 lot, FIFO",' +
      "t.csv:1,b1,1.5,22511.25,89990.00,2024-01-02,long,FIFO: the earliest lot held (acquired 2024-01-02)," +
      "held 2024-01-02 to 2025-03-02: long-term from 2025-01-03,",
  );
  assert.equal(trail.length, 4);
});
