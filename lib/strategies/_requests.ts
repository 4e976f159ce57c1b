// Indicator requests shared by the built-in strategies. Keys follow
// `<indicator>:<column>:<params...>[:<output>]` so equal keys always mean equal series.
import { bollingerBands, ema, macd, rsi, sma } from "../indicators/mod.ts";
import type { Frame } from "../frame/mod.ts";
import type { IndicatorRequest } from "./strategy.ts";

export function smaRequest(period: number): IndicatorRequest {
  return { key: `sma:close:${period}`, compute: (f) => sma(f.close, period) };
}

export function emaRequest(period: number): IndicatorRequest {
  return { key: `ema:close:${period}`, compute: (f) => ema(f.close, period) };
}

export function rsiRequest(period: number): IndicatorRequest {
  return { key: `rsi:close:${period}`, compute: (f) => rsi(f.close, period) };
}

export type Band = "upper" | "middle" | "lower";

/**
 * The three Bollinger bands as requests that share one computation per frame: asking for the
 * upper, middle and lower band of the same frame runs `bollingerBands` once, not three times.
 */
export function bollingerRequests(period: number, k: number): Record<Band, IndicatorRequest> {
  const bands = lastFrameMemo((f) => bollingerBands(f.close, period, { mult: k }));
  return {
    upper: { key: `bollinger:close:${period}:${k}:upper`, compute: (f) => bands(f).upper },
    // The middle band does not depend on k, so one key serves every k of a sweep.
    middle: { key: `bollinger:close:${period}:middle`, compute: (f) => bands(f).middle },
    lower: { key: `bollinger:close:${period}:${k}:lower`, compute: (f) => bands(f).lower },
  };
}

/** The MACD line and its signal line as requests sharing one `macd` computation per frame. */
export function macdRequests(fast: number, slow: number, signal: number): Record<"macd" | "signal", IndicatorRequest> {
  const m = lastFrameMemo((f) => macd(f.close, { fast, slow, signal }));
  const key = `macd:close:${fast}:${slow}:${signal}`;
  return {
    macd: { key: `${key}:macd`, compute: (f) => m(f).macd },
    signal: { key: `${key}:signal`, compute: (f) => m(f).signal },
  };
}

// Remembers the result for the last frame only: enough for the requests of one call or one
// prefetch, and it never holds more than one frame's worth of series.
function lastFrameMemo<T>(compute: (f: Frame) => T): (f: Frame) => T {
  let frame: Frame | undefined;
  let value: T | undefined;
  return (f) => {
    if (f !== frame) {
      value = compute(f);
      frame = f;
    }
    return value!;
  };
}
