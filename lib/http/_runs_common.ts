// What the runs pages and the runs API share: id and list-query validation, the list query.
import { z } from "zod";
import type { RunRecord } from "../runs/mod.ts";
import { HttpError } from "./_errors.ts";
import type { Lab } from "./_lab.ts";

export const RUN_ID = z.string().max(80).regex(/^[A-Za-z0-9_-]+$/, "a run id is letters, digits, _ and - (see /runs)");

export const ListQuerySchema = z.strictObject({
  strategy: z.string().max(64).optional(),
  series: z.string().max(160).optional(),
  kind: z.enum(["single", "sweep", "walk_forward", ""]).optional(),
  source: z.enum(["cli", "web", "job", ""]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** A run id from the path, or a 400 naming the rule. */
export function runIdParam(id: string | undefined): string {
  const r = RUN_ID.safeParse(id ?? "");
  if (!r.success) {
    throw new HttpError(400, "invalid run id", r.error.issues.map((i) => ({ path: ["id"], message: i.message })));
  }
  return r.data;
}

/** The runs matching the list filters (only the ones given), newest first. */
export function listRuns(lab: Lab, q: z.infer<typeof ListQuerySchema>, defaultLimit: number): Promise<RunRecord[]> {
  return lab.runs.list({
    ...(q.strategy ? { strategy: q.strategy } : {}),
    ...(q.series ? { series: q.series } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.source ? { source: q.source } : {}),
    limit: q.limit ?? defaultLimit,
  });
}
