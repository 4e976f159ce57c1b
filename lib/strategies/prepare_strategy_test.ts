import assert from "node:assert/strict";
import { z } from "zod";
import { runBacktest } from "../backtest/mod.ts";
import { Frame } from "../frame/mod.ts";
import { randomBars } from "../testing/mod.ts";
import { defineStrategy } from "./define_strategy.ts";
import { prepareStrategy } from "./prepare_strategy.ts";
import { smaCross } from "./sma_cross.ts";
import { strategyCodeHash } from "./strategy_code_hash.ts";
import type { PrepareOptions } from "./strategy.ts";

/** A decision per bar from closes 0..t, memoised by bar time in prepare (one macrotask per new bar). */
function toy() {
  const memo = new Map<number, number>();
  const seen = { bars: 0, options: [] as (PrepareOptions | undefined)[] };
  const strategy = defineStrategy({
    name: "prepared_toy",
    title: "Prepared toy",
    description: "Long when the close is above its running mean, decided in an asynchronous pre-pass.",
    params: z.object({}),
    warmup: () => 1,
    async prepare(frame, _p, options) {
      seen.options.push(options);
      let sum = 0;
      const todo = [];
      for (let t = 0; t < frame.length; t++) if (!memo.has(frame.ts[t]!)) todo.push(t);
      for (let t = 0; t < frame.length; t++) {
        sum += frame.close[t]!;
        if (memo.has(frame.ts[t]!)) continue;
        options?.signal?.throwIfAborted();
        await new Promise((r) => setTimeout(r, 0));
        memo.set(frame.ts[t]!, frame.close[t]! > sum / (t + 1) ? 1 : 0);
        seen.bars++;
        options?.progress?.(seen.bars, todo.length);
      }
    },
    signals(frame) {
      const n = frame.length;
      const entries = new Uint8Array(n), exits = new Uint8Array(n);
      for (let t = 0; t < n; t++) {
        const d = memo.get(frame.ts[t]!);
        if (d === undefined) throw new Error(`bar ${t} was not prepared`);
        entries[t] = d;
        exits[t] = 1 - d;
      }
      return { kind: "signals", entries, exits };
    },
  });
  return { strategy, seen, memo };
}

Deno.test("prepareStrategy awaits the hook, then runBacktest runs the prepared strategy", async () => {
  const frame = randomBars({ n: 200, seed: 3, stepMs: 3_600_000 });
  const { strategy, seen } = toy();
  await assert.rejects(() => runBacktest({ frame, strategy }), /not prepared/);
  const progress: number[] = [];
  await prepareStrategy(strategy, frame, {}, { progress: (done) => progress.push(done), symbol: "X/USDT" });
  assert.equal(seen.bars, 200);
  assert.equal(progress.at(-1), 200);
  assert.equal(seen.options[0]?.symbol, "X/USDT");
  const r = await runBacktest({ frame, strategy, options: { fill: "close" } });
  assert.ok(r.stats.trades! > 0);
  // Incremental: a second call on the same (or a longer) frame only does the new bars' work.
  await prepareStrategy(strategy, frame, {});
  assert.equal(seen.bars, 200);
});

Deno.test("prepareStrategy is a no-op for strategies without the hook and honours an aborted signal", async () => {
  const frame = new Frame(Float64Array.of(0, 1), { close: Float64Array.of(1, 2) });
  await prepareStrategy(smaCross, frame, smaCross.params.parse({}));
  const { strategy, seen } = toy();
  const ac = new AbortController();
  ac.abort(new Error("stop"));
  await assert.rejects(() => prepareStrategy(strategy, frame, {}, { signal: ac.signal }), /stop/);
  assert.equal(seen.bars, 0);
});

Deno.test("strategyCodeHash changes with the prepare hook (its source is part of the hash)", async () => {
  const a = toy().strategy;
  const b = defineStrategy({ ...a, prepare: async () => {} });
  assert.notEqual(await strategyCodeHash(a), await strategyCodeHash(b));
  const { prepare: _, ...rest } = a;
  const c = defineStrategy(rest);
  assert.notEqual(await strategyCodeHash(a), await strategyCodeHash(c));
});

Deno.test("runSweep and walkForward prepare each combination in this thread before its signals", async () => {
  const { asyncToy } = await import("../runner/_async_toy.ts");
  const { runSweep, walkForward } = await import("../backtest/mod.ts");
  const frame = randomBars({ n: 400, seed: 8, stepMs: 3_600_000 });
  const { strategy } = asyncToy();
  const sweep = await runSweep({ frame, strategy, grid: { lag: [2, 3, 5] }, workers: 4, options: { fill: "close" } });
  assert.equal(sweep.combos, 3);
  assert.equal(sweep.workers, 0);
  assert.ok(sweep.best !== null);
  const wf = await walkForward({
    frame,
    strategy: asyncToy().strategy,
    grid: { lag: [2, 4] },
    train: 200,
    test: 50,
    folds: 4,
    workers: 0,
  });
  assert.equal(wf.folds.length, 4);
});
