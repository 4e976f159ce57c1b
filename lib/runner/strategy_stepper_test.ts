import assert from "node:assert/strict";
import { z } from "zod";
import { sideArrays } from "../backtest/_side_arrays.ts";
import type { BacktestOptions } from "../backtest/mod.ts";
import { crossedAbove, sma } from "../indicators/mod.ts";
import { builtinStrategies, defineStrategy, isPortfolioStrategy, type Strategy } from "../strategies/mod.ts";
import { randomBars } from "../testing/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { StrategyStepper } from "./strategy_stepper.ts";
import { frameBar } from "./_testing.ts";

const bar = (f: Frame, i: number) => frameBar(f, i, { symbol: "X", timeframe: "1m" });

function assertSameAsVectorized<P>(
  strategy: Strategy<P>,
  params: P,
  frame: Frame,
  direction: "long" | "short" | "both",
) {
  const stepper = new StrategyStepper({ strategy, params, direction });
  const s = strategy.signals(frame, params);
  assert.equal(s.kind, "signals");
  if (s.kind !== "signals") return;
  if (direction === "both" && s.shortEntries === undefined) return;
  const [le, lx, se, sx] = sideArrays(s, { direction } as BacktestOptions, frame.length);
  for (let i = 0; i < frame.length; i++) {
    const got = stepper.push(bar(frame, i));
    const want = { le: le[i]!, lx: lx[i]!, se: se[i]!, sx: sx[i]! };
    assert.deepEqual(
      { ...got },
      want,
      `${strategy.name} ${JSON.stringify(params)} ${direction}: bar ${i} (${stepper.mode})`,
    );
  }
  return stepper.mode;
}

const singles = builtinStrategies.filter((s) => !isPortfolioStrategy(s)) as Strategy<any>[];

Deno.test("every built-in strategy's runner signals equal its vectorized signals, bar by bar, in both modes", () => {
  const modes: Record<string, string> = {};
  for (const seed of [1, 2]) {
    const frame = randomBars({ n: 400, seed, volatility: 0.03 });
    for (const strategy of singles) {
      for (const params of [strategy.params.parse({}), ...extraParams(strategy.name)]) {
        for (const direction of ["long", "short", "both"] as const) {
          modes[strategy.name] = assertSameAsVectorized(strategy, params, frame, direction) ?? modes[strategy.name]!;
        }
      }
    }
  }
  assert.deepEqual(modes, {
    buy_and_hold: "recompute",
    sma_cross: "stream",
    ema_cross: "stream",
    macd: "stream",
    rsi_reversion: "stream",
    bollinger_breakout: "stream",
  });
});

function extraParams(name: string): unknown[] {
  switch (name) {
    case "sma_cross":
    case "ema_cross":
      return [{ fast: 3, slow: 7 }];
    case "macd":
      return [{ fast: 5, slow: 13, signal: 4 }];
    case "rsi_reversion":
      return [{ period: 5, lower: 35, upper: 65, exit: "midline" }];
    case "bollinger_breakout":
      return [{ period: 10, k: 1.5 }];
    default:
      return [];
  }
}

Deno.test("a strategy that asks for a series it did not declare falls back to recomputation, still exact", () => {
  const sneaky = defineStrategy({
    name: "sneaky",
    title: "Sneaky",
    description: "Declares sma:close:3 but also reads sma:close:5.",
    params: z.object({}),
    warmup: () => 5,
    indicators: () => [{ key: "sma:close:3", compute: (f) => sma(f.close, 3) }],
    signalLookback: () => 1,
    signals(frame, _p, ctx) {
      const a = ctx ? ctx.indicator("sma:close:3", (f) => sma(f.close, 3)) : sma(frame.close, 3);
      const b = ctx ? ctx.indicator("sma:close:5", (f) => sma(f.close, 5)) : sma(frame.close, 5);
      const entries = crossedAbove(a, b);
      return { kind: "signals", entries, exits: crossedAbove(b, a) };
    },
  });
  const frame = randomBars({ n: 200, seed: 3 });
  assert.equal(assertSameAsVectorized(sneaky, {}, frame, "long"), "recompute");
});
