import type { Frame } from "../frame/mod.ts";

/** Bars of the union timeline an asset has no bar for. Nothing is filled in for them. */
export interface MissingReport {
  /** Union bars inside the asset's own first..last span that it lacks (gaps). */
  count: number;
  /** Times (epoch ms) of the first few such gaps (up to 5). */
  first: number[];
  /** Union bars before the asset's first bar (not listed yet). */
  before: number;
  /** Union bars after the asset's last bar. */
  after: number;
}

/** The union timeline of several frames and where each frame's rows sit on it. */
export interface Alignment {
  /** Union of all frames' `ts`, increasing. */
  ts: Float64Array;
  /** Per asset: `index[a][u]` is the asset's own row at union bar u, or -1 when it has no bar there. */
  index: Record<string, Int32Array>;
  /** Per asset: the union bars it lacks. */
  missing: Record<string, MissingReport>;
}

/**
 * Aligns frames on the union of their timestamps. A bar missing for one asset is reported,
 * never invented. Each frame's `ts` must be strictly increasing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { alignFrames } from "./align_frames.ts";
 * const a = new Frame(new Float64Array([0, 1, 2]), {});
 * const b = new Frame(new Float64Array([0, 2]), {});
 * const al = alignFrames({ a, b });
 * assert.deepEqual([...al.ts], [0, 1, 2]);
 * assert.deepEqual([...al.index.b!], [0, -1, 1]);
 * assert.deepEqual(al.missing.b, { count: 1, first: [1], before: 0, after: 0 });
 * ```
 */
export function alignFrames(frames: Record<string, Frame>): Alignment {
  const names = Object.keys(frames);
  let total = 0;
  for (const name of names) {
    const ts = frames[name]!.ts;
    for (let i = 1; i < ts.length; i++) {
      if (!(ts[i]! > ts[i - 1]!)) {
        throw new RangeError(
          `frame ${JSON.stringify(name)} has ts[${i}] = ${ts[i]} not after ts[${i - 1}] = ${
            ts[i - 1]
          }: sort and deduplicate it (see its quality report)`,
        );
      }
    }
    total += ts.length;
  }
  const all = new Float64Array(total);
  let k = 0;
  for (const name of names) {
    all.set(frames[name]!.ts, k);
    k += frames[name]!.length;
  }
  all.sort();
  let m = 0;
  for (let i = 0; i < total; i++) if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i]!;
  const ts = all.slice(0, m);

  const index: Record<string, Int32Array> = {};
  const missing: Record<string, MissingReport> = {};
  for (const name of names) {
    const own = frames[name]!.ts;
    const idx = new Int32Array(m).fill(-1);
    const rep: MissingReport = { count: 0, first: [], before: 0, after: 0 };
    let j = 0;
    for (let u = 0; u < m; u++) {
      if (j < own.length && own[j] === ts[u]) idx[u] = j++;
      else if (j === 0) rep.before++;
      else if (j === own.length) rep.after++;
      else {
        rep.count++;
        if (rep.first.length < 5) rep.first.push(ts[u]!);
      }
    }
    index[name] = idx;
    missing[name] = rep;
  }
  return { ts, index, missing };
}
