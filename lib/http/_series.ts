// Series ids in URLs and queries, validated before anything touches the store or the filesystem.
import { z } from "zod";
import { formatSeries, parseSeries, type SeriesId } from "../types/mod.ts";
import { HttpError } from "./_errors.ts";

/**
 * A series text (`exchange:SYMBOL:timeframe`) parsed with lib/types' SeriesIdSchema rules; ids
 * like `../../etc/passwd` or `x'; drop table bars; --` fail here with a 400, before any lookup.
 */
export const SeriesTextSchema: z.ZodType<SeriesId, string> = z.string().max(160).transform((s, ctx) => {
  try {
    return parseSeries(s);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
});

/** Parses a series path parameter or throws a 400 naming the field. */
export function seriesParam(text: string | undefined, field = "id"): SeriesId {
  const r = SeriesTextSchema.safeParse(text ?? "");
  if (!r.success) {
    throw new HttpError(
      400,
      `invalid series ${JSON.stringify(text ?? "")}`,
      r.error.issues.map((i) => ({ path: [field], message: i.message, code: i.code })),
    );
  }
  return r.data;
}

/** The canonical text of a series. */
export function seriesText(id: SeriesId): string {
  return formatSeries(id);
}

/**
 * A time bound in a query: epoch ms, or an ISO date / date-time (UTC when it has no offset).
 */
export const TimeQuerySchema: z.ZodType<number, string> = z.string().transform((s, ctx) => {
  const v = s.trim();
  let t = NaN;
  if (/^-?\d+$/.test(v)) t = Number(v);
  else if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`;
    t = Date.parse(iso);
  }
  if (!Number.isFinite(t)) {
    ctx.addIssue({ code: "custom", message: `not a time: ${JSON.stringify(s)}; use 2024-01-31 or epoch ms` });
    return z.NEVER;
  }
  return t;
});
