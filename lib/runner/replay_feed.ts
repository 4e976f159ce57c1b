import type { Frame } from "../frame/mod.ts";
import { abortableSleep } from "../data/_retry.ts";
import { timeframeMs } from "../types/mod.ts";
import type { Feed, FeedBar, FeedStart } from "./feed.ts";

/** Options of {@link ReplayFeed}. */
export interface ReplayFeedOptions {
  /** The bars per symbol (each frame sorted by `ts`, with open/high/low/close; volume optional). */
  frames: Readonly<Record<string, Frame>>;
  /** ccxt timeframe of the bars. */
  timeframe: string;
  /** Exchange id recorded with each bar, when the data came from one. */
  exchange?: string;
  /**
   * `"max"` (default): as fast as the runner takes them. A number: that many times real time (`60` replays an hour
   * of 1m bars in a minute); the wait between batches is the bars' time step divided by it.
   */
  speed?: "max" | number;
}

/**
 * Replays stored bars through the runner as if they were closing live: batches of bars with the same open time, in
 * time order, resuming after the bars the runner already processed. This is how paper runs are rehearsed and how
 * the parity check drives the runner.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { ReplayFeed } from "./replay_feed.ts";
 * const f = (c: number[]) => Frame.fromBars(c.map((x, i) => ({ ts: i * 60_000, open: x, high: x, low: x, close: x, volume: 1 })));
 * const feed = new ReplayFeed({ frames: { A: f([1, 2, 3]), B: f([5, 6]) }, timeframe: "1m" });
 * const seen: string[] = [];
 * for await (const b of feed.batches({ after: new Map([["A", 0]]) })) seen.push(b.map((x) => `${x.symbol}${x.ts / 60_000}`).join(","));
 * assert.deepEqual(seen, ["B0", "A1,B1", "A2"]);
 * ```
 */
export class ReplayFeed implements Feed {
  readonly symbols: readonly string[];
  readonly timeframe: string;
  readonly #o: ReplayFeedOptions;

  constructor(options: ReplayFeedOptions) {
    const speed = options.speed ?? "max";
    if (speed !== "max" && !(typeof speed === "number" && speed > 0 && Number.isFinite(speed))) {
      throw new RangeError(`replay speed must be "max" or a factor > 0, got ${JSON.stringify(speed)}`);
    }
    timeframeMs(options.timeframe);
    this.#o = options;
    this.symbols = Object.keys(options.frames).sort();
    this.timeframe = options.timeframe;
  }

  /** Bars in the data, all symbols together. */
  get length(): number {
    let n = 0;
    for (const f of Object.values(this.#o.frames)) n += f.length;
    return n;
  }

  async *batches(start: FeedStart): AsyncIterable<FeedBar[]> {
    const { frames, exchange } = this.#o;
    const speed = this.#o.speed ?? "max";
    const syms = this.symbols;
    const cursor = syms.map((s) => {
      const f = frames[s]!;
      const after = start.after.get(s);
      let k = 0;
      if (after !== undefined) { while (k < f.length && f.ts[k]! <= after) k++; }
      return k;
    });
    const stepMs = timeframeMs(this.timeframe);
    for (;;) {
      if (start.signal?.aborted) return;
      let ts = Infinity;
      for (let j = 0; j < syms.length; j++) {
        const f = frames[syms[j]!]!;
        if (cursor[j]! < f.length && f.ts[cursor[j]!]! < ts) ts = f.ts[cursor[j]!]!;
      }
      if (ts === Infinity) return;
      const batch: FeedBar[] = [];
      for (let j = 0; j < syms.length; j++) {
        const f = frames[syms[j]!]!;
        const k = cursor[j]!;
        if (k < f.length && f.ts[k] === ts) {
          const c = f.columns;
          batch.push({
            symbol: syms[j]!,
            timeframe: this.timeframe,
            ...(exchange ? { exchange } : {}),
            ts,
            open: c.open![k]!,
            high: c.high![k]!,
            low: c.low![k]!,
            close: c.close![k]!,
            volume: c.volume?.[k] ?? 0,
          });
          cursor[j] = k + 1;
        }
      }
      yield batch;
      if (speed !== "max") {
        try {
          await abortableSleep(stepMs / speed, start.signal);
        } catch {
          return;
        }
      }
    }
  }
}
