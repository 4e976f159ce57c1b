import type { RunRecord, RunRegistry } from "../../runs/mod.ts";
import { runProvenance } from "../tools/_provenance.ts";
import { openRuns, runFacts } from "../tools/_research.ts";
import { defineResource, type McpResource, notFound, type ResourceContext } from "./_resource.ts";

/** Most runs `resources/list` shows per run template, newest first; `list_runs` filters and pages the others. */
export const RUN_RESOURCES_LISTED = 200;

/** Said in every error about an unknown run. */
export const RUN_URI_HINT = "run URIs are sentinel://runs/<id> with an id from resources/list or the list_runs tool";

/** The recorded run `id`, or a "resource not found" error naming `uri` (never the server's folders). */
export async function runOrNotFound(runs: RunRegistry, id: string, uri: string): Promise<RunRecord> {
  try {
    return await runs.get(id);
  } catch (e) {
    if (e instanceof RangeError) throw notFound(uri, `no recorded run has the id ${JSON.stringify(id)}`, RUN_URI_HINT);
    throw e;
  }
}

/** The newest recorded runs (at most {@link RUN_RESOURCES_LISTED}). */
export async function recentRuns(ctx: ResourceContext): Promise<RunRecord[]> {
  await using runs = await openRuns(ctx.dataDir);
  return await runs.list({ limit: RUN_RESOURCES_LISTED });
}

/** Recorded run ids starting with `prefix`, for completion. */
export async function completeRunId(prefix: string, ctx: ResourceContext): Promise<string[]> {
  return (await recentRuns(ctx)).map((r) => r.id).filter((id) => id.startsWith(prefix)).slice(0, 100);
}

/** One line naming a run in a listing. */
export function runLine(r: RunRecord): string {
  return `${r.kind} ${r.strategy} ${JSON.stringify(r.params)} on ${r.series.join(", ")}, recorded ${r.created_at}` +
    `${r.label ? ` (${r.label})` : ""}`;
}

/**
 * `sentinel://runs/{id}`: one recorded run as `get_run` computes it (every stat, the manifest, the kind-specific
 * detail, the files, the trade count, provenance), as JSON, with the URI of its trades. The registry is opened
 * read-only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runResource } from "./run_resource.ts";
 * assert.equal(runResource.uri("20240101T000000Z-ab12"), "sentinel://runs/20240101T000000Z-ab12");
 * ```
 */
export const runResource: McpResource = defineResource({
  name: "run",
  title: "Recorded run",
  description: "One recorded run: every stat, the manifest (data hashes and quality, strategy code hash, params, " +
    "options, annualization, engine version), kind-specific detail (a sweep's grid, a walk-forward's folds), the " +
    `trade count and provenance, as get_run computes it. resources/list shows the newest ${RUN_RESOURCES_LISTED}.`,
  uriTemplate: "sentinel://runs/{id}",
  variable: "id",
  mimeType: "application/json",
  async list(ctx) {
    return (await recentRuns(ctx)).map((r) => ({
      uri: runResource.uri(r.id),
      name: `run ${r.id}`,
      title: `Run ${r.id}`,
      description: runLine(r),
      mimeType: "application/json",
    }));
  },
  async read(id, uri, ctx) {
    await using runs = await openRuns(ctx.dataDir);
    const rec = await runOrNotFound(runs, id, uri);
    const trades = await runs.trades(rec.id);
    const provenance = runProvenance(rec);
    return JSON.stringify(
      {
        ...runFacts(rec),
        tradeCount: trades.length,
        trades: `${uri}/trades.csv`,
        provenance,
      },
      null,
      2,
    );
  },
  complete: completeRunId,
});
