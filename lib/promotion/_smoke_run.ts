import { Frame } from "../frame/mod.ts";
import type { Strategy } from "../strategies/mod.ts";
import { StrategyError } from "../types/mod.ts";

/**
 * Runs a loaded strategy once with its default params on synthetic bars (a seeded random walk), so a function that
 * calls something its module does not define (a notebook helper left behind) fails now, naming it.
 */
export function smokeRun(strategy: Strategy<any>, where: string): void {
  try {
    const p = strategy.params.parse({});
    const n = Math.min(Math.max(strategy.warmup(p) + 100, 300), 20_000);
    strategy.signals(syntheticBars(n), p);
  } catch (e) {
    const err = e as Error;
    const hint = err?.name === "ReferenceError"
      ? ": it calls something the saved module does not define; move that helper inside the strategy's functions, " +
        "or pass the module text as `source`"
      : "";
    throw new StrategyError(`${strategy.name} (${where}) failed a trial run on synthetic bars: ${err?.message}${hint}`);
  }
}

function syntheticBars(n: number): Frame {
  const ts = new Float64Array(n), open = new Float64Array(n), high = new Float64Array(n), low = new Float64Array(n);
  const close = new Float64Array(n), volume = new Float64Array(n);
  let seed = 12345, price = 100;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const r = seed / 2_147_483_648 - 0.5;
    open[i] = price;
    price *= 1 + 0.04 * r;
    close[i] = price;
    high[i] = Math.max(open[i]!, price) * 1.005;
    low[i] = Math.min(open[i]!, price) * 0.995;
    volume[i] = 1_000;
    ts[i] = i * 86_400_000;
  }
  return new Frame(ts, { open, high, low, close, volume });
}
