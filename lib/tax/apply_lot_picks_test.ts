import assert from "node:assert/strict";
import { applyLotPicks, type LedgerEvent, TaxInputError } from "./mod.ts";

const base = { qty: 1n, value: 0n, fee: 0n, source: { file: "t.csv" } };
const EVENTS: LedgerEvent[] = [
  { ...base, id: "b1", kind: "buy", time: 1, asset: "BTC" },
  { ...base, id: "i1", kind: "income", incomeType: "staking", time: 2, asset: "BTC" },
  { ...base, id: "e1", kind: "buy", time: 3, asset: "ETH" },
  { ...base, id: "t1", kind: "transfer", time: 4, asset: "BTC" },
  { ...base, id: "s1", kind: "sell", time: 5, asset: "BTC", lots: ["b1"] },
  { ...base, id: "s2", kind: "sell", time: 6, asset: "BTC" },
];

Deno.test("applyLotPicks: sets the named sells' lots in order, leaves the rest and the input alone", () => {
  const out = applyLotPicks(EVENTS, { s2: ["i1", "b1"] }, "picks.json");
  assert.deepEqual(out[5], { ...EVENTS[5]!, lots: ["i1", "b1"] });
  assert.equal(out[4], EVENTS[4]); // its CSV lots column stands
  assert.equal(EVENTS[5]!.lots, undefined);
  assert.deepEqual(applyLotPicks(EVENTS, { s1: ["i1"] }, "p.json")[4]!.lots, ["i1"]); // a pick overrides
});

Deno.test("applyLotPicks: bad picks name the file and the id", () => {
  const cases: [unknown, string][] = [
    [
      [["s1", "b1"]],
      `picks.json: expected an object mapping a sell's event id to lot ids, like {"trades.csv:9": ["trades.csv:2"]}`,
    ],
    [{ s9: ["b1"] }, 'picks.json: unknown event id "s9": no event of the ledger has it'],
    [{ b1: ["i1"] }, `picks.json: event "b1" is a buy, not a sell; only a sell's lots can be picked`],
    [{ s2: [] }, 'picks.json: the picks of "s2" are not a non-empty array of lot ids'],
    [{ s2: "b1" }, 'picks.json: the picks of "s2" are not a non-empty array of lot ids'],
    [{ s2: ["b1", "b1"] }, 'picks.json: lot "b1" is picked twice for "s2"'],
    [{ s2: ["b7"] }, 'picks.json: unknown lot id "b7" picked for "s2": no event of the ledger has it'],
    [{ s2: ["t1"] }, 'picks.json: lot id "t1" picked for "s2" is a transfer; a lot is a buy or income event'],
    [{ s2: ["e1"] }, 'picks.json: lot "e1" is ETH, but "s2" sells BTC'],
  ];
  for (const [picks, message] of cases) {
    assert.throws(() => applyLotPicks(EVENTS, picks as Record<string, string[]>, "picks.json"), (e: unknown) => {
      assert.ok(e instanceof TaxInputError);
      assert.equal(e.message, message);
      assert.equal(e.file, "picks.json");
      return true;
    });
  }
});
