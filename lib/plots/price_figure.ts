import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { COLORS, compose, dimensions, innerWidth, type LegendEntry, MARGIN_LEFT, MARGIN_RIGHT } from "./_render.ts";
import { assertSameLength, describe, drawSeries, toF64 } from "./_data.ts";

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
  /**
   * `"candles"` draws OHLC candlesticks (needs open, high and low), `"line"` the close, and
   * `"auto"` (default) candles when OHLC is given and there are at most `candleLimit` bars.
   */
  style?: "auto" | "line" | "candles";
  /** Most bars drawn as candles in `"auto"` style. Default 250 (about 3 px per candle at 900 px). */
  candleLimit?: number;
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

  if (candles) {
    const open = toF64("priceFigure: open", input.open);
    const high = toF64("priceFigure: high", input.high);
    const low = toF64("priceFigure: low", input.low);
    assertSameLength("ts", ts, "open", open);
    assertSameLength("ts", ts, "high", high);
    assertSameLength("ts", ts, "low", low);
    const color = Array.from(close, (c, i) => c >= open[i]! ? COLORS.up : COLORS.down);
    candleWidth = Math.max(1, Math.min(12, (inner / Math.max(1, n)) * 0.7));
    const data = { length: n };
    marks.push(
      Plot.ruleX(data, { x: ts, y1: low, y2: high, stroke: color, strokeWidth: 1 }),
      Plot.ruleX(data, { x: ts, y1: open, y2: close, stroke: color, strokeWidth: candleWidth }),
    );
    legend.push({ label: "Up", color: COLORS.up, kind: "area" }, { label: "Down", color: COLORS.down, kind: "area" });
  } else {
    const s = drawSeries(ts, close, inner);
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

  const trades = input.trades ?? [];
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
      }),
      // A dark rim keeps a red exit visible on a red candle.
      Plot.dot(closed, { x: "exitTs", y: "exitPrice", fill: outcome, stroke: "#212529", strokeWidth: 1, r: 4 }),
    );
    legend.push(
      { label: "Long entry", color: COLORS.primary, kind: "triangle-up" },
      { label: "Short entry", color: COLORS.short, kind: "triangle-down" },
      { label: "Exit, win", color: COLORS.win, kind: "dot" },
      { label: "Exit, loss", color: COLORS.loss, kind: "dot" },
    );
  }

  const subtitle =
    `${n.toLocaleString("en-US")} bars${candles ? "" : n > 4 * inner ? " (decimated for drawing)" : ""}` +
    (trades.length > 0 ? ` · ${trades.length} trades` : "");
  return compose({
    title: input.title ?? "Price",
    subtitle,
    width,
    legend,
    panels: [{
      height,
      marginLeft: MARGIN_LEFT,
      marginRight: MARGIN_RIGHT,
      grid: true,
      // Inset by half a candle so the first and last bodies are not cut by the frame.
      x: { type: "utc", label: null, inset: candles ? candleWidth / 2 + 2 : 0 },
      y: { type: input.log ? "log" : "linear", label: "Price", nice: !input.log },
      marks,
    }],
  });
}
