import type { Frame } from "../frame/mod.ts";
import { periodsPerYear as periodsPerYearOf } from "../metrics/mod.ts";
import { type Calendar, timeframeMs } from "../types/mod.ts";
import { indicatorSeries, indicatorSpec } from "./_facts_indicators.ts";
import type { Fact } from "./fact.ts";
import type { PersonaSees } from "./persona.ts";

/** Options of {@link computeFacts}. */
export interface ComputeFactsOptions {
  /** The bars (`ts` is each bar's open time); only bars `0..t` are read. */
  frame: Frame;
  /** Index of the decision bar: the decision is made at its close, `ts[t] + timeframeMs(timeframe)`. */
  t: number;
  /** The bars' timeframe (`1h`, `1d`). */
  timeframe: string;
  /** What the persona sees (`persona.sees`). */
  sees: PersonaSees;
  /** The account's position in the symbol now; default 0. */
  position?: -1 | 0 | 1;
  /** Calendar for annualising volatility; default `"24/7"` (crypto). */
  calendar?: Calendar;
  /** Explicit bars per year for volatility; overrides the calendar. */
  periodsPerYear?: number;
}

/** The SMA the regime label reads, and how many bars back its slope is measured. */
const REGIME_SMA = "sma:close:50";
const REGIME_SLOPE_BARS = 10;
/** high_vol: the 20-bar deviation of returns above this multiple of the 100-bar one. */
const HIGH_VOL_SHORT = 20;
const HIGH_VOL_LONG = 100;
const HIGH_VOL_RATIO = 1.25;

/**
 * The facts a persona sees at decision bar `t`, each with the time it became available (the close time of the newest
 * bar it reads), computed from bars `0..t` only:
 *
 * - `close` (price);
 * - each indicator of `sees.indicators` (id = key with `:` as `_`: `sma_close_50`; Bollinger gives `_upper`, `_lower`,
 *   `_pct_b`, MACD `_line`, `_signal`, `_hist`), and `close_vs_<ma>` in % for moving averages;
 * - `ret_N` for each of `sees.returns`: `close[t] / close[t-N] - 1`, in %;
 * - `vol_N` for `sees.volatility`: sample deviation of the last N one-bar returns, annualised, in %;
 * - `regime` when `sees.regime`: `uptrend` (close above a rising SMA(50), rising over 10 bars), `downtrend` (the
 *   mirror), else `range`; and `high_vol`: 1 when the 20-bar deviation of returns exceeds 1.25 times the 100-bar one;
 * - `position` when `sees.position`;
 * - `close_lag_k`, k = 1..`sees.recentCloses`: the close k bars before the decision bar, available at its own close.
 *
 * A fact that is NaN (warm-up, a missing bar) is left out, never sent. Indicator series are computed once per frame
 * and key and read at `t` (the indicators are causal; the no-look-ahead test checks facts on the prefix `0..t` equal
 * facts on the full frame), so a decision costs a few microseconds after the first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { computeFacts } from "./compute_facts.ts";
 * const close = Float64Array.from({ length: 30 }, (_, i) => 100 + i);
 * const ts = Float64Array.from({ length: 30 }, (_, i) => i * 86_400_000);
 * const frame = new Frame(ts, { open: close, high: close, low: close, close, volume: close });
 * const facts = computeFacts({
 *   frame, t: 29, timeframe: "1d", position: 1,
 *   sees: { indicators: ["sma:close:10"], returns: [5], regime: false, position: true, recentCloses: 2 },
 * });
 * const byId = Object.fromEntries(facts.map((f) => [f.id, f.value]));
 * assert.equal(byId.close, 129);
 * assert.equal(byId.sma_close_10, 124.5);
 * assert.equal(byId.ret_5, (129 / 124 - 1) * 100);
 * assert.equal(byId.close_lag_2, 127);
 * assert.ok(facts.every((f) => f.availableAt <= 30 * 86_400_000));
 * ```
 */
export function computeFacts(options: ComputeFactsOptions): Fact[] {
  const { frame, t, timeframe, sees } = options;
  if (!Number.isInteger(t) || t < 0 || t >= frame.length) {
    throw new RangeError(
      `computeFacts: t must be an integer bar index in 0..${frame.length - 1}, got ${t}; pass the decision bar's index`,
    );
  }
  const tf = timeframeMs(timeframe);
  const ts = frame.ts;
  const close = frame.close;
  const at = ts[t]! + tf;
  const c = close[t]!;
  const facts: Fact[] = [];
  const push = (id: string, label: string, value: number | string, availableAt: number, unit?: string): void => {
    if (typeof value === "number" && !Number.isFinite(value)) return;
    facts.push(unit === undefined ? { id, label, value, availableAt } : { id, label, value, unit, availableAt });
  };

  push("close", "close of the latest bar", c, at, "price");
  for (const key of sees.indicators) {
    const spec = indicatorSpec(key);
    const series = indicatorSeries(frame, key);
    for (let k = 0; k < spec.outputs.length; k++) {
      const out = spec.outputs[k]!;
      const v = series[k]![t]!;
      push(out.id, out.label, v, at, out.unit);
      if (out.distance) push(`close_vs_${out.id}`, `close vs ${out.label}, % distance`, (c / v - 1) * 100, at, "%");
    }
  }
  for (const n of sees.returns) {
    if (t - n >= 0) push(`ret_${n}`, `return over ${n} bars`, (c / close[t - n]! - 1) * 100, at, "%");
  }
  if (sees.volatility !== undefined) {
    const n = sees.volatility;
    const ppy = periodsPerYearOf(timeframe, { calendar: options.calendar, periodsPerYear: options.periodsPerYear });
    const sd = returnStd(close, t, n);
    push(`vol_${n}`, `annualised volatility of ${n} one-bar returns`, sd * Math.sqrt(ppy) * 100, at, "%");
  }
  if (sees.regime) {
    const ma = indicatorSeries(frame, REGIME_SMA)[0]!;
    if (t >= REGIME_SLOPE_BARS) {
      const now = ma[t]!, before = ma[t - REGIME_SLOPE_BARS]!;
      if (Number.isFinite(now) && Number.isFinite(before) && Number.isFinite(c)) {
        const label = c > now && now > before ? "uptrend" : c < now && now < before ? "downtrend" : "range";
        push("regime", "trend regime: close vs a rising or falling SMA(50)", label, at);
      }
    }
    const short = returnStd(close, t, HIGH_VOL_SHORT);
    const long = returnStd(close, t, HIGH_VOL_LONG);
    if (Number.isFinite(short) && Number.isFinite(long)) {
      push(
        "high_vol",
        "1 when 20-bar volatility is above 1.25x its 100-bar level, else 0",
        short > HIGH_VOL_RATIO * long ? 1 : 0,
        at,
      );
    }
  }
  if (sees.position) push("position", "the account's position: 1 long, 0 flat, -1 short", options.position ?? 0, at);
  for (let k = 1; k <= sees.recentCloses && t - k >= 0; k++) {
    push(
      `close_lag_${k}`,
      `close ${k} bar${k === 1 ? "" : "s"} before the latest`,
      close[t - k]!,
      ts[t - k]! + tf,
      "price",
    );
  }
  return facts;
}

// Sample deviation (ddof 1) of the n one-bar simple returns ending at t; NaN without n + 1 closes or with a gap.
function returnStd(close: Float64Array, t: number, n: number): number {
  if (t - n < 0 || n < 2) return NaN;
  let sum = 0;
  for (let i = t - n + 1; i <= t; i++) sum += close[i]! / close[i - 1]! - 1;
  const mean = sum / n;
  let ss = 0;
  for (let i = t - n + 1; i <= t; i++) {
    const d = close[i]! / close[i - 1]! - 1 - mean;
    ss += d * d;
  }
  const v = ss / (n - 1);
  return Math.sqrt(Math.max(0, v));
}
