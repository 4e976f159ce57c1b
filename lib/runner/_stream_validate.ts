// Checks on what the market stream sends, kept free of I/O so each rule is tested message by message.

/** A kline message that passed the schema check. */
export interface StreamKline {
  /** Exchange market id (`BTCUSDT`). */
  marketId: string;
  /** Exchange interval (`1m`). */
  interval: string;
  /** Bar open time, epoch ms. */
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Whether this is the bar's final update (`x`). */
  closed: boolean;
  /** Exchange event time `E`, epoch ms. */
  eventTime: number;
}

/** What {@link readKline} made of a message. */
export type KlineRead =
  | { ok: true; kline: StreamKline }
  /** A kline event that fails the schema; `marketId` when it could be read. */
  | { ok: false; problem: string; marketId?: string }
  /** Not a kline event (acks, trades, tickers): not ours to judge. */
  | undefined;

/**
 * Reads a Binance kline event (`{e:"kline",E,s,k:{t,T,i,o,h,l,c,v,x}}`, bare or wrapped in `{stream, data}` as on
 * combined streams) and checks it: whole-ms times with `T` inside the bar, finite non-negative prices and volume as
 * decimal strings or numbers, low <= open, close <= high, `x` a boolean. ccxt.pro parses with `safeFloat`, which
 * turns junk into undefined without a word, so the schema is checked here on the raw message.
 */
export function readKline(message: unknown, tfMs: number): KlineRead {
  let m = message as Record<string, unknown> | null;
  if (m === null || typeof m !== "object") return undefined;
  if (typeof m.stream === "string" && m.data !== null && typeof m.data === "object") {
    m = m.data as Record<string, unknown>;
  }
  if (m.e !== "kline") return undefined;
  const k = m.k as Record<string, unknown> | null | undefined;
  const marketId = typeof m.s === "string" ? m.s : typeof k?.s === "string" ? k.s : undefined;
  const bad = (problem: string): KlineRead => ({ ok: false, problem, ...(marketId === undefined ? {} : { marketId }) });
  if (k === null || typeof k !== "object") return bad("no k object");
  if (marketId === undefined) return bad("no market id s");
  if (typeof k.i !== "string") return bad(`interval i is ${JSON.stringify(k.i)}`);
  const E = m.E, t = k.t, T = k.T;
  if (!isWholeMs(E)) return bad(`event time E is ${JSON.stringify(E)}`);
  if (!isWholeMs(t)) return bad(`open time t is ${JSON.stringify(t)}`);
  if (T !== undefined && (!isWholeMs(T) || T < t || T >= t + tfMs)) {
    return bad(`close time T ${JSON.stringify(T)} is not inside the bar opened at ${t}`);
  }
  if (typeof k.x !== "boolean") return bad(`closed flag x is ${JSON.stringify(k.x)}`);
  const open = num(k.o), high = num(k.h), low = num(k.l), close = num(k.c), volume = num(k.v);
  if (Number.isNaN(open) || Number.isNaN(high) || Number.isNaN(low) || Number.isNaN(close) || Number.isNaN(volume)) {
    return bad(`a price or volume is not a number (o ${k.o}, h ${k.h}, l ${k.l}, c ${k.c}, v ${k.v})`);
  }
  if (open < 0 || high < 0 || low < 0 || close < 0 || volume < 0) return bad("negative price or volume");
  if (low > high || open > high || close > high || open < low || close < low) {
    return bad(`prices out of their range (o ${open}, h ${high}, l ${low}, c ${close})`);
  }
  return {
    ok: true,
    kline: { marketId, interval: k.i, ts: t, open, high, low, close, volume, closed: k.x, eventTime: E },
  };
}

function isWholeMs(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

/** A finite number from a decimal string or a number; NaN otherwise. */
function num(v: unknown): number {
  if (typeof v === "number") return Number.isFinite(v) ? v : NaN;
  if (typeof v !== "string" || !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) return NaN;
  const n = Number(v);
  return Number.isFinite(n) ? n : NaN;
}

/** Options for {@link SpikeGuard}. */
export interface SpikeGuardOptions {
  /** Returns kept to measure volatility. Default 50. */
  window?: number;
  /** Returns needed before anything is judged a spike. Default 10. */
  minSamples?: number;
  /** A close moving more than this many RMS returns from the previous close is a spike. Default 8. */
  multiple?: number;
  /** A move below this absolute log return is never a spike (flat markets have an RMS near 0). Default 0.02. */
  floor?: number;
}

/**
 * Recent volatility of one symbol (the RMS of close-to-close log returns over a window, in a ring buffer: no
 * allocation per bar) and the spike test against it.
 */
export class SpikeGuard {
  readonly #ring: Float64Array;
  readonly #min: number;
  readonly #multiple: number;
  readonly #floor: number;
  #n = 0;
  #i = 0;
  #sumSq = 0;
  #prev = NaN;

  constructor(options: SpikeGuardOptions = {}) {
    const window = options.window ?? 50;
    this.#min = options.minSamples ?? 10;
    this.#multiple = options.multiple ?? 8;
    this.#floor = options.floor ?? 0.02;
    if (!Number.isInteger(window) || window < 2) throw new RangeError(`Invalid spike window ${window}: use >= 2`);
    if (!Number.isInteger(this.#min) || this.#min < 1 || this.#min > window) {
      throw new RangeError(`Invalid spike minSamples ${this.#min}: use a whole number in [1, window ${window}]`);
    }
    if (!(this.#multiple > 0)) throw new RangeError(`Invalid spike multiple ${this.#multiple}: use a number > 0`);
    if (!(this.#floor >= 0)) throw new RangeError(`Invalid spike floor ${this.#floor}: use a number >= 0`);
    this.#ring = new Float64Array(window);
  }

  /** The last accepted close (NaN before the first). */
  get previous(): number {
    return this.#prev;
  }

  /** Returns the limit and move when `close` is a spike against the window, else undefined. */
  judge(close: number): { move: number; limit: number } | undefined {
    if (this.#n < this.#min || !(this.#prev > 0) || !(close > 0)) return undefined;
    const move = Math.abs(Math.log(close / this.#prev));
    const limit = Math.max(this.#floor, this.#multiple * Math.sqrt(this.#sumSq / this.#n));
    return move > limit ? { move, limit } : undefined;
  }

  /** Takes `close` as the symbol's next accepted close. */
  accept(close: number): void {
    if (this.#prev > 0 && close > 0) {
      const r = Math.log(close / this.#prev);
      const cap = this.#ring.length;
      if (this.#n === cap) this.#sumSq -= this.#ring[this.#i]!;
      else this.#n++;
      this.#ring[this.#i] = r * r;
      this.#sumSq += r * r;
      this.#i = (this.#i + 1) % cap;
      // Running sums drift below zero by rounding once big returns leave the window.
      if (this.#sumSq < 0) this.#sumSq = 0;
    }
    this.#prev = close;
  }
}

/** Latency samples of one kind in a ring buffer; quantiles on demand. */
export class LatencyWindow {
  readonly #ring: Float64Array;
  #n = 0;
  #i = 0;
  #last = NaN;
  #max = NaN;
  #count = 0;

  constructor(size = 2048) {
    this.#ring = new Float64Array(size);
  }

  add(ms: number): void {
    this.#ring[this.#i] = ms;
    this.#i = (this.#i + 1) % this.#ring.length;
    if (this.#n < this.#ring.length) this.#n++;
    this.#last = ms;
    this.#count++;
    if (!(ms <= this.#max)) this.#max = ms;
  }

  /** Count (all time), last, and p50 / p99 / max over the last samples kept (NaN when none). */
  snapshot(): LatencySnapshot {
    if (this.#n === 0) return { count: 0, last: NaN, p50: NaN, p99: NaN, max: NaN };
    const sorted = this.#ring.slice(0, this.#n).sort();
    return {
      count: this.#count,
      last: this.#last,
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      max: this.#max,
    };
  }
}

/** Milliseconds figures of one measure. `p50`/`p99` cover the most recent samples (2048 by default). */
export interface LatencySnapshot {
  count: number;
  last: number;
  p50: number;
  p99: number;
  /** Largest since the start. */
  max: number;
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}
