import type { Frame } from "../../frame/mod.ts";
import type { Store } from "../../store/mod.ts";
import type { SeriesId } from "../../types/mod.ts";
import { iso, parseTime } from "./_series.ts";

/** A cell of a returned row: ISO time, a number, or null for NaN/±Infinity (JSON has neither). */
export type Cell = string | number | null;

/** JSON-safe number. */
export function cell(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Bars of `id` in `[from, to)`, resampled to `timeframe` when given; errors name the argument. */
export async function readBars(
  store: Store,
  id: SeriesId,
  args: { from?: string; to?: string; timeframe?: string },
): Promise<{ frame: Frame; timeframe: string }> {
  const from = parseTime("from", args.from);
  const to = parseTime("to", args.to);
  if (from !== undefined && to !== undefined && to <= from) {
    throw new RangeError(`to: ${args.to} is not after from ${args.from}; pass a later to, or leave it out`);
  }
  const range = { from, to };
  if (args.timeframe === undefined || args.timeframe === id.timeframe) {
    return { frame: await store.read(id, range), timeframe: id.timeframe };
  }
  try {
    return { frame: await store.resample(id, args.timeframe, range), timeframe: args.timeframe };
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(`timeframe: ${e.message}`);
    throw e;
  }
}

/** How many rows to return and, when capped, the sentence that says so and how to get the next page. */
export function pageOf(frame: Frame, limit: number): { n: number; nextFrom?: string; capped?: string } {
  const total = frame.length;
  if (total <= limit) return { n: total };
  const nextFrom = iso(frame.ts[limit]!);
  return {
    n: limit,
    nextFrom,
    capped: `capped at ${limit} of ${total} rows in the range; call again with from=${nextFrom} for the next page ` +
      `(limit can go up to 5000), or resample with timeframe`,
  };
}
