import { z } from "zod";
import type { Frame } from "../../frame/mod.ts";
import {
  adx,
  atr,
  bollingerBands,
  ema,
  macd,
  obv,
  roc,
  rollingStd,
  rsi,
  sma,
  stochastic,
  vwap,
  wma,
  zScore,
} from "../../indicators/mod.ts";

const period = (dflt?: number) => {
  const p = z.number().int().min(1).max(100_000).describe("look-back in bars");
  return dflt === undefined ? p : p.default(dflt);
};
const source = z.enum(["open", "high", "low", "close", "volume"]).default("close").describe("input column");
const ddof = (dflt: number) => z.number().int().min(0).max(1).default(dflt).describe("0 population, 1 sample std");
const seed = z.enum(["sma", "first"]).default("sma").describe(
  "EMA seed: SMA of the first period (TA-Lib) or first value",
);

/** One computed indicator: output name suffix -> series aligned to the frame. */
type Outputs = Record<string, Float64Array>;

interface IndicatorDef<S extends z.ZodObject> {
  schema: S;
  doc: string;
  run(frame: Frame, p: z.output<S>): Outputs;
}

const def = <S extends z.ZodObject>(d: IndicatorDef<S>): IndicatorDef<S> => d;

// Each spec is a strict object with a literal `name`, so the input schema is a discriminated union and a bad
// parameter comes back as a zod error naming `indicators[i].<param>`.
const spec = <T extends z.ZodRawShape, N extends string>(name: N, shape: T) =>
  z.strictObject({ name: z.literal(name), ...shape });

/** name -> param schema, what it is, and how to compute it over a frame. */
export const INDICATORS = {
  sma: def({
    schema: spec("sma", { period: period(), source }),
    doc: "simple moving average",
    run: (f, p) => ({ "": sma(f.col(p.source), p.period) }),
  }),
  ema: def({
    schema: spec("ema", { period: period(), source, seed }),
    doc: "exponential moving average, alpha 2/(period+1)",
    run: (f, p) => ({ "": ema(f.col(p.source), p.period, { seed: p.seed }) }),
  }),
  wma: def({
    schema: spec("wma", { period: period(), source }),
    doc: "linearly weighted moving average",
    run: (f, p) => ({ "": wma(f.col(p.source), p.period) }),
  }),
  roc: def({
    schema: spec("roc", { period: period(), source }),
    doc: "rate of change in percent over period bars",
    run: (f, p) => ({ "": roc(f.col(p.source), p.period) }),
  }),
  rsi: def({
    schema: spec("rsi", { period: period(14), source }),
    doc: "Wilder's relative strength index, 0..100",
    run: (f, p) => ({ "": rsi(f.col(p.source), p.period) }),
  }),
  rolling_std: def({
    schema: spec("rolling_std", { period: period(), source, ddof: ddof(0) }),
    doc: "rolling standard deviation",
    run: (f, p) => ({ "": rollingStd(f.col(p.source), p.period, { ddof: p.ddof }) }),
  }),
  z_score: def({
    schema: spec("z_score", { period: period(), source, ddof: ddof(1) }),
    doc: "(x - rolling mean) / rolling std",
    run: (f, p) => ({ "": zScore(f.col(p.source), p.period, { ddof: p.ddof }) }),
  }),
  bollinger_bands: def({
    schema: spec("bollinger_bands", {
      period: period(20),
      mult: z.number().positive().max(100).default(2).describe("band width in standard deviations"),
      ddof: ddof(0),
      source,
    }),
    doc: "Bollinger bands: middle SMA, upper/lower at mult std, bandwidth, percentB",
    run: (f, p) => ({ ...bollingerBands(f.col(p.source), p.period, { mult: p.mult, ddof: p.ddof }) }),
  }),
  macd: def({
    schema: spec("macd", { fast: period(12), slow: period(26), signal: period(9), seed, source }),
    doc: "MACD line (EMA fast - EMA slow), signal EMA, histogram",
    run: (f, p) => ({ ...macd(f.col(p.source), { fast: p.fast, slow: p.slow, signal: p.signal, seed: p.seed }) }),
  }),
  atr: def({
    schema: spec("atr", { period: period(14) }),
    doc: "Wilder's average true range",
    run: (f, p) => ({ "": atr(f, p.period) }),
  }),
  adx: def({
    schema: spec("adx", { period: period(14) }),
    doc: "Wilder's ADX with +DI and -DI",
    run: (f, p) => ({ ...adx(f, p.period) }),
  }),
  stochastic: def({
    schema: spec("stochastic", { kPeriod: period(14), smoothK: period(1), dPeriod: period(3) }),
    doc: "stochastic oscillator %K and %D, 0..100",
    run: (f, p) => ({ ...stochastic(f, { kPeriod: p.kPeriod, smoothK: p.smoothK, dPeriod: p.dPeriod }) }),
  }),
  obv: def({
    schema: spec("obv", {}),
    doc: "on-balance volume",
    run: (f) => ({ "": obv(f) }),
  }),
  vwap: def({
    schema: spec("vwap", {
      window: period().optional().describe("rolling VWAP over this many bars; leave out for cumulative"),
      sessionMs: z.number().int().positive().optional().describe(
        "restart every session of this length (86400000 = UTC day)",
      ),
      sessionOffsetMs: z.number().int().optional().describe("shift of the session boundaries in ms"),
    }),
    doc: "volume-weighted average price (typical price), cumulative, rolling or per session",
    run: (f, p) => ({
      "": vwap({ high: f.high, low: f.low, close: f.close, volume: f.volume, ts: f.ts }, {
        ...(p.window !== undefined ? { window: p.window } : {}),
        ...(p.sessionMs !== undefined ? { sessionMs: p.sessionMs } : {}),
        ...(p.sessionOffsetMs !== undefined ? { sessionOffsetMs: p.sessionOffsetMs } : {}),
      }),
    }),
  }),
} as const;

/** A registered indicator name. */
export type IndicatorName = keyof typeof INDICATORS;

const schemas = Object.values(INDICATORS).map((d) => d.schema);

/** One requested indicator: `{ name, ...params }`, validated per name. */
export const IndicatorSpecSchema = z.discriminatedUnion(
  "name",
  schemas as unknown as [typeof schemas[number], ...typeof schemas[number][]],
);

/** A parsed request. */
export type IndicatorSpec = z.output<typeof IndicatorSpecSchema>;

/** Column label of one output, e.g. `sma(period=20,source=close)` or `macd(...).signal`. */
export function columnLabel(spec: IndicatorSpec, key: string): string {
  const params = Object.entries(spec).filter(([k, v]) => k !== "name" && v !== undefined).map(([k, v]) => `${k}=${v}`);
  return `${spec.name}(${params.join(",")})${key ? `.${key}` : ""}`;
}

/** Computes `spec` over `frame`; errors say which indicator. */
export function computeIndicator(frame: Frame, spec: IndicatorSpec): Outputs {
  const d = INDICATORS[spec.name] as IndicatorDef<z.ZodObject>;
  try {
    return d.run(frame, spec);
  } catch (e) {
    throw new RangeError(`indicators: ${spec.name}: ${(e as Error).message}`);
  }
}
