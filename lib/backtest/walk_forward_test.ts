import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { runSweep } from "./sweep.ts";
import { walkForward } from "./walk_forward.ts";
import { randomFrame } from "./_testing.ts";

const day = 86_400_000;
function daily(close: Float64Array): Frame {
  return new Frame(Float64Array.from(close, (_, i) => i * day), { open: close, high: close, low: close, close });
}

// 23 closes: 100, 101, ..., with a dip so folds differ.
const closes = Float64Array.from({ length: 23 }, (_, i) => 100 + i + (i % 5 === 0 ? -3 : 0));

Deno.test("walkForward: fold windows worked by hand (rolling and anchored, laid out from the end)", async () => {
  const frame = daily(closes);
  // n 23, train 5, test 4: floor((23 - 5) / 4) = 4 folds; first train starts at 23 - 5 - 16 = 2.
  const rolling = await walkForward({
    frame,
    strategy: "buy_and_hold",
    train: 5,
    test: 4,
    options: { fill: "close" },
    metric: "total_return",
  });
  assert.deepEqual(rolling.folds.map((f) => [f.train.start, f.train.end, f.test.start, f.test.end]), [
    [2, 7, 7, 11],
    [6, 11, 11, 15],
    [10, 15, 15, 19],
    [14, 19, 19, 23],
  ]);
  assert.equal(rolling.folds[1]!.testStart, 11 * day);
  assert.equal(rolling.folds[1]!.testEnd, 14 * day);
  assert.equal(rolling.folds[1]!.train.endTs, 10 * day);
  const anchored = await walkForward({
    frame,
    strategy: "buy_and_hold",
    train: 5,
    test: 4,
    folds: 2,
    mode: "anchored",
    options: { fill: "close" },
    metric: "total_return",
  });
  // 2 folds: first = 23 - 5 - 8 = 10; training windows all start there.
  assert.deepEqual(anchored.folds.map((f) => [f.train.start, f.train.end, f.test.start, f.test.end]), [
    [10, 15, 15, 19],
    [10, 19, 19, 23],
  ]);
});

Deno.test("walkForward: stitched out-of-sample equity chains each fold's returns (buy and hold, by hand)", async () => {
  const frame = daily(closes);
  const wf = await walkForward({
    frame,
    strategy: "buy_and_hold",
    train: 5,
    test: 4,
    options: { fill: "close", cash: 1000 },
    metric: "total_return",
  });
  // Each test window buys at its first close (no costs) and is closed at its last close:
  // fold equity = 1000 * close[i] / close[start]; the stitched curve carries the previous folds' growth.
  const expected: number[] = [];
  let g = 1;
  for (const [s, e] of [[7, 11], [11, 15], [15, 19], [19, 23]]) {
    for (let i = s!; i < e!; i++) expected.push(1000 * g * closes[i]! / closes[s!]!);
    g *= closes[e! - 1]! / closes[s!]!;
  }
  assert.equal(wf.equity.length, 16);
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(wf.equity[i]! - expected[i]!) < 1e-9, `bar ${i}`);
  assert.deepEqual([...wf.ts], Array.from({ length: 16 }, (_, i) => (7 + i) * day));
  assert.ok(Math.abs(wf.stats.total_return! - (g - 1)) < 1e-12);
  // Fold 0 OOS return: close[10] / close[7] - 1 (107 / 107 - 1 = 0: bar 10 dips by 3).
  assert.ok(Math.abs(wf.folds[0]!.outOfSample - (closes[10]! / closes[7]! - 1)) < 1e-12);
  assert.equal(wf.stats.trades, 4);
  const t = wf.equityTable();
  assert.deepEqual(t.schema.fields.map((f) => f.name), ["ts", "equity", "drawdown", "fold"]);
  assert.equal(t.getChild("fold")!.get(15), 3);
});

Deno.test("walkForward: in-sample pick equals the training-window sweep's best; OOS signals use warm-up bars", async () => {
  const frame = randomFrame(400, 21);
  const grid = { fast: [2, 4, 8], slow: [10, 20, 30] };
  const wf = await walkForward({
    frame,
    strategy: "sma_cross",
    grid,
    train: 200,
    test: 100,
    options: { fill: "close", fee: 0.001 },
    metric: "sharpe",
    timeframe: "1m",
  });
  assert.equal(wf.folds.length, 2);
  for (const f of wf.folds) {
    const s = await runSweep({
      frame: frame.slice(f.train.start, f.train.end),
      strategy: "sma_cross",
      grid,
      options: { fill: "close", fee: 0.001 },
      stats: "full",
      workers: 0,
      timeframe: "1m",
    });
    assert.deepEqual(f.params, s.best!.params);
    assert.equal(f.inSample, s.best!.value);
    assert.equal(f.trials, 9);
    assert.equal(f.warmupBars, (f.params as { slow: number }).slow);
  }
});

Deno.test("walkForward: a cross on the first test bar trades thanks to the warm-up bars", async () => {
  // fast 1 / slow 2 (the only combination): the close crosses above its SMA2 on bar 8, the
  // first test bar; without warm-up the SMA2 would not exist there.
  const c = Float64Array.of(10, 9, 8, 7, 6, 5, 4, 3, 5, 6, 7, 8);
  const wf = await walkForward({
    frame: daily(c),
    strategy: "sma_cross",
    grid: { fast: 1, slow: 2 },
    train: 8,
    test: 4,
    options: { fill: "close" },
    metric: "total_return",
  });
  assert.equal(wf.folds.length, 1);
  assert.equal(wf.folds[0]!.test.start, 8);
  assert.equal(wf.folds[0]!.warmupBars, 2);
  // Bought at 5 (bar 8), closed at 8: +60%.
  assert.ok(Math.abs(wf.folds[0]!.outOfSample - 0.6) < 1e-12);
});

Deno.test("walkForward: bad windows throw with the fix in the message", async () => {
  const frame = daily(closes);
  await assert.rejects(() => walkForward({ frame, strategy: "buy_and_hold", train: 20, test: 10 }), /hold no fold/);
  await assert.rejects(
    () => walkForward({ frame, strategy: "buy_and_hold", train: 5, test: 4, folds: 5 }),
    /from 1 to 4/,
  );
  await assert.rejects(
    () => walkForward({ frame, strategy: "buy_and_hold", train: 5, test: 4, metric: "nope" }),
    /not a stat key/,
  );
  await assert.rejects(
    () => walkForward({ frame, strategy: "buy_and_hold", train: 5, test: 4, mode: "sliding" as never }),
    /rolling/,
  );
});

Deno.test("walkForward: onFold sees each fold once, in order, before the next starts; its error ends the run", async () => {
  const frame = daily(closes);
  const seen: [number, number, number, number][] = [];
  let pending = 0;
  const r = await walkForward({
    frame,
    strategy: "buy_and_hold",
    train: 5,
    test: 4,
    options: { fill: "close" },
    metric: "total_return",
    async onFold(fold, done, total) {
      assert.equal(pending, 0, "the previous onFold was awaited");
      pending++;
      await new Promise((res) => setTimeout(res, 1));
      seen.push([fold.fold, fold.test.start, done, total]);
      pending--;
    },
  });
  assert.deepEqual(seen, [[0, 7, 1, 4], [1, 11, 2, 4], [2, 15, 3, 4], [3, 19, 4, 4]]);
  assert.deepEqual(r.folds.map((f) => f.fold), [0, 1, 2, 3]);
  let calls = 0;
  await assert.rejects(
    () =>
      walkForward({
        frame,
        strategy: "buy_and_hold",
        train: 5,
        test: 4,
        metric: "total_return",
        onFold() {
          calls++;
          throw new Error("stop here");
        },
      }),
    /stop here/,
  );
  assert.equal(calls, 1);
});
