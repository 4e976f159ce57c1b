import assert from "node:assert/strict";
import { readCsv } from "../data/read_csv.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import { PaperRunner } from "../runner/paper_runner.ts";
import { ReplayFeed } from "../runner/replay_feed.ts";
import { smaCross } from "../strategies/mod.ts";
import type { AuditEvent, AuditEventInput } from "./audit_event.ts";
import { equitySeries } from "./equity_series.ts";
import { replay } from "./replay.ts";
import { HASH_A } from "./_test_events.ts";

function events(inputs: AuditEventInput[]): AuditEvent[] {
  return inputs.map((e, i) =>
    ({ ...e, ts: e.ts ?? i, seq: i + 1, account: "a", prevHash: "", hash: "" }) as AuditEvent
  );
}
const bar = (ts: number, close: number, symbol = "BTC/USDT"): AuditEventInput => ({
  kind: "bar",
  runId: "r",
  ts,
  payload: { symbol, timeframe: "1h", ts, open: close, high: close, low: close, close, volume: 1, dataHash: HASH_A },
});
const fill = (ts: number, side: "buy" | "sell", qty: number, price: number, fee: number): AuditEventInput => ({
  kind: "order_filled",
  runId: "r",
  ts,
  payload: { clientOrderId: `o${ts}`, symbol: "BTC/USDT", side, qty, price, fee, ts },
});

Deno.test("equitySeries: two fills and three bars, worked by hand", () => {
  const ev = events([
    { kind: "run_started", runId: "r", ts: 0, payload: { mode: "replay", startingCash: 1_000 } },
    bar(10, 100), // flat: 1000
    fill(10, "buy", 3, 100, 0.3), // cash 1000 - 300.3 = 699.7; 3 units marked at 100 -> 999.7
    bar(20, 110), // 699.7 + 330 = 1029.7
    { kind: "signal", runId: "r", ts: 20, payload: { strategy: "s", symbol: "BTC/USDT", barTs: 20, action: "none" } },
    bar(30, 90), // before the sell: 699.7 + 270 = 969.7
    fill(30, "sell", 2, 90, 0.18), // cash 699.7 + 180 - 0.18 = 879.52; 1 unit at 90 -> 969.52
    { kind: "run_stopped", runId: "r", ts: 31, payload: { reason: "end of data" } },
  ]);
  const s = equitySeries(ev);
  assert.deepEqual([...s.ts], [10, 20, 30]);
  const near = (a: ArrayLike<number>, b: number[]) =>
    b.forEach((x, i) => assert.ok(Math.abs(a[i]! - x) < 1e-9, `${i}`));
  near(s.equity, [999.7, 1029.7, 969.52]);
  near(s.cash, [699.7, 699.7, 879.52]);
  assert.equal(s.equity.at(-1), replay(ev).equity);
  assert.equal(s.cash.at(-1), replay(ev).cash);
});

Deno.test("equitySeries: no bars is an empty series; a batch of several symbols is one point; seq order is checked", () => {
  const empty = equitySeries(events([{ kind: "run_started", runId: "r", ts: 0, payload: { mode: "paper" } }]));
  assert.equal(empty.ts.length, 0);
  const two = equitySeries(
    events([
      { kind: "run_started", runId: "r", ts: 0, payload: { mode: "paper", startingCash: 100 } },
      bar(1, 10, "A"),
      bar(1, 20, "B"),
      bar(2, 11, "A"),
      bar(2, 21, "B"),
    ]),
  );
  assert.deepEqual([...two.ts], [1, 2]);
  assert.deepEqual([...two.equity], [100, 100]);
  assert.equal(equitySeries([], { startingCash: 5 }).ts.length, 0);
  const ev = events([bar(1, 10), bar(2, 11)]);
  assert.throws(() => equitySeries([ev[1]!, ev[0]!]), /seq order; seq 1 came after 2/);
  assert.throws(() => equitySeries(ev, { startingCash: -1 }), /Invalid startingCash -1/);
});

Deno.test("equitySeries: a real paper-runner replay: one point per batch, the last equals replay() and the runner", async () => {
  const { frame } = await readCsv(new URL("../../data/samples/BTCUSD.ohlcv.csv", import.meta.url));
  const dataDir = await Deno.makeTempDir();
  try {
    using runner = await PaperRunner.open({
      account: "t1",
      dataDir,
      sleeves: [{
        id: "s1",
        strategy: smaCross,
        params: { fast: 10, slow: 30 },
        symbol: "BTC/USD",
        options: { fee: 0.001, spread: 0.0005 },
      }],
      risk: noLimitsRiskConfig(),
      startingCash: 10_000,
      mode: "replay",
      timeframe: "1d",
    });
    const summary = await runner.run(new ReplayFeed({ frames: { "BTC/USD": frame }, timeframe: "1d" }));
    const all = [...runner.log.events()];
    const s = equitySeries(all);
    assert.equal(s.ts.length, summary.batches);
    assert.ok(all.some((e) => e.kind === "order_filled"));
    assert.equal(s.equity.at(-1), replay(all).equity);
    assert.ok(Math.abs(s.equity.at(-1)! - summary.equity) < 1e-6 * summary.equity);
    // The kinds that move the curve alone give the same series.
    const moving = all.filter((e) => ["run_started", "config_change", "bars", "order_filled"].includes(e.kind));
    assert.deepEqual(equitySeries(moving), s);
    for (let i = 1; i < s.ts.length; i++) assert.ok(s.ts[i]! > s.ts[i - 1]!);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("equitySeries: a buy's fee taken in BTC moves the position, not cash, as replay; the exit leaves it flat", () => {
  const charged = (e: AuditEventInput, feeAsset: string, feeAmount: number): AuditEventInput =>
    ({ ...e, payload: { ...e.payload, feeAsset, feeAmount } }) as AuditEventInput;
  const ev = events([
    { kind: "run_started", runId: "r", ts: 0, payload: { mode: "live", startingCash: 10_000 } },
    bar(10, 100),
    charged(fill(10, "buy", 10, 100, 1), "BTC", 0.01), // cash 9,000; 9.99 held -> 9,999
    bar(20, 110), // 9,000 + 1,098.9
    charged(fill(20, "sell", 9.99, 110, 1.0989), "USDT", 1.0989), // flat: 10,097.8011
  ]);
  const s = equitySeries(ev);
  const r = replay(ev);
  assert.deepEqual(r.positions, []);
  assert.ok(Math.abs(s.equity[0]! - 9_999) < 1e-9, `${s.equity[0]}`);
  assert.ok(Math.abs(s.equity[1]! - 10_097.8011) < 1e-9, `${s.equity[1]}`);
  assert.equal(s.equity.at(-1), r.equity);
  assert.equal(s.cash.at(-1), r.cash);
});
