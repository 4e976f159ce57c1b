import type { Frame } from "../frame/mod.ts";
import type { AnyStrategy, PrepareOptions } from "./strategy.ts";

/**
 * Awaits a strategy's {@link Strategy.prepare} pre-pass on `frame` when it has one; a no-op otherwise (portfolio
 * strategies included), so every caller of `signals` that can await writes one line. `params` must be parsed
 * (`parseParams`), as for `signals`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { Frame } from "../frame/mod.ts";
 * import { defineStrategy } from "./define_strategy.ts";
 * import { prepareStrategy } from "./prepare_strategy.ts";
 * import { smaCross } from "./sma_cross.ts";
 * const memo = new Map<number, number>();
 * const rising = defineStrategy({
 *   name: "rising",
 *   title: "Rising close",
 *   description: "Long while the close rose on the bar, decided by an asynchronous pre-pass.",
 *   params: z.object({}),
 *   warmup: () => 1,
 *   async prepare(frame) {
 *     for (let t = 1; t < frame.length; t++) {
 *       if (!memo.has(frame.ts[t]!)) memo.set(frame.ts[t]!, await Promise.resolve(+(frame.close[t]! > frame.close[t - 1]!)));
 *     }
 *   },
 *   signals(frame) {
 *     const entries = Uint8Array.from(frame.ts, (ts) => memo.get(ts) ?? 0);
 *     return { kind: "signals", entries, exits: entries.map((e) => 1 - e) };
 *   },
 * });
 * const frame = new Frame(Float64Array.of(0, 1, 2), { close: Float64Array.of(1, 2, 1) });
 * await prepareStrategy(rising, frame, {});
 * const s = rising.signals(frame, {});
 * assert.deepEqual(s.kind === "signals" && [...s.entries], [0, 1, 0]);
 * await prepareStrategy(smaCross, frame, smaCross.params.parse({})); // nothing to prepare
 * ```
 */
export async function prepareStrategy<P>(
  strategy: AnyStrategy,
  frame: Frame,
  params: P,
  options?: PrepareOptions,
): Promise<void> {
  if (strategy.kind === "portfolio" || strategy.prepare === undefined) return;
  options?.signal?.throwIfAborted();
  await strategy.prepare(frame, params, options);
}
