import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { COLORS, compose, dimensions, innerWidth, type LegendEntry, MARGIN_LEFT, MARGIN_RIGHT } from "./_render.ts";
import { assertSameLength, describe, drawSeries, formatDate, toF64 } from "./_data.ts";

/** An indicator line drawn over the price (a moving average, a band), aligned to `ts`. */
export interface PriceOverlay {
  name: string;
  /** NaN during warm-up leaves the line undrawn there. */
  values: ArrayLike<number>;
  /** CSS color; defaults cycle through a palette. */
  color?: string;
}

/** A round trip to mark on the price; backtest trades (`Trade` in lib/types) fit as they are. */
export interface PriceTrade {
  entryTs: number;
  entryPrice: number;
  /** NaN (or not finite) for a trade still open: only its entry is drawn. */
  exitTs: number;
  exitPrice: number;
  direction: "long" | "short";
  /** Net profit; above 0 is a win. */
  pnl: number;
}

/** Input of {@link priceFigure}. */
export interface PriceFigureInput extends FigureOptions {
  /** Bar open times, epoch ms UTC, ascending. */
  ts: ArrayLike<number>;
  open?: ArrayLike<number>;
  high?: ArrayLike<number>;
  low?: ArrayLike<number>;
  close: ArrayLike<number>;
  overlays?: PriceOverlay[];
  trades?: PriceTrade[];
  /** Traded volume per bar: drawn as bars in a panel below the price. */
  volume?: ArrayLike<number>;
  /**
   * `"candles"` draws OHLC candlesticks (needs open, high and low), `"line"` the close, and
   * `"auto"` (default) candles when OHLC is given and there are at most `candleLimit` bars.
   * With `"candles"` and more than `candleLimit` bars, consecutive bars are merged into one
   * candle each (first open, highest high, lowest low, last close, summed volume), so the
   * figure stays readable; the subtitle says how many bars one candle holds.
   */
  style?: "auto" | "line" | "candles";
  /** Most candles drawn. Default 250 (about 3 px per candle at 900 px). */
  candleLimit?: number;
  /**
   * Most trades marked. When there are more, that many are picked evenly over the whole run
   * (not the last ones), and the subtitle says "2,000 of 13,745 trades shown". Default 2000.
   */
  maxTrades?: number;
  /** Logarithmic price axis. Default false. */
  log?: boolean;
}

/**
 * Price chart: the close as a line, or candlesticks when there are few bars, with indicator
 * overlays and trade markers. Entries are triangles pointing up (long) or down (short); exits
 * are dots, green for a win and red for a loss, joined to their entry by a dashed link.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { priceFigure } from "./price_figure.ts";
 * const ts = [0, 1, 2, 3].map((d) => Date.UTC(2024, 0, 1 + d));
 * const fig = priceFigure({
 *   ts,
 *   close: [10, 11, 12, 11],
 *   overlays: [{ name: "SMA 2", values: [NaN, 10.5, 11.5, 11.5] }],
 *   trades: [{ entryTs: ts[0]!, entryPrice: 10, exitTs: ts[2]!, exitPrice: 12, direction: "long", pnl: 2 }],
 * });
 * assert.match(fig.svg, /SMA 2/);
 * ```
 */
export function priceFigure(input: PriceFigureInput): Figure {
  const { width, height } = dimensions("priceFigure", input);
  const ts = toF64("priceFigure: ts", input.ts);
  const close = toF64("priceFigure: close", input.close);
  assertSameLength("ts", ts, "close", close);
  const n = ts.length;
  const style = input.style ?? "auto";
  if (style !== "auto" && style !== "line" && style !== "candles") {
    throw new TypeError(`priceFigure: style must be "auto", "line" or "candles", got ${describe(style)}`);
  }
  const hasOhlc = input.open !== undefined && input.high !== undefined && input.low !== undefined;
  if (style === "candles" && !hasOhlc) {
    throw new TypeError('priceFigure: style "candles" needs open, high and low; pass them or use style "line"');
  }
  const candleLimit = input.candleLimit ?? 250;
  const candles = hasOhlc && (style === "candles" || (style === "auto" && n <= candleLimit));
  const inner = innerWidth(width);
  const marks: Plot.Markish[] = [];
  const legend: LegendEntry[] = [];
  let candleWidth = 0;

  if (!Number.isSafeInteger(candleLimit) || candleLimit < 1) {
    throw new RangeError(`priceFigure: candleLimit must be a whole number >= 1, got ${candleLimit}`);
  }
  const volume = input.volume === undefined ? undefined : toF64("priceFigure: volume", input.volume);
  if (volume) assertSameLength("ts", ts, "volume", volume);
  let perCandle = 1;
  let volTs = ts, volValues = volume;
  if (candles) {
    const ohlc = mergeCandles(
      ts,
      toF64("priceFigure: open", input.open),
      toF64("priceFigure: high", input.high),
      toF64("priceFigure: low", input.low),
      close,
      volume,
      candleLimit,
    );
    perCandle = ohlc.perCandle;
    const m = ohlc.ts.length;
    if (volume) {
      volTs = ohlc.ts;
      volValues = ohlc.volume;
    }
    const color = Array.from(ohlc.close, (c, i) => c >= ohlc.open[i]! ? COLORS.up : COLORS.down);
    candleWidth = Math.max(1, Math.min(12, (inner / Math.max(1, m)) * 0.7));
    const data = { length: m };
    marks.push(
      Plot.ruleX(data, { x: ohlc.ts, y1: ohlc.low, y2: ohlc.high, stroke: color, strokeWidth: 1 }),
      Plot.ruleX(data, {
        x: ohlc.ts,
        y1: ohlc.open,
        y2: ohlc.close,
        stroke: color,
        strokeWidth: candleWidth,
        title: (_: unknown, i: number) =>
          `${formatDate(ohlc.ts[i]!)} UTC\nO ${p6(ohlc.open[i]!)} H ${p6(ohlc.high[i]!)} L ${p6(ohlc.low[i]!)} C ${
            p6(ohlc.close[i]!)
          }`,
      }),
    );
    legend.push({ label: "Up", color: COLORS.up, kind: "area" }, { label: "Down", color: COLORS.down, kind: "area" });
  } else {
    // drawSeries first: its decimation checks that ts is in order, which volumePerColumn relies on.
    const s = drawSeries(ts, close, inner);
    if (volume && n > 4 * inner) {
      // One volume bar per pixel column (its bars' total): 1M rules would draw the same picture 1,000 times slower.
      const v = volumePerColumn(ts, volume, inner);
      volTs = v.ts;
      volValues = v.volume;
    }
    marks.push(Plot.lineY({ length: s.x.length }, { x: s.x, y: s.y, stroke: "#343a40", strokeWidth: 1.25 }));
    legend.push({ label: "Close", color: "#343a40", kind: "line" });
  }

  (input.overlays ?? []).forEach((o, k) => {
    if (typeof o?.name !== "string") throw new TypeError(`priceFigure: overlays[${k}].name must be a string`);
    const values = toF64(`priceFigure: overlays[${k}].values`, o.values);
    assertSameLength("ts", ts, `overlays[${k}] (${o.name})`, values);
    const color = o.color ?? COLORS.overlays[k % COLORS.overlays.length]!;
    const s = drawSeries(ts, values, inner);
    marks.push(Plot.lineY({ length: s.x.length }, { x: s.x, y: s.y, stroke: color, strokeWidth: 1.5 }));
    legend.push({ label: o.name, color, kind: "line" });
  });

  const allTrades = input.trades ?? [];
  const maxTrades = input.maxTrades ?? 2000;
  if (!Number.isSafeInteger(maxTrades) || maxTrades < 0) {
    throw new RangeError(`priceFigure: maxTrades must be a whole number >= 0, got ${maxTrades}`);
  }
  const trades = thinEvenly(allTrades, maxTrades);
  if (trades.length > 0) {
    trades.forEach((t, k) => {
      if (t?.direction !== "long" && t?.direction !== "short") {
        throw new TypeError(
          `priceFigure: trades[${k}].direction must be "long" or "short", got ${describe(t?.direction)}`,
        );
      }
    });
    const closed = trades.filter((t) => Number.isFinite(t.exitTs) && Number.isFinite(t.exitPrice));
    const outcome = (t: PriceTrade): string => t.pnl > 0 ? COLORS.win : COLORS.loss;
    marks.push(
      Plot.link(closed, {
        x1: "entryTs",
        y1: "entryPrice",
        x2: "exitTs",
        y2: "exitPrice",
        stroke: outcome,
        strokeOpacity: 0.7,
        strokeDasharray: "3,2",
      }),
      Plot.dot(trades, {
        x: "entryTs",
        y: "entryPrice",
        symbol: "triangle",
        rotate: (t: PriceTrade) => t.direction === "short" ? 180 : 0,
        fill: (t: PriceTrade) => t.direction === "short" ? COLORS.short : COLORS.primary,
        stroke: "white",
        strokeWidth: 0.75,
        r: 5,
        // A <title> per marker: a hover tip in any SVG viewer, static reports included.
        title: (t: PriceTrade) => `${t.direction} entry ${formatDate(t.entryTs)} UTC at ${p6(t.entryPrice)}`,
      }),
      // A dark rim keeps a red exit visible on a red candle.
      Plot.dot(closed, {
        x: "exitTs",
        y: "exitPrice",
        fill: outcome,
        stroke: "#212529",
        strokeWidth: 1,
        r: 4,
        title: (t: PriceTrade) => `exit ${formatDate(t.exitTs)} UTC at ${p6(t.exitPrice)} · P&L ${p6(t.pnl)}`,
      }),
    );
    legend.push(
      { label: "Long entry", color: COLORS.primary, kind: "triangle-up" },
      { label: "Short entry", color: COLORS.short, kind: "triangle-down" },
      { label: "Exit, win", color: COLORS.win, kind: "dot" },
      { label: "Exit, loss", color: COLORS.loss, kind: "dot" },
    );
  }

  const fmt = (k: number): string => k.toLocaleString("en-US");
  const subtitle =
    `${fmt(n)} bars${
      candles
        ? (perCandle > 1 ? ` (one candle per ${perCandle} bars)` : "")
        : n > 4 * inner
        ? " (decimated for drawing)"
        : ""
    }` +
    (allTrades.length === 0
      ? ""
      : trades.length < allTrades.length
      ? ` · ${fmt(trades.length)} of ${fmt(allTrades.length)} trades shown (evenly over the run)`
      : ` · ${fmt(allTrades.length)} trades`);
  // Inset by half a candle so the first and last bodies are not cut by the frame.
  const inset = candles ? candleWidth / 2 + 2 : 0;
  const x0 = ts[0] ?? 0, x1 = ts[n - 1] ?? 1;
  const panels: Plot.PlotOptions[] = [{
    height,
    marginLeft: MARGIN_LEFT,
    marginRight: MARGIN_RIGHT,
    grid: true,
    x: { type: "utc", label: null, inset, domain: [x0, x1] },
    y: { type: input.log ? "log" : "linear", label: "Price", nice: !input.log },
    marks,
  }];
  if (volValues) {
    const vt = volTs, vv = volValues;
    panels.push({
      height: Math.max(80, Math.round(height / 4)),
      marginLeft: MARGIN_LEFT,
      marginRight: MARGIN_RIGHT,
      marginTop: 18, // room for the "↑ Volume" label above the top tick
      grid: true,
      x: { type: "utc", label: null, inset, domain: [x0, x1] },
      y: { label: "Volume", nice: true, tickFormat: "~s" },
      marks: [
        Plot.ruleX({ length: vt.length }, {
          x: vt,
          y1: 0,
          y2: vv,
          stroke: COLORS.muted,
          strokeWidth: Math.max(1, candleWidth || inner / Math.max(1, vt.length)),
        }),
      ],
    });
  }
  return compose({ title: input.title ?? "Price", subtitle, width, legend, panels });
}

/** Six significant digits: enough for a tip, without binary noise (100.30000000000001). */
function p6(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/** `max` items picked evenly over `items` (first and last included); all of them when they fit. */
function thinEvenly<T>(items: readonly T[], max: number): readonly T[] {
  const n = items.length;
  if (n <= max) return items;
  if (max === 0) return [];
  if (max === 1) return [items[0]!];
  const out: T[] = new Array(max);
  for (let k = 0; k < max; k++) out[k] = items[Math.round((k * (n - 1)) / (max - 1))]!;
  return out;
}

interface Candles {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array | undefined;
  perCandle: number;
}

/** Merges runs of `perCandle` consecutive bars so at most `limit` candles remain. */
function mergeCandles(
  ts: Float64Array,
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array | undefined,
  limit: number,
): Candles {
  const n = ts.length;
  assertSameLength("ts", ts, "open", open);
  assertSameLength("ts", ts, "high", high);
  assertSameLength("ts", ts, "low", low);
  if (n <= limit) return { ts, open, high, low, close, volume, perCandle: 1 };
  const per = Math.ceil(n / limit);
  const m = Math.ceil(n / per);
  const o = new Float64Array(m), h = new Float64Array(m), l = new Float64Array(m), c = new Float64Array(m);
  const t = new Float64Array(m);
  const v = volume ? new Float64Array(m) : undefined;
  for (let k = 0; k < m; k++) {
    const a = k * per, b = Math.min(n, a + per);
    t[k] = ts[a]!;
    o[k] = open[a]!;
    c[k] = close[b - 1]!;
    let hi = -Infinity, lo = Infinity, vol = 0;
    for (let i = a; i < b; i++) {
      if (high[i]! > hi) hi = high[i]!;
      if (low[i]! < lo) lo = low[i]!;
      if (v) vol += volume![i]!;
    }
    h[k] = hi;
    l[k] = lo;
    if (v) v[k] = vol;
  }
  return { ts: t, open: o, high: h, low: l, close: c, volume: v, perCandle: per };
}

/** Sums `volume` into `columns` equal time buckets (one per pixel column), each at its first bar's time. */
function volumePerColumn(
  ts: Float64Array,
  volume: Float64Array,
  columns: number,
): { ts: Float64Array; volume: Float64Array } {
  const n = ts.length;
  const x0 = ts[0]!, span = ts[n - 1]! - x0;
  const scale = span > 0 ? columns / span : 0;
  const t = new Float64Array(columns).fill(NaN), v = new Float64Array(columns);
  let used = 0, prev = -1;
  for (let i = 0; i < n; i++) {
    const b = Math.min(columns - 1, Math.max(0, Math.floor((ts[i]! - x0) * scale)));
    if (b !== prev) {
      t[used] = ts[i]!;
      v[used] = 0;
      used++;
      prev = b;
    }
    const vi = volume[i]!;
    // A missing volume (NaN) adds nothing rather than blanking its whole column.
    if (Number.isFinite(vi)) v[used - 1]! += vi;
  }
  return { ts: t.subarray(0, used), volume: v.subarray(0, used) };
}
