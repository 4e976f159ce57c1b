/**
 * The columnar frame every part of Sentinel passes around: a `ts` column (epoch ms) and named
 * Float64Array columns, with zero-copy slices and conversions to and from Arrow and arquero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "./mod.ts";
 * const f = new Frame(new Float64Array([0, 1]), { close: new Float64Array([10, 11]) });
 * const back = Frame.fromArrow(f.toArrow());
 * assert.deepEqual([...back.close], [10, 11]);
 * ```
 * @module
 */
export * from "./frame.ts";
