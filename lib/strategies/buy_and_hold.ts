import { z } from "zod";
import { defineStrategy } from "./define_strategy.ts";
import type { Strategy } from "./strategy.ts";

const params = z.object({});

/** Parameters of {@link buyAndHold} (none). */
export type BuyAndHoldParams = z.output<typeof params>;

/**
 * **Buy and hold** (`buy_and_hold`), the benchmark every strategy has to beat: buy on the
 * first bar with a price and never sell. With `fill: "next_open"` the buy fills at the second
 * bar's open; with `finalize: "close"` the engine closes the position at the last close.
 *
 * - "First bar with a price" is the first bar whose close is a finite number, so a series that
 *   starts with missing bars still gets its entry.
 * - It never signals a short (empty short arrays, so `direction: "both"` runs it as long only).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { buyAndHold } from "./buy_and_hold.ts";
 * const frame = new Frame(new Float64Array(4), { close: Float64Array.of(NaN, 10, 11, 9) });
 * const s = buyAndHold.signals(frame, {});
 * assert.deepEqual(s.kind === "signals" && [...s.entries], [0, 1, 0, 0]);
 * assert.deepEqual(s.kind === "signals" && [...s.exits], [0, 0, 0, 0]);
 * ```
 */
export const buyAndHold: Strategy<BuyAndHoldParams> = defineStrategy({
  name: "buy_and_hold",
  title: "Buy and hold",
  description: "Buys on the first bar with a price and never sells: the benchmark.",
  params,
  warmup: () => 0,
  signals(frame) {
    const close = frame.close;
    const n = close.length;
    const entries = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = close[i]!;
      if (c - c === 0) {
        entries[i] = 1;
        break;
      }
    }
    return {
      kind: "signals",
      entries,
      exits: new Uint8Array(n),
      shortEntries: new Uint8Array(n),
      shortExits: new Uint8Array(n),
    };
  },
});
