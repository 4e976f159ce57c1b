import type { Feed, FeedBar, FeedStart } from "./feed.ts";

/** Options of {@link MergedFeed}. */
export interface MergedFeedOptions {
  /** At least one feed; all on one timeframe, their symbols disjoint (one feed per exchange). */
  feeds: readonly Feed[];
}

/** A batch a sub-feed handed over, and how to let that sub-feed pull its next one. */
interface Handed {
  batch: FeedBar[];
  taken: () => void;
}

/**
 * One {@link Feed} over several (one per exchange of a live account): each sub-feed's batches are yielded as they
 * come, unchanged, so a batch holds one open time of ONE sub-feed. The runner checks order per symbol only
 * (`checkBatch`: same open time inside a batch, each symbol after its last bar), so exchanges whose bars of one
 * open time close a few milliseconds apart interleave freely: no exchange waits for another's bar.
 *
 * Each sub-feed starts from the start's `after` filtered to its own symbols and stops on the start's signal. A
 * sub-feed pulls its next batch only once the runner took its previous one (no queue grows behind a slow runner).
 * The merge ends when every sub-feed has ended; when one fails, the others are stopped and awaited, then its error
 * is rethrown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { MergedFeed, ReplayFeed } from "./mod.ts";
 * const H = 3_600_000;
 * const frame = Frame.fromBars([0, 1, 2].map((i) => ({ ts: i * H, open: 1, high: 1, low: 1, close: 1, volume: 1 })));
 * const feed = new MergedFeed({ feeds: [
 *   new ReplayFeed({ frames: { "BTC/USDT": frame }, timeframe: "1h" }),
 *   new ReplayFeed({ frames: { "ETH/USD": frame }, timeframe: "1h" }),
 * ] });
 * assert.deepEqual(feed.symbols, ["BTC/USDT", "ETH/USD"]);
 * const seen: string[] = [];
 * for await (const batch of feed.batches({ after: new Map([["ETH/USD", 0]]) })) {
 *   seen.push(...batch.map((b) => `${b.symbol}@${b.ts / H}`));
 * }
 * assert.deepEqual(seen.sort(), ["BTC/USDT@0", "BTC/USDT@1", "BTC/USDT@2", "ETH/USD@1", "ETH/USD@2"]);
 * ```
 */
export class MergedFeed implements Feed {
  readonly symbols: readonly string[];
  readonly timeframe: string;
  readonly #feeds: readonly Feed[];

  constructor(options: MergedFeedOptions) {
    const feeds = options.feeds;
    const first = feeds[0];
    if (first === undefined) throw new RangeError("MergedFeed needs at least one feed (one per exchange)");
    const owner = new Map<string, number>();
    feeds.forEach((f, i) => {
      if (f.timeframe !== first.timeframe) {
        throw new RangeError(
          `MergedFeed: feed ${i} is on ${f.timeframe} and feed 0 on ${first.timeframe}: merge feeds of one timeframe`,
        );
      }
      for (const s of f.symbols) {
        const j = owner.get(s);
        if (j !== undefined) {
          throw new RangeError(
            `MergedFeed: ${s} is in feed ${j} and feed ${i}: each symbol comes from one feed (one exchange)`,
          );
        }
        owner.set(s, i);
      }
    });
    this.#feeds = [...feeds];
    this.symbols = feeds.flatMap((f) => f.symbols);
    this.timeframe = first.timeframe;
  }

  async *batches(start: FeedStart): AsyncIterable<FeedBar[]> {
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    if (start.signal?.aborted) stop.abort();
    start.signal?.addEventListener("abort", onAbort, { once: true });
    const ready: Handed[] = [];
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    let running = this.#feeds.length;
    let failure: { error: unknown } | undefined;
    const pump = async (feed: Feed): Promise<void> => {
      const after = new Map<string, number>();
      for (const s of feed.symbols) {
        const t = start.after.get(s);
        if (t !== undefined) after.set(s, t);
      }
      try {
        for await (const batch of feed.batches({ after, signal: stop.signal })) {
          if (stop.signal.aborted) break;
          await new Promise<void>((taken) => {
            ready.push({ batch, taken });
            notify();
          });
          if (stop.signal.aborted) break;
        }
      } catch (e) {
        failure ??= { error: e };
        stop.abort();
      } finally {
        running--;
        notify();
      }
    };
    // Every pump awaits its batch being taken: release them all when stopping, or they would wait forever.
    stop.signal.addEventListener("abort", () => {
      for (const h of ready.splice(0)) h.taken();
      notify();
    }, { once: true });
    const pumps = this.#feeds.map(pump);
    try {
      for (;;) {
        if (failure !== undefined || stop.signal.aborted) break;
        const next = ready.shift();
        if (next !== undefined) {
          next.taken();
          yield next.batch;
          continue;
        }
        if (running === 0) break;
        await new Promise<void>((resolve) => wake = resolve);
      }
    } finally {
      stop.abort();
      start.signal?.removeEventListener("abort", onAbort);
      await Promise.all(pumps);
    }
    if (failure !== undefined) throw failure.error;
  }
}
