import type { Frame } from "../frame/mod.ts";
import { adx, atr, bollingerBands, ema, macd, roc, rsi, sma, wma, zScore } from "../indicators/mod.ts";

/** One series an indicator key yields: its fact id suffix, label, unit and how to compute it over a whole frame. */
export interface IndicatorOutput {
  id: string;
  label: string;
  /** `price` marks a price level or distance (rebased when the prompt is masked). */
  unit?: string;
  /** Also emit `close_vs_<id>` (% distance of the close), for moving averages. */
  distance?: boolean;
}

/** A parsed indicator key: its outputs and a function computing all of them over a frame (causal, same order). */
export interface IndicatorSpec {
  key: string;
  outputs: IndicatorOutput[];
  compute(frame: Frame): Float64Array[];
}

const COLUMNS = ["open", "high", "low", "close", "volume"];
const FORMS = "sma|ema|wma|rsi|roc|z_score:<column>:<period>, atr:<period>, adx:<period>, " +
  "bollinger:<column>:<period>[:<mult>], macd:<column>[:<fast>:<slow>:<signal>]";

/**
 * Parses a persona's indicator key (`sma:close:50`, `atr:14`, `bollinger:close:20:2`, `macd:close:12:26:9`).
 * Throws a RangeError naming the key and the known forms for anything else.
 */
export function parseIndicatorKey(key: string): IndicatorSpec {
  const parts = key.split(":");
  const name = parts[0]!;
  const bad = (why: string): never => {
    throw new RangeError(`indicator key ${JSON.stringify(key)}: ${why}; known forms: ${FORMS}`);
  };
  const int = (s: string | undefined, what: string): number => {
    const n = Number(s);
    if (s === undefined || !Number.isInteger(n) || n < 1 || String(n) !== s) bad(`${what} must be an integer >= 1`);
    return n;
  };
  const column = (s: string | undefined): string => {
    if (s === undefined || !COLUMNS.includes(s)) bad(`the column must be one of ${COLUMNS.join(", ")}`);
    return s!;
  };
  const id = key.replaceAll(":", "_").replaceAll(".", "p");
  switch (name) {
    case "sma":
    case "ema":
    case "wma":
    case "rsi":
    case "roc":
    case "z_score": {
      if (parts.length !== 3) bad(`${name} takes a column and a period`);
      const col = column(parts[1]);
      const p = int(parts[2], "the period");
      const ma = name === "sma" || name === "ema" || name === "wma";
      const label = name === "z_score"
        ? `z-score(${p}) of ${col}`
        : name === "roc"
        ? `rate of change over ${p} bars of ${col}`
        : `${name.toUpperCase()}(${p}) of ${col}`;
      const unit = name === "roc" ? "%" : ma && col !== "volume" ? "price" : undefined;
      const fn = { sma, ema, wma, rsi, roc, z_score: zScore }[name];
      return {
        key,
        outputs: [{ id, label, unit, distance: ma && col !== "volume" }],
        compute: (f) => [fn(f.columns[col]!, p)],
      };
    }
    case "atr":
    case "adx": {
      if (parts.length !== 2) bad(`${name} takes a period only`);
      const p = int(parts[1], "the period");
      if (name === "atr") {
        return {
          key,
          outputs: [{ id, label: `ATR(${p}), average true range`, unit: "price" }],
          compute: (f) => [atr(f, p)],
        };
      }
      return { key, outputs: [{ id, label: `ADX(${p}), trend strength 0..100` }], compute: (f) => [adx(f, p).adx] };
    }
    case "bollinger": {
      if (parts.length !== 3 && parts.length !== 4) bad("bollinger takes a column, a period and an optional mult");
      const col = column(parts[1]);
      const p = int(parts[2], "the period");
      const mult = parts[3] === undefined ? 2 : Number(parts[3]);
      if (!(mult > 0) || !Number.isFinite(mult)) bad("the mult must be a number > 0");
      const unit = col === "volume" ? undefined : "price";
      return {
        key,
        outputs: [
          { id: `${id}_upper`, label: `upper Bollinger band (${p}, ${mult}) of ${col}`, unit },
          { id: `${id}_lower`, label: `lower Bollinger band (${p}, ${mult}) of ${col}`, unit },
          { id: `${id}_pct_b`, label: `%B: position within the Bollinger bands (0 lower, 1 upper)` },
        ],
        compute: (f) => {
          const b = bollingerBands(f.columns[col]!, p, { mult });
          return [b.upper, b.lower, b.percentB];
        },
      };
    }
    case "macd": {
      if (parts.length !== 2 && parts.length !== 5) bad("macd takes a column and optionally fast, slow and signal");
      const col = column(parts[1]);
      const [fast, slow, signal] = parts.length === 5
        ? [int(parts[2], "fast"), int(parts[3], "slow"), int(parts[4], "signal")]
        : [12, 26, 9];
      const unit = col === "volume" ? undefined : "price";
      const tag = `MACD(${fast}, ${slow}, ${signal}) of ${col}`;
      return {
        key,
        outputs: [
          { id: `${id}_line`, label: `${tag}: line`, unit },
          { id: `${id}_signal`, label: `${tag}: signal`, unit },
          { id: `${id}_hist`, label: `${tag}: histogram`, unit },
        ],
        compute: (f) => {
          const m = macd(f.columns[col]!, { fast, slow, signal });
          return [m.macd, m.signal, m.histogram];
        },
      };
    }
    default:
      return bad(`unknown indicator ${JSON.stringify(name)}`);
  }
}

interface SeriesMemo {
  /** Length and the last row's time and close when the memo was made (a live feed may replace its last bar). */
  guard: [number, number, number];
  series: Map<string, Float64Array[]>;
}

const memos = new WeakMap<Frame, SeriesMemo>();
const specs = new Map<string, IndicatorSpec>();

/** The key's parsed spec, parsed once per process. */
export function indicatorSpec(key: string): IndicatorSpec {
  let s = specs.get(key);
  if (s === undefined) {
    s = parseIndicatorKey(key);
    specs.set(key, s);
  }
  return s;
}

/**
 * The key's series over the whole frame, computed once per frame. Reading index t of a series is causal because every
 * indicator is (its value at t reads bars 0..t only); the no-look-ahead property test checks it against the prefix.
 */
export function indicatorSeries(frame: Frame, key: string): Float64Array[] {
  const n = frame.length;
  const lastTs = n > 0 ? frame.ts[n - 1]! : NaN;
  const lastClose = n > 0 ? frame.close[n - 1]! : NaN;
  let m = memos.get(frame);
  if (m === undefined || m.guard[0] !== n || !Object.is(m.guard[1], lastTs) || !Object.is(m.guard[2], lastClose)) {
    m = { guard: [n, lastTs, lastClose], series: new Map() };
    memos.set(frame, m);
  }
  let s = m.series.get(key);
  if (s === undefined) {
    s = indicatorSpec(key).compute(frame);
    m.series.set(key, s);
  }
  return s;
}
