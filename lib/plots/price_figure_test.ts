import assert from "node:assert/strict";
import { priceFigure, type PriceTrade } from "./price_figure.ts";
import { assertSnapshot, parseSvg } from "./_snapshot.ts";
import { close, high, low, N, open, ts } from "./_fixtures.ts";

const trades: PriceTrade[] = [
  { entryTs: ts[2]!, entryPrice: close[2]!, exitTs: ts[8]!, exitPrice: close[8]!, direction: "long", pnl: 4.2 },
  { entryTs: ts[10]!, entryPrice: close[10]!, exitTs: ts[16]!, exitPrice: close[16]!, direction: "short", pnl: -1.5 },
  { entryTs: ts[25]!, entryPrice: close[25]!, exitTs: NaN, exitPrice: NaN, direction: "short", pnl: 0 },
];
const sma5 = Float64Array.from(close, (_, i) => i < 4 ? NaN : close.slice(i - 4, i + 1).reduce((a, b) => a + b) / 5);

Deno.test("priceFigure draws candles for few bars, overlays and trade markers", async () => {
  const fig = priceFigure({ ts, open, high, low, close, overlays: [{ name: "SMA 5", values: sma5 }], trades });
  const svg = parseSvg(fig.svg);
  assert.equal(svg.marks("rule").length, 2 * N, "a wick and a body per bar");
  assert.equal(svg.marks("line").length, 1, "the overlay");
  assert.equal(svg.marks("link").length, 2, "closed trades only");
  const dots = svg.marks("dot");
  assert.equal(dots.length, 3 + 2, "three entries, two exits");
  // Entries: the long one points up, the short ones are rotated 180°.
  const rotated = dots.filter((d) => /rotate\(180\)/.test(d.getAttribute("transform") ?? ""));
  assert.equal(rotated.length, 2);
  // Exits: a win (green) and a loss (red).
  const exitFills = dots.slice(3).map((d) => d.getAttribute("fill"));
  assert.deepEqual(exitFills, ["#2f9e44", "#e5484d"]);
  assert.ok(svg.texts().includes("SMA 5") && svg.texts().includes("Long entry"));
  assert.equal(svg.texts()[1], "30 bars · 3 trades");
  // Hover tips that work in static SVG: a <title> per candle and per trade marker.
  assert.equal(svg.all("title").length, N + 3 + 2);
  assert.match(fig.svg, /<title>long entry \d{4}-\d\d-\d\d UTC at [\d.]+<\/title>/);
  assert.match(fig.svg, /<title>exit \d{4}-\d\d-\d\d UTC at [\d.]+ · P&amp;L 4\.2<\/title>/);
  await assertSnapshot("price_candles", fig.svg);
});

Deno.test("priceFigure draws a close line when asked or without OHLC", async () => {
  const fig = priceFigure({ ts, close, style: "line", overlays: [{ name: "SMA 5", values: sma5, color: "purple" }] });
  const svg = parseSvg(fig.svg);
  assert.equal(svg.marks("rule").length, 0);
  assert.equal(svg.marks("line").length, 2);
  assert.equal(svg.all('g[aria-label="line"]')[1]?.getAttribute("stroke"), "purple");
  await assertSnapshot("price_line", fig.svg);
  assert.equal(parseSvg(priceFigure({ ts, open, high, low, close, candleLimit: 10 }).svg).marks("rule").length, 0);
});

Deno.test("priceFigure validates style, overlays and trades", () => {
  assert.throws(() => priceFigure({ ts, close, style: "candles" }), /needs open, high and low/);
  assert.throws(() => priceFigure({ ts, close, style: "bars" as "line" }), /style must be.*"bars"/);
  assert.throws(
    () => priceFigure({ ts, close, overlays: [{ name: "x", values: [1] }] }),
    /overlays\[0\] \(x\) has 1 values/,
  );
  const bad = [{ ...trades[0]!, direction: "up" as "long" }];
  assert.throws(
    () => priceFigure({ ts, close, trades: bad }),
    /trades\[0\].direction must be "long" or "short", got "up"/,
  );
});

Deno.test("priceFigure thins trades evenly over the run and says how many are shown", () => {
  // 30 bars, 29 one-bar trades: the first and the last are kept, not only the last ones.
  const many: PriceTrade[] = Array.from({ length: N - 1 }, (_, i) => ({
    entryTs: ts[i]!,
    entryPrice: close[i]!,
    exitTs: ts[i + 1]!,
    exitPrice: close[i + 1]!,
    direction: "long",
    pnl: 1,
  }));
  const fig = priceFigure({ ts, close, trades: many, maxTrades: 5 });
  const svg = parseSvg(fig.svg);
  assert.equal(svg.texts()[1], "30 bars · 5 of 29 trades shown (evenly over the run)");
  const xs = svg.marks("link").map((l) => Number(/M([\d.]+)/.exec(l.getAttribute("d") ?? "")?.[1]));
  assert.equal(xs.length, 5);
  assert.ok(xs[0]! < 100 && xs[4]! > 700, `links spread over the run: ${xs}`);
  assert.throws(() => priceFigure({ ts, close, trades: many, maxTrades: -1 }), /maxTrades must be a whole number/);
});

Deno.test("priceFigure merges bars into candles past candleLimit and draws a volume panel", async () => {
  const volume = Float64Array.from(close, (_, i) => 1000 + 10 * i);
  const fig = priceFigure({ ts, open, high, low, close, volume, style: "candles", candleLimit: 10 });
  const svg = parseSvg(fig.svg);
  assert.equal(svg.texts()[1], "30 bars (one candle per 3 bars)");
  assert.equal(svg.all("svg").length, 2, "price panel and volume panel");
  assert.ok(svg.texts().includes("↑ Volume"));
  await assertSnapshot("price_candles_volume", fig.svg);
});

Deno.test("priceFigure with a long line and volume draws one volume rule per pixel column", () => {
  const n = 200_000;
  const t = Float64Array.from({ length: n }, (_, i) => i * 60_000);
  const c = Float64Array.from(t, (_, i) => 100 + Math.sin(i / 3000));
  const v = Float64Array.from(t, () => 1);
  v[150_000] = 1e6; // a one-bar volume spike sets its column's height
  const svg = parseSvg(priceFigure({ ts: t, close: c, volume: v }).svg);
  const rules = svg.marks("rule").length;
  assert.ok(rules > 100 && rules <= 900 - 64 - 24, `${rules} volume rules`);
  const points = svg.marks("line")[0]!.getAttribute("d")!.split(/[ML]/).filter(Boolean).length;
  assert.ok(points <= 4 * (900 - 64 - 24), `${points} points drawn`);
  assert.ok(svg.texts().includes("1M"), "volume axis reaches the spike's column total");
});
