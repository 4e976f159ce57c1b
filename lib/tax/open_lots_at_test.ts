import assert from "node:assert/strict";
import { openLotsAt } from "./open_lots_at.ts";
import type { LotMethod } from "./tax_report.ts";
import { ev } from "./_test_ledger.ts";

const LEDGER = [
  ev("b1", "buy", "2024-01-02", "1", "30000"),
  ev("b2", "buy", "2024-02-02", "1", "50000"),
  ev("b3", "buy", "2024-03-02", "1", "40000"),
  ev("s1", "sell", "2024-04-02", "1.5", "90000", { lots: ["b2", "b3"] }),
];

Deno.test("openLotsAt: what each method leaves after a sale of 1.5 of 3 lots", () => {
  const left = (method: LotMethod) =>
    openLotsAt(LEDGER, { at: Date.UTC(2024, 11, 31), method }).map((l) => [l.lotId, l.qty, l.costBasis]);
  assert.deepEqual(left("fifo"), [["b2", "0.5", "25000.00"], ["b3", "1", "40000.00"]]);
  assert.deepEqual(left("lifo"), [["b1", "1", "30000.00"], ["b2", "0.5", "25000.00"]]);
  assert.deepEqual(left("hifo"), [["b1", "1", "30000.00"], ["b3", "0.5", "20000.00"]]);
  // LOFO: b1 (30,000) then half of b3 (40,000): b2 and half of b3 are left.
  assert.deepEqual(left("lofo"), [["b2", "1", "50000.00"], ["b3", "0.5", "20000.00"]]);
  assert.deepEqual(left("specific"), [["b1", "1", "30000.00"], ["b3", "0.5", "20000.00"]]);
  // Pool 120,000 for 3, sale takes 60,000; 60,000 left over 1.5 BTC by quantity: 20,000 and 40,000.
  assert.deepEqual(left("average"), [["b2", "0.5", "20000.00"], ["b3", "1", "40000.00"]]);
});

Deno.test("openLotsAt: the lots held at the end of the instant, with dates in the zone", () => {
  const at = LEDGER[3]!.time;
  assert.equal(openLotsAt(LEDGER, { at: at - 1, method: "fifo" }).length, 3);
  assert.equal(openLotsAt(LEDGER, { at, method: "fifo" }).length, 2);
  const late = [ev("b1", "buy", "2024-01-02T03:00:00Z", "3", "1")];
  const [ny] = openLotsAt(late, { at: Date.UTC(2024, 1, 1), method: "fifo" });
  assert.deepEqual(ny, {
    lotId: "b1",
    asset: "BTC",
    dateAcquired: "2024-01-01",
    acquiredAt: Date.UTC(2024, 0, 2, 3),
    qty: "3",
    costBasis: "1.00",
    unitCost: "0.33333333",
    origin: "buy",
  });
  assert.equal(
    openLotsAt(late, { at: Date.UTC(2024, 1, 1), method: "fifo", timeZone: "UTC" })[0]!.dateAcquired,
    "2024-01-02",
  );
  assert.throws(() => openLotsAt(late, { at: NaN, method: "fifo" }), /at NaN is not epoch milliseconds/);
});
