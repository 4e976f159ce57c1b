import assert from "node:assert/strict";
import type { Fill } from "../types/mod.ts";
import { createRiskState } from "./create_risk_state.ts";
import { recordFill } from "./record_fill.ts";
import type { RiskState } from "./risk_state.ts";

const near = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);
const fresh = (): RiskState => createRiskState({ account: "a", cash: 10_000, now: 0 });
const fill = (id: string, side: "buy" | "sell", qty: number, price: number, fee: number, charged?: [string, number]) =>
  ({
    clientOrderId: id,
    symbol: "BTC/USDT",
    side,
    qty,
    price,
    fee,
    ts: 0,
    ...(charged ? { feeAsset: charged[0], feeAmount: charged[1] } : {}),
  }) satisfies Fill;

Deno.test("recordFill: a buy's fee taken in BTC reduces the position, not cash; the exit selling what is held is flat", () => {
  const s = fresh();
  recordFill(s, fill("o1", "buy", 10, 100, 1, ["BTC", 0.01]));
  const p = s.positions.get("BTC/USDT")!;
  near(p.qty, 9.99, "position 10 - 0.01");
  assert.equal(p.avgPrice, 100);
  assert.equal(s.cash, 9_000);
  recordFill(s, fill("o2", "sell", 9.99, 110, 1.0989, ["USDT", 1.0989]));
  assert.equal(s.positions.has("BTC/USDT"), false); // flat: no 0.01 BTC of dust left
  near(s.cash, 10_097.8011, "cash 9,000 + 1,098.9 - 1.0989");
});

Deno.test("recordFill: a fee in BNB or in the quote is paid from cash as `fee`, as a fill without feeAsset", () => {
  const plain = recordFill(fresh(), fill("o1", "buy", 10, 100, 1));
  assert.deepEqual(plain.positions.get("BTC/USDT"), { symbol: "BTC/USDT", qty: 10, avgPrice: 100, lastPrice: 100 });
  assert.equal(plain.cash, 8_999);
  assert.deepEqual(recordFill(fresh(), fill("o1", "buy", 10, 100, 1, ["BNB", 0.0031])), plain);
  assert.deepEqual(recordFill(fresh(), fill("o1", "buy", 10, 100, 1, ["USDT", 1])), plain);
});

Deno.test("recordFill: partial fills with the fee in BTC, then an exit in two parts: average entry, cash, flat", () => {
  const s = fresh();
  recordFill(s, fill("o1", "buy", 4, 100, 0.4, ["BTC", 0.004]));
  near(s.positions.get("BTC/USDT")!.qty, 3.996, "position 4 - 0.004");
  recordFill(s, fill("o1", "buy", 6, 101, 0.606, ["BTC", 0.006]));
  const p = s.positions.get("BTC/USDT")!;
  near(p.qty, 9.99, "position 3.996 + 5.994");
  near(p.avgPrice, 100.6, "avg (3.996 * 100 + 5.994 * 101) / 9.99");
  assert.equal(s.cash, 10_000 - 400 - 606);
  recordFill(s, fill("o2", "sell", 5, 110, 0.55, ["USDT", 0.55]));
  near(s.positions.get("BTC/USDT")!.qty, 4.99, "position 9.99 - 5");
  near(s.positions.get("BTC/USDT")!.avgPrice, 100.6, "reducing keeps the average");
  recordFill(s, fill("o2", "sell", 4.99, 110, 0.5489, ["USDT", 0.5489]));
  assert.equal(s.positions.size, 0);
  near(s.cash, 8_994 + 550 - 0.55 + 548.9 - 0.5489, "cash 10,091.8011");
});

Deno.test("recordFill: a short covered by a buy whose fee is taken in BTC stays short by the fee's units", () => {
  const s = fresh();
  recordFill(s, fill("o1", "sell", 10, 100, 1));
  recordFill(s, fill("o2", "buy", 10, 90, 0.9, ["BTC", 0.01]));
  const p = s.positions.get("BTC/USDT")!;
  near(p.qty, -0.01, "short 0.01");
  assert.equal(p.avgPrice, 100);
  assert.equal(p.lastPrice, 90);
  near(s.cash, 10_000 + 1_000 - 1 - 900, "cash");
});

Deno.test("recordFill refuses a bad feeAmount, naming it, and changes nothing", () => {
  const s = fresh();
  assert.throws(
    () => recordFill(s, fill("o1", "buy", 1, 100, 0.1, ["BTC", Number.NaN])),
    /fill o1: .*feeAmount NaN/,
  );
  assert.deepEqual(s, fresh());
});
