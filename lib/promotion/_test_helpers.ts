// Fixtures of the promotion tests: a data dir with an account, GOOG daily slices, strategies.

import { z } from "zod";
import { createAccount } from "../accounts/mod.ts";
import { readCsv } from "../data/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { crossedAbove, crossedBelow, sma } from "../indicators/mod.ts";
import { defineStrategy, directContext, type Strategy } from "../strategies/mod.ts";

/** GOOG daily bars (2004-08-19 .. 2013-03-01), from the committed sample. */
export async function goog(): Promise<Frame> {
  return (await readCsv(new URL("../../data/samples/GOOG.ohlcv.csv", import.meta.url).pathname)).frame;
}

/** The bars in [from, to) (ISO dates). */
export function between(frame: Frame, from: string, to: string): Frame {
  return frame.slice(frame.indexAt(Date.parse(from)), frame.indexAt(Date.parse(to)));
}

/** A temp data dir with a paper account `paper-1` (default risk limits). */
export async function withAccount<T>(fn: (dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = await Deno.makeTempDir({ prefix: "promotion-" });
  try {
    createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000, quote: "USD" });
    return await fn(dataDir);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** A notebook-style strategy: the close crossing its SMA (defined here as a cell would). */
export const priceCross: Strategy<{ period: number }> = defineStrategy({
  name: "price_cross",
  title: "Price crosses SMA",
  description: "Long when the close crosses above its moving average, out when it crosses below.",
  params: z.object({ period: z.number().int().min(2).max(500).default(20).describe("SMA bars") }),
  warmup: (p) => p.period,
  signals(frame, p, ctx = directContext(frame)) {
    const avg = ctx.indicator(`sma:close:${p.period}`, (f) => sma(f.close, p.period));
    return { kind: "signals", entries: crossedAbove(frame.close, avg), exits: crossedBelow(frame.close, avg) };
  },
});

/** Looks ahead: compares each close with the mean of the WHOLE series (future bars included). */
export const leakyMean: Strategy<{ k: number }> = defineStrategy({
  name: "leaky_mean",
  title: "Leaky mean",
  description: "Buys below the mean of the whole series and sells above it: a look-ahead bug.",
  params: z.object({ k: z.number().min(0).max(1).default(0) }),
  warmup: () => 1,
  signals(frame, p) {
    const c = frame.close, n = frame.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += c[i]! / n;
    const entries = new Uint8Array(n), exits = new Uint8Array(n);
    for (let t = 1; t < n; t++) {
      if (c[t]! < mean * (1 - p.k) && c[t - 1]! >= mean * (1 - p.k)) entries[t] = 1;
      if (c[t]! > mean && c[t - 1]! <= mean) exits[t] = 1;
    }
    return { kind: "signals", entries, exits };
  },
});
