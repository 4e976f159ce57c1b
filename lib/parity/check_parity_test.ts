import assert from "node:assert/strict";
import { z } from "zod";
import type { BacktestOptionsInput } from "../backtest/mod.ts";
import { readCsv } from "../data/read_csv.ts";
import type { Frame } from "../frame/mod.ts";
import { builtinStrategies, defineStrategy, isPortfolioStrategy } from "../strategies/mod.ts";
import { randomBars } from "../testing/mod.ts";
import { checkParity, formatParityReport, type ParityReport } from "./mod.ts";

// The runner fsyncs its audit log and broker store at every bar; on tmpfs that costs nothing, which keeps this file
// (about 200 replays) within its time budget. The checker's own default (a temp dir) is exercised by the CLI test.
const SHM = await Deno.stat("/dev/shm").then((s) => s.isDirectory, () => false);
const DATA_DIR = SHM ? await Deno.makeTempDir({ dir: "/dev/shm", prefix: "sentinel-parity-test-" }) : undefined;
globalThis.addEventListener("unload", () => {
  if (DATA_DIR) Deno.removeSync(DATA_DIR, { recursive: true });
});
/** Each check opens its own account (a random name), so checks can share one data dir. */
const dir = DATA_DIR ? { dataDir: DATA_DIR } : {};

const sample = async (name: string, bars: number): Promise<Frame> =>
  (await readCsv(new URL(`../../data/samples/${name}`, import.meta.url))).frame.slice(0, bars);

/** Every single-asset built-in with its defaults and one other param set. */
const SINGLE = builtinStrategies.filter((s) => !isPortfolioStrategy(s));
const OTHER_PARAMS: Record<string, Record<string, unknown>> = {
  buy_and_hold: {},
  sma_cross: { fast: 5, slow: 20 },
  ema_cross: { fast: 5, slow: 15 },
  macd: { fast: 8, slow: 21, signal: 5 },
  rsi_reversion: { period: 7, lower: 35, upper: 65 },
  bollinger_breakout: { period: 10, k: 1.5 },
};

/** The option sets: every fill, cost, sizing, stop and direction option, alone and together. */
const OPTION_SETS: Record<string, BacktestOptionsInput> = {
  "next_open": {},
  "close": { fill: "close" },
  "fee+fixedFee": { fee: 0.001, fixedFee: 1 },
  "spread+slippage": { spread: 0.002, slippage: 0.0005 },
  "lot+minNotional": { lot: 0.5, minNotional: 500 },
  "size fraction": { size: { kind: "fraction", value: 0.5 } },
  "size cash": { size: { kind: "cash", value: 2_500 }, fee: 0.001 },
  "size units": { size: { kind: "units", value: 30 } },
  "stopLoss": { stopLoss: 0.01 },
  "takeProfit": { takeProfit: 0.015 },
  "trailingStop": { trailingStop: 0.01 },
  "stops together": { stopLoss: 0.02, takeProfit: 0.03, trailingStop: 0.01, fee: 0.001 },
  "short": { direction: "short", fee: 0.001 },
  "both": { direction: "both", spread: 0.001 },
  "both+stops, close": { direction: "both", fill: "close", stopLoss: 0.015, trailingStop: 0.01, fee: 0.0005 },
};

function assertParity(r: ParityReport, what: string): void {
  assert.ok(r.ok, `${what}\n${formatParityReport(r)}`);
  assert.equal(r.orders.runner, r.orders.backtest);
  assert.ok(Object.is(r.equity.runner, r.equity.backtest));
}

for (const strategy of SINGLE) {
  Deno.test(`parity: ${strategy.name} matches the backtest on every option set (random bars)`, async (t) => {
    const frame = randomBars({ n: 400, seed: 11 });
    let traded = 0;
    for (const [label, options] of Object.entries(OPTION_SETS)) {
      await t.step(label, async () => {
        const r = await checkParity({ strategy, frame, options, ...dir });
        assertParity(r, `${strategy.name} ${label}`);
        traded += r.orders.backtest;
      });
    }
    assert.ok(traded > 0, "the option sets made no order at all: the check would prove nothing");
  });

  Deno.test(`parity: ${strategy.name} with defaults and other params (sample, 2 seeds)`, async () => {
    const frames: [string, Frame][] = [
      ["GOOG daily sample", await sample("GOOG.ohlcv.csv", 500)],
      ["ETH/BTC 5m sample", await sample("ETH_BTC-5m.csv", 500)],
      ["seed 1", randomBars({ n: 600, seed: 1 })],
      ["seed 2", randomBars({ n: 600, seed: 2, volatility: 0.02 })],
    ];
    const options: BacktestOptionsInput = { fee: 0.001, spread: 0.0005, direction: "both", stopLoss: 0.05 };
    for (const [label, frame] of frames) {
      for (const params of [{}, OTHER_PARAMS[strategy.name] ?? {}]) {
        const r = await checkParity({ strategy, params, frame, options, ...dir });
        assertParity(r, `${strategy.name} ${JSON.stringify(params)} on ${label}`);
      }
    }
  });
}

Deno.test("parity: portfolio strategies are refused with a clear message", async () => {
  const portfolio = builtinStrategies.filter((s) => isPortfolioStrategy(s));
  assert.ok(portfolio.length > 0);
  for (const s of portfolio) {
    await assert.rejects(
      () => checkParity({ strategy: s.name, frame: randomBars({ n: 50, seed: 1 }) }),
      (e: Error) => {
        assert.equal(e.name, "TypeError");
        assert.match(e.message, new RegExp(`${s.name}.*portfolio strategy.*one symbol per sleeve`));
        return true;
      },
    );
  }
});

/** Signals from the NEXT bar's close: profitable in a backtest, impossible live. */
const leaky = defineStrategy({
  name: "leaky_next_close",
  title: "Leaky (test)",
  description: "Buys when the next close is higher: peeks at the future on purpose.",
  params: z.object({}),
  warmup: () => 0,
  signals(frame) {
    const c = frame.close, n = c.length;
    const entries = new Uint8Array(n), exits = new Uint8Array(n);
    for (let t = 0; t + 1 < n; t++) {
      if (c[t + 1]! > c[t]!) entries[t] = 1;
      else exits[t] = 1;
    }
    return { kind: "signals", entries, exits };
  },
});

Deno.test("parity: a strategy that peeks at the next close fails and is named in lookAhead", async () => {
  const frame = randomBars({ n: 300, seed: 5 });
  const r = await checkParity({ strategy: leaky, frame, options: { fill: "close" }, ...dir });
  assert.equal(r.ok, false);
  assert.ok(r.firstDifference !== undefined);
  assert.ok(r.lookAhead !== undefined);
  assert.equal(r.lookAhead.strategy, "leaky_next_close");
  assert.ok(r.lookAhead.bar >= 0);
  assert.match(r.lookAhead.detail, /strategy leaky_next_close peeks at the future: its signal on bar \d+ changes/);
  const text = formatParityReport(r);
  assert.match(text, /DIFFERENT at order \d+/);
  assert.match(text, /^backtest\s+\d+/m);
  assert.match(text, /^runner\s+/m);
  assert.match(text, /look-ahead: strategy leaky_next_close peeks at the future/);
});

Deno.test("parity: a causal strategy that passes has no lookAhead", async () => {
  const r = await checkParity({ strategy: "sma_cross", frame: randomBars({ n: 200, seed: 9 }) });
  assert.equal(r.ok, true);
  assert.equal(r.lookAhead, undefined);
  assert.equal(r.firstDifference, undefined);
});

Deno.test("parity: bars with missing prices are a failure with the runner's reason, not a crash", async () => {
  const frame = randomBars({ n: 200, seed: 3, missing: 0.05 });
  const r = await checkParity({ strategy: "sma_cross", params: { fast: 3, slow: 8 }, frame, ...dir });
  assert.equal(r.ok, false);
  assert.match(r.error ?? "", /finite prices only/);
  assert.match(formatParityReport(r), /FAILED, the runner stopped: bar asset at \S+ has \w+ NaN/);
});

Deno.test("parity: finalize close is replaced by open and said so; a given dataDir is reused safely", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const frame = randomBars({ n: 150, seed: 4 });
    const a = await checkParity({ strategy: "buy_and_hold", frame, options: { finalize: "close" }, dataDir });
    const b = await checkParity({ strategy: "buy_and_hold", frame, options: { finalize: "close" }, dataDir });
    assert.ok(a.ok && b.ok);
    assert.equal(a.orders.backtest, 1, "the position stays open: no closing order at the end");
    assert.match(a.notes.join("\n"), /finalize "close" replaced by "open"/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("parity: the fill bar maps back through data gaps (daily equity bars skip weekends)", async () => {
  const frame = await sample("GOOG.ohlcv.csv", 300);
  const r = await checkParity({ strategy: "sma_cross", params: { fast: 5, slow: 20 }, frame, timeframe: "1d", ...dir });
  assertParity(r, "GOOG with weekends");
  assert.ok(r.orders.backtest > 4);
});
