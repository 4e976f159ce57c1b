import assert from "node:assert/strict";
import { Store } from "../../store/mod.ts";
import { macd, rsi } from "../../indicators/mod.ts";
import { callTool, samplesDataDir } from "./_data_testing.ts";
import { computeIndicators } from "./compute_indicators.ts";

interface Out {
  columns: string[];
  rows: (string | number | null)[][];
  total: number;
  nextFrom?: string;
  provenance: { capped?: string };
}

Deno.test("compute_indicators: equals lib/indicators over the whole series, warmed up before from", async () => {
  const dir = await samplesDataDir();
  using store = await Store.open({ dir, readOnly: true });
  const frame = await store.read({ exchange: "samples", symbol: "GOOG", timeframe: "1d" });
  const want = rsi(frame.close, 10);
  const m = macd(frame.close, { fast: 5, slow: 20, signal: 4 });
  const i0 = 100;
  const res = await callTool<Out>(computeIndicators, {
    series: "samples:GOOG:1d",
    from: new Date(frame.ts[i0]!).toISOString(),
    limit: 20,
    indicators: [{ name: "rsi", period: 10 }, { name: "macd", fast: 5, slow: 20, signal: 4 }],
  }, dir);
  const s = res.structured;
  assert.deepEqual(s.columns.slice(0, 3), ["time", "close", "rsi(period=10,source=close)"]);
  assert.equal(s.columns.length, 2 + 1 + 3);
  assert.equal(s.rows.length, 20);
  assert.equal(s.total, frame.length - i0);
  for (let i = 0; i < 20; i++) {
    assert.equal(s.rows[i]![2], want[i0 + i]);
    assert.equal(s.rows[i]![5], m.histogram[i0 + i]);
  }
  assert.match(s.provenance.capped!, /capped at 20 of 2048 rows/);
});

Deno.test("compute_indicators: every registered indicator runs at its defaults; warm-up is null", async () => {
  const dir = await samplesDataDir();
  const indicators = [
    { name: "sma", period: 5 },
    { name: "ema", period: 5 },
    { name: "wma", period: 5 },
    { name: "roc", period: 5 },
    { name: "rsi" },
    { name: "rolling_std", period: 5 },
    { name: "z_score", period: 5 },
    { name: "bollinger_bands" },
    { name: "macd" },
    { name: "atr" },
    { name: "adx" },
    { name: "stochastic" },
    { name: "obv" },
    { name: "vwap", sessionMs: 86_400_000 },
  ];
  const res = await callTool<Out>(computeIndicators, { series: "samples:EUR/USD:1h", indicators, limit: 60 }, dir);
  assert.equal(res.structured.columns.length, 2 + 7 + 5 + 3 + 1 + 3 + 2 + 1 + 1);
  assert.equal(res.structured.rows[0]![2], null);
  const last = res.structured.rows[59]!;
  assert.ok(last.slice(1).every((v) => typeof v === "number"), JSON.stringify(last));
});

Deno.test("compute_indicators: bad arguments name the field", async () => {
  const dir = await samplesDataDir();
  const bad = (args: unknown) => computeIndicators.input.safeParse(args);
  const r1 = bad({ series: "samples:GOOG:1d", indicators: [{ name: "rsi", period: 0 }] });
  assert.deepEqual(r1.error!.issues[0]!.path, ["indicators", 0, "period"]);
  const r2 = bad({ series: "samples:GOOG:1d", indicators: [{ name: "nope" }] });
  assert.deepEqual(r2.error!.issues[0]!.path, ["indicators", 0, "name"]);
  const r3 = bad({ series: "samples:GOOG:1d", indicators: [{ name: "sma", period: 5, bogus: 1 }] });
  assert.equal(r3.success, false);
  assert.equal(bad({ series: "samples:GOOG:1d", indicators: [] }).success, false);
  await assert.rejects(
    callTool(computeIndicators, { series: "samples:GOOG:1d", indicators: [{ name: "macd", fast: 30, slow: 10 }] }, dir),
    /^RangeError: indicators: macd:/,
  );
});
