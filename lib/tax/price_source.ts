import { Store } from "../store/mod.ts";
import { type SeriesId, timeframeMs } from "../types/mod.ts";
import { fixed, MONEY_DP, numberToFixed } from "./fixed.ts";
import { DEFAULT_PAR } from "./par_currencies.ts";

/** A price and where it came from, for an event's `note`. */
export interface PriceQuote {
  /** The asset's price in the reporting currency at scale {@link MONEY_DP}. */
  price: bigint;
  /** Where it came from: "binance ETH/USDT 1h bar 2025-03-04T10:00:00.000Z close 1800.5". */
  source: string;
}

/**
 * Prices of assets in the reporting currency, for crypto-to-crypto trades, income without a value and fees paid in
 * a third asset. A missing price throws an error naming `what` (the trade or row that needed it); a source never
 * guesses (no nearest bar, no interpolation).
 */
export interface PriceSource {
  /** The price of one unit of `asset` at `time` (epoch ms) at scale {@link MONEY_DP}; throws naming `what` when missing. */
  price(asset: string, time: number, what: string): Promise<bigint>;
  /** Like {@link price}, with where the price came from; readers use it for the event's note when present. */
  quote?(asset: string, time: number, what: string): Promise<PriceQuote>;
}

/** Options of {@link storePriceSource}. */
export interface StorePriceSourceOptions {
  /** The data dir of the store (opened read-only on the first price asked). Default: `resolveDataDir()`'s. */
  dataDir?: string;
  /** A store already open (read-only or not); it is not closed by {@link StorePriceSource.close}. */
  store?: Store;
  /** Quote currencies taken at par as the reporting currency; default {@link DEFAULT_PAR}. */
  par?: readonly string[];
}

/** A {@link PriceSource} over the store; close it when done (it closes the store it opened). */
export interface StorePriceSource extends PriceSource {
  quote(asset: string, time: number, what: string): Promise<PriceQuote>;
  close(): void;
  [Symbol.dispose](): void;
}

interface Candidate {
  id: SeriesId;
  /** Bar length in ms (months and years: their longest, only to skip series that cannot hold the time). */
  span: number;
  first: number;
  last: number;
}

interface Closes {
  ts: Float64Array;
  close: Float64Array;
}

/**
 * Prices from the store's series: the close of the bar containing `time` (its open time `<= time <` its end) of a
 * series `ASSET/<par>` (any exchange), preferring the finest timeframe that has such a bar, then the order of
 * `par`, then the exchange's name. A par currency's own price is 1. The store is opened read-only (nothing is
 * written or cleaned) and each series is loaded once and kept, so a ledger of many trades reads each series once.
 *
 * Why the close: the bar containing the trade is the stored fact nearest to it that is not in the future of the
 * bar's open; the close is what most tax tools call the day's (or hour's) fair market value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { Store } from "../store/mod.ts";
 * import { formatFixed, MONEY_DP, storePriceSource } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * const store = await Store.open({ dir: dataDir });
 * const h = 3_600_000, t0 = Date.UTC(2025, 2, 4);
 * const bars = Frame.fromBars([0, 1].map((i) => ({ ts: t0 + i * h, open: 1, high: 2, low: 1, close: 1800 + i, volume: 1 })));
 * await store.append({ exchange: "binance", symbol: "ETH/USDT", timeframe: "1h" }, bars);
 * store.close();
 * using prices = storePriceSource({ dataDir });
 * assert.equal(formatFixed(await prices.price("ETH", t0 + h + 60_000, "trade 1"), MONEY_DP), "1801.000000000000");
 * await assert.rejects(() => prices.price("ETH", t0 + 2 * h, "trade 2"), /no stored price for ETH at 2025-03-04T02:00:00.000Z \(trade 2\)/);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function storePriceSource(options: StorePriceSourceOptions = {}): StorePriceSource {
  const parList = options.par ?? DEFAULT_PAR;
  const par = new Set(parList);
  const given = options.store;
  let opened: Promise<Store> | undefined;
  let catalog: Promise<Map<string, Candidate[]>> | undefined;
  const loaded = new Map<string, Promise<Closes>>();
  const ONE = fixed(1, MONEY_DP);

  const store = (): Promise<Store> => {
    if (given) return Promise.resolve(given);
    return opened ??= Store.open({ dir: options.dataDir, readOnly: true, threads: 1 });
  };

  const candidatesOf = async (asset: string): Promise<Candidate[]> => {
    catalog ??= (async () => {
      const byBase = new Map<string, Candidate[]>();
      for (const info of await (await store()).list()) {
        const m = /^([^/:]+)\/([^/:]+)$/.exec(info.symbol); // spot only: a swap's price is not the asset's
        if (!m || !par.has(m[2]!)) continue;
        const c: Candidate = {
          id: { exchange: info.exchange, symbol: info.symbol, timeframe: info.timeframe },
          span: spanOf(info.timeframe),
          first: info.first,
          last: info.last,
        };
        const list = byBase.get(m[1]!);
        if (list) list.push(c);
        else byBase.set(m[1]!, [c]);
      }
      for (const list of byBase.values()) {
        list.sort((a, b) =>
          a.span - b.span || parList.indexOf(quoteOf(a.id.symbol)) - parList.indexOf(quoteOf(b.id.symbol)) ||
          a.id.exchange.localeCompare(b.id.exchange)
        );
      }
      return byBase;
    })();
    return (await catalog).get(asset) ?? [];
  };

  const closesOf = (id: SeriesId): Promise<Closes> => {
    const key = `${id.exchange}:${id.symbol}:${id.timeframe}`;
    let p = loaded.get(key);
    if (!p) {
      p = store().then((s) => s.read(id)).then((f) => ({ ts: f.ts, close: f.close }));
      loaded.set(key, p);
      p.catch(() => loaded.delete(key));
    }
    return p;
  };

  const quote = async (asset: string, time: number, what: string): Promise<PriceQuote> => {
    if (!Number.isFinite(time)) throw new RangeError(`time ${time} of ${what} is not a finite epoch ms`);
    if (par.has(asset)) return { price: ONE, source: `${asset} taken at par` };
    const candidates = await candidatesOf(asset);
    for (const c of candidates) {
      if (time < c.first || time >= c.last + c.span) continue;
      const { ts, close } = await closesOf(c.id);
      const i = lastAtOrBefore(ts, time);
      if (i < 0) continue;
      const open = ts[i]!, px = close[i]!;
      if (time >= barEnd(open, c.id.timeframe) || !(px > 0) || !Number.isFinite(px)) continue;
      return {
        price: numberToFixed(px, MONEY_DP, `${c.id.symbol} close`),
        source: `${c.id.exchange} ${c.id.symbol} ${c.id.timeframe} bar ${new Date(open).toISOString()} close ${px}`,
      };
    }
    const stored = candidates.map((c) => `${c.id.exchange}:${c.id.symbol}:${c.id.timeframe}`);
    const why = stored.length
      ? `none of the stored series ${stored.join(", ")} has a bar containing that time`
      : `no ${asset}/${parList.join("|")} series is stored`;
    throw new RangeError(
      `no stored price for ${asset} at ${new Date(time).toISOString()} (${what}): ${why}; download one, e.g. ` +
        `deno task data download --symbol ${asset}/${parList[1] ?? parList[0] ?? "USDT"} --timeframe 1h --since DATE`,
    );
  };

  const close = (): void => {
    const p = opened;
    opened = undefined;
    p?.then((s) => s.close(), () => {});
  };

  return {
    quote,
    price: async (asset, time, what) => (await quote(asset, time, what)).price,
    close,
    [Symbol.dispose]: close,
  };
}

function quoteOf(symbol: string): string {
  return symbol.slice(symbol.indexOf("/") + 1);
}

/** A bar's longest length: calendar months and years are taken at 31 and 366 days for the range check only. */
function spanOf(timeframe: string): number {
  const m = /^(\d+)([My])$/.exec(timeframe);
  if (m) return Number(m[1]) * (m[2] === "M" ? 31 : 366) * 86_400_000;
  return timeframeMs(timeframe);
}

/** The end of the bar opened at `open` (exclusive); months and years by the UTC calendar. */
function barEnd(open: number, timeframe: string): number {
  const m = /^(\d+)([My])$/.exec(timeframe);
  if (!m) return open + timeframeMs(timeframe);
  const d = new Date(open);
  const n = Number(m[1]);
  if (m[2] === "M") d.setUTCMonth(d.getUTCMonth() + n);
  else d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.getTime();
}

/** Index of the last `ts <= t`, or -1. */
function lastAtOrBefore(ts: Float64Array, t: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
