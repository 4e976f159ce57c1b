import assert from "node:assert/strict";
import { sideArrays } from "../backtest/_side_arrays.ts";
import type { BacktestOptions } from "../backtest/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { prepareStrategy, smaCross } from "../strategies/mod.ts";
import { randomBars } from "../testing/mod.ts";
import { StrategyStepper } from "./strategy_stepper.ts";
import { asyncToy } from "./_async_toy.ts";
import { frameBar } from "./_testing.ts";

const bar = (f: Frame, i: number) => frameBar(f, i);

Deno.test("pushAsync gives the vectorized signals of a strategy with prepare, one bar's work per push", async () => {
  const frame = randomBars({ n: 150, seed: 9, stepMs: 3_600_000 });
  for (const direction of ["long", "both"] as const) {
    const stepped = asyncToy();
    const stepper = new StrategyStepper({ strategy: stepped.strategy, params: { lag: 3 }, direction });
    assert.equal(stepper.needsPrepare, true);
    const got = [];
    for (let i = 0; i < frame.length; i++) {
      got.push({ ...await stepper.pushAsync(bar(frame, i), { position: i % 2 === 0 ? 1 : -1 }) });
      assert.equal(stepped.log.prepared, i + 1, "prepare does only the new bar's work");
    }
    assert.equal(stepped.log.positions.get(frame.ts[10]!), 1);
    assert.equal(stepped.log.positions.get(frame.ts[11]!), -1);
    const vec = asyncToy();
    await prepareStrategy(vec.strategy, frame, { lag: 3 });
    const s = vec.strategy.signals(frame, { lag: 3 });
    assert.equal(s.kind, "signals");
    if (s.kind !== "signals") return;
    const [le, lx, se, sx] = sideArrays(s, { direction } as BacktestOptions, frame.length);
    got.forEach((g, i) => assert.deepEqual(g, { le: le[i], lx: lx[i], se: se[i], sx: sx[i] }, `bar ${i} ${direction}`));
    assert.ok(got.some((g) => g.le === 1) && got.some((g) => g.lx === 1));
  }
});

Deno.test("push refuses a strategy with prepare (TypeError naming it); pushAsync steps one without", async () => {
  const frame = randomBars({ n: 40, seed: 2, stepMs: 3_600_000 });
  const { strategy } = asyncToy();
  const stepper = new StrategyStepper({ strategy, params: { lag: 3 }, direction: "long" });
  assert.throws(() => stepper.push(bar(frame, 0)), (e: unknown) => {
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /async_toy/);
    assert.match(e.message, /pushAsync/);
    return true;
  });
  assert.equal(stepper.length, 0);
  const plain = new StrategyStepper({ strategy: smaCross, params: { fast: 2, slow: 5 }, direction: "long" });
  const sync = new StrategyStepper({ strategy: smaCross, params: { fast: 2, slow: 5 }, direction: "long" });
  assert.equal(plain.needsPrepare, false);
  for (let i = 0; i < frame.length; i++) {
    assert.deepEqual({ ...await plain.pushAsync(bar(frame, i)) }, { ...sync.push(bar(frame, i)) });
  }
});

Deno.test("a rejected prepare keeps no bar (the same bar can be pushed again), one pushAsync at a time", async () => {
  const frame = randomBars({ n: 10, seed: 4, stepMs: 3_600_000 });
  const { strategy } = asyncToy();
  const stepper = new StrategyStepper({ strategy, params: { lag: 3 }, direction: "long" });
  await stepper.pushAsync(bar(frame, 0));
  const ac = new AbortController();
  ac.abort(new Error("budget spent"));
  await assert.rejects(() => stepper.pushAsync(bar(frame, 1), { signal: ac.signal }), /budget spent/);
  assert.equal(stepper.length, 1);
  const first = stepper.pushAsync(bar(frame, 1));
  await assert.rejects(() => stepper.pushAsync(bar(frame, 2)), /still running/);
  await first;
  assert.equal(stepper.length, 2);
});
