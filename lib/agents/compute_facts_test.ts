import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { mulberry32, randomBars } from "../testing/mod.ts";
import { buildPrompt } from "./build_prompt.ts";
import { builtinPersonas } from "./builtin_personas.ts";
import { computeFacts } from "./compute_facts.ts";
import type { Fact } from "./fact.ts";
import { PersonaSeesSchema } from "./persona.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function frameOf(closes: number[]): Frame {
  const close = Float64Array.from(closes);
  const ts = Float64Array.from(closes, (_, i) => T0 + i * DAY);
  return new Frame(ts, { open: close, high: close, low: close, close, volume: close.map(() => 1) });
}

const byId = (facts: Fact[]) => Object.fromEntries(facts.map((f) => [f.id, f]));

Deno.test("computeFacts: a hand-worked frame", () => {
  const frame = frameOf([10, 11, 12, 11, 10, 9, 10, 12, 14, 15]);
  const sees = PersonaSeesSchema.parse({
    indicators: ["sma:close:4"],
    returns: [1, 5, 20],
    volatility: 3,
    position: true,
    recentCloses: 2,
  });
  const facts = computeFacts({ frame, t: 9, timeframe: "1d", sees, position: -1 });
  const f = byId(facts);
  const now = T0 + 10 * DAY;
  assert.deepEqual(facts.map((x) => x.id), [
    "close",
    "sma_close_4",
    "close_vs_sma_close_4",
    "ret_1",
    "ret_5",
    "vol_3",
    "position",
    "close_lag_1",
    "close_lag_2",
  ]); // ret_20 needs 21 bars: left out
  assert.deepEqual(f.close, {
    id: "close",
    label: "close of the latest bar",
    value: 15,
    unit: "price",
    availableAt: now,
  });
  assert.equal(f.sma_close_4!.value, 12.75); // (10 + 12 + 14 + 15) / 4
  assert.ok(Math.abs((f.close_vs_sma_close_4!.value as number) - (15 / 12.75 - 1) * 100) < 1e-12);
  assert.ok(Math.abs((f.ret_1!.value as number) - (15 / 14 - 1) * 100) < 1e-12);
  assert.ok(Math.abs((f.ret_5!.value as number) - (15 / 10 - 1) * 100) < 1e-12);
  const r = [12 / 10 - 1, 14 / 12 - 1, 15 / 14 - 1];
  const m = (r[0]! + r[1]! + r[2]!) / 3;
  const sd = Math.sqrt(r.reduce((s, x) => s + (x - m) ** 2, 0) / 2);
  assert.ok(Math.abs((f.vol_3!.value as number) - sd * Math.sqrt(365) * 100) < 1e-9);
  assert.equal(f.position!.value, -1);
  assert.deepEqual([f.close_lag_1!.value, f.close_lag_1!.availableAt], [14, T0 + 9 * DAY]);
  assert.deepEqual([f.close_lag_2!.value, f.close_lag_2!.availableAt], [12, T0 + 8 * DAY]);
  for (const x of facts) assert.ok(x.availableAt <= now, x.id);
});

Deno.test("computeFacts: regime, high_vol and the multi-output indicators", () => {
  const up = frameOf(Array.from({ length: 120 }, (_, i) => 100 * 1.01 ** i));
  const sees = PersonaSeesSchema.parse({
    indicators: ["bollinger:close:20:2", "macd:close:12:26:9", "atr:14", "adx:14", "rsi:close:14", "z_score:close:20"],
    regime: true,
  });
  const f = byId(computeFacts({ frame: up, t: 119, timeframe: "1d", sees }));
  assert.equal(f.regime!.value, "uptrend");
  assert.ok(f.high_vol!.value === 0 || f.high_vol!.value === 1);
  for (
    const id of [
      "bollinger_close_20_2_upper",
      "bollinger_close_20_2_pct_b",
      "macd_close_12_26_9_hist",
      "atr_14",
      "adx_14",
    ]
  ) {
    assert.equal(typeof f[id]!.value, "number", id);
  }
  assert.equal(f.rsi_close_14!.value, 100);
  const down = frameOf(Array.from({ length: 120 }, (_, i) => 100 * 0.99 ** i));
  assert.equal(byId(computeFacts({ frame: down, t: 119, timeframe: "1d", sees })).regime!.value, "downtrend");
  // warm-up: nothing NaN is sent
  const early = computeFacts({ frame: up, t: 5, timeframe: "1d", sees });
  assert.deepEqual(early.map((x) => x.id), ["close", "position"]);
  assert.throws(() => computeFacts({ frame: up, t: 120, timeframe: "1d", sees }), /t must be an integer bar index/);
  assert.throws(
    () => computeFacts({ frame: up, t: 1, timeframe: "1d", sees: { ...sees, indicators: ["vwap:close:3"] } }),
    /unknown indicator "vwap"/,
  );
});

Deno.test("no look-ahead: facts and prompt text on the prefix 0..t equal those on the full frame", () => {
  const rand = mulberry32(11);
  const personas = builtinPersonas();
  for (let trial = 0; trial < 40; trial++) {
    const n = 150 + Math.floor(rand() * 300);
    const frame = randomBars({ n, seed: 1000 + trial, stepMs: 3_600_000, start: Date.UTC(2022, 5, 1) });
    const t = Math.floor(rand() * n);
    const prefix = new Frame(frame.ts.slice(0, t + 1), {
      open: frame.open.slice(0, t + 1),
      high: frame.high.slice(0, t + 1),
      low: frame.low.slice(0, t + 1),
      close: frame.close.slice(0, t + 1),
      volume: frame.volume.slice(0, t + 1),
    });
    const persona = personas[trial % personas.length]!;
    const opts = { t, timeframe: "1h", sees: persona.sees, position: 1 as const };
    const full = computeFacts({ frame, ...opts });
    const pre = computeFacts({ frame: prefix, ...opts });
    assert.deepEqual(pre, full, `trial ${trial}, t ${t}`);
    const decisionTime = frame.ts[t]! + 3_600_000;
    for (const f of full) assert.ok(f.availableAt <= decisionTime);
    if (full.length === 0) continue;
    const build = (facts: Fact[]) =>
      buildPrompt({
        persona,
        facts,
        decisionTime,
        symbol: "ETH/USDT",
        timeframe: "1h",
        masking: { pseudonym: "ASSET_B" },
      });
    assert.deepEqual(build(pre), build(full));
  }
});

Deno.test("computeFacts: a decision on a 5,000-bar frame costs well under 1 ms", () => {
  const frame = randomBars({ n: 5_000, seed: 3, stepMs: 3_600_000 });
  const persona = builtinPersonas().find((p) => p.name === "trend_follower")!;
  computeFacts({ frame, t: 10, timeframe: "1h", sees: persona.sees }); // the per-frame series, once
  const start = performance.now();
  for (let t = 0; t < 5_000; t++) computeFacts({ frame, t, timeframe: "1h", sees: persona.sees });
  const perDecision = (performance.now() - start) / 5_000;
  console.log(`computeFacts: ${(perDecision * 1000).toFixed(1)} µs per decision (trend_follower, 5,000 bars)`);
  assert.ok(perDecision < 0.2, `${perDecision} ms per decision`);
});
