import { BollingerStream } from "./bollinger_stream.ts";
import { EmaStream } from "./ema_stream.ts";
import type { IndicatorStream, StreamBar, StreamColumn } from "./indicator_stream.ts";
import { MacdStream } from "./macd_stream.ts";
import { RsiStream } from "./rsi_stream.ts";
import { SmaStream } from "./sma_stream.ts";

/** A stream for one strategy cache key: its value is that key's series at the last pushed bar. */
export interface KeyedStream {
  /** The cache key it was made for. */
  readonly key: string;
  /** Feeds the next closed bar; returns the key's value at it. */
  push(bar: StreamBar): number;
  /** The key's value after the last push; NaN before the first and during warm-up. */
  readonly value: number;
}

const COLUMNS: readonly string[] = ["open", "high", "low", "close", "volume"];

/**
 * The incremental twin of a strategy indicator key (`lib/strategies/_requests.ts`), or
 * `undefined` for a key it does not know (the caller then recomputes the series). Known keys,
 * with any of open/high/low/close/volume as the column:
 *
 * - `sma:<col>:<period>`, `ema:<col>:<period>` (SMA seed), `rsi:<col>:<period>`
 * - `bollinger:<col>:<period>:<k>:upper|lower` and `bollinger:<col>:<period>:middle`
 *   (`bollingerBands(values, period, { mult: k })`)
 * - `macd:<col>:<fast>:<slow>:<signal>:macd|signal` (`macd(values, { fast, slow, signal })`)
 *
 * Numbers must be written as `String(number)` writes them, as the requests build their keys;
 * `sma:close:020` is not a key any request makes, so it is unknown. Well-formed keys with
 * invalid parameters (`sma:close:0`, a MACD with fast >= slow) throw the same RangeError the
 * stream's constructor throws, as recomputing them would.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamForKey } from "./stream_for_key.ts";
 * const s = streamForKey("sma:close:2")!;
 * const bar = (close: number) => ({ open: close, high: close, low: close, close, volume: 1 });
 * assert.deepEqual([1, 2, 3].map((c) => s.push(bar(c))), [NaN, 1.5, 2.5]);
 * assert.equal(streamForKey("vwap:close:20"), undefined);
 * ```
 */
export function streamForKey(key: string): KeyedStream | undefined {
  const parts = key.split(":");
  const [name, column] = parts;
  if (column === undefined || !COLUMNS.includes(column)) return undefined;
  const col = column as StreamColumn;
  const nums = parts.slice(2).map(canonicalNumber);
  switch (name) {
    case "sma":
    case "ema":
    case "rsi": {
      if (parts.length !== 3 || nums[0] === undefined) return undefined;
      const period = nums[0];
      const s = name === "sma"
        ? new SmaStream(period, { column: col })
        : name === "ema"
        ? new EmaStream(period, { column: col })
        : new RsiStream(period, { column: col });
      return keyed(key, s, (x) => x.value);
    }
    case "bollinger": {
      const period = nums[0];
      if (period === undefined) return undefined;
      if (parts.length === 4 && parts[3] === "middle") {
        // The middle band does not depend on k; any mult gives the same SMA.
        return keyed(key, new BollingerStream(period, { column: col }), (b) => b.middle);
      }
      const k = nums[1];
      if (parts.length !== 5 || k === undefined) return undefined;
      const band = parts[4];
      if (band === "upper") return keyed(key, new BollingerStream(period, { column: col, mult: k }), (b) => b.upper);
      if (band === "lower") return keyed(key, new BollingerStream(period, { column: col, mult: k }), (b) => b.lower);
      return undefined;
    }
    case "macd": {
      const [fast, slow, signal] = nums;
      if (parts.length !== 6 || fast === undefined || slow === undefined || signal === undefined) return undefined;
      const output = parts[5];
      if (output !== "macd" && output !== "signal") return undefined;
      const m = new MacdStream({ column: col, fast, slow, signal });
      return output === "macd" ? keyed(key, m, (x) => x.macd) : keyed(key, m, (x) => x.signal);
    }
    default:
      return undefined;
  }
}

// The number a key segment spells, if the requests could have written it (`${n}`).
function canonicalNumber(text: string): number | undefined {
  const n = Number(text);
  return text !== "" && String(n) === text ? n : undefined;
}

function keyed<S extends IndicatorStream>(key: string, stream: S, read: (s: S) => number): KeyedStream {
  return {
    key,
    push(bar: StreamBar): number {
      stream.push(bar);
      return read(stream);
    },
    get value(): number {
      return read(stream);
    },
  };
}
