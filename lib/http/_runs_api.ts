// JSON, Arrow IPC, Parquet and CSV under /api/runs.
import { Hono } from "hono";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { z } from "zod";
import { decimate } from "../plots/mod.ts";
import { columnsToCsv, type RunRecord, tradeColumns } from "../runs/mod.ts";
import { ARROW_STREAM } from "./_datasets.ts";
import { HttpError } from "./_errors.ts";
import type { Lab } from "./_lab.ts";
import { ListQuerySchema, listRuns, RUN_ID, runIdParam } from "./_runs_common.ts";
import { zv } from "./_validate.ts";

const PARQUET = "application/vnd.apache.parquet";

const EquityQuerySchema = z.strictObject({
  from: z.coerce.number().finite().optional().describe("first time, epoch ms UTC (inclusive)"),
  to: z.coerce.number().finite().optional().describe("last time, epoch ms UTC (inclusive)"),
  points: z.coerce.number().int().min(4).max(100_000).optional().describe("most points in the JSON (default 2000)"),
  format: z.enum(["json", "arrow", "parquet"]).optional().describe("arrow or parquet: the full series"),
});

function runSummaryJson(r: RunRecord): Record<string, unknown> {
  return {
    id: r.id,
    kind: r.kind,
    created_at: r.created_at,
    source: r.source,
    label: r.label,
    series: r.series,
    strategy: r.strategy,
    params: r.params,
    stats: r.stats,
    url: `/runs/${r.id}`,
  };
}

/** JSON/Arrow/downloads under /api/runs. */
export function runsApi(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", zv("query", ListQuerySchema), async (c) => {
    const q = c.req.valid("query");
    const runs = await listRuns(lab, q, 100);
    return c.json({ runs: runs.map(runSummaryJson) });
  });

  app.get("/compare", zv("query", z.strictObject({ a: RUN_ID, b: RUN_ID })), async (c) => {
    const { a, b } = c.req.valid("query");
    await Promise.all([lab.runView(a), lab.runView(b)]);
    return c.json({ a, b, rows: await lab.runs.compare(a, b) });
  });

  app.get("/:id", async (c) => {
    const view = await lab.runView(runIdParam(c.req.param("id")));
    return c.json({ ...view.record, url: `/runs/${view.record.id}` });
  });

  app.get("/:id/stats.json", async (c) => {
    const view = await lab.runView(runIdParam(c.req.param("id")));
    c.header("Content-Disposition", `attachment; filename="${view.record.id}-stats.json"`);
    return c.json(view.record.stats);
  });

  app.get("/:id/trades.csv", async (c) => {
    const view = await lab.runView(runIdParam(c.req.param("id")));
    return c.body(columnsToCsv(tradeColumns(view.trades)), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${view.record.id}-trades.csv"`,
    });
  });

  app.get("/:id/report.html", async (c) => {
    const id = runIdParam(c.req.param("id"));
    const view = await lab.runView(id);
    if (!view.record.files.includes("report.html")) throw new HttpError(404, `run ${id} has no report.html`);
    // The report recorded with the run, as the CLI wrote it (static, no scripts).
    return c.body(await Deno.readTextFile(lab.runs.path(id, "report.html")), 200, {
      "Content-Type": "text/html; charset=utf-8",
    });
  });

  const parquet = async (id: string) => {
    const view = await lab.runView(id);
    if (!view.record.files.includes("equity.parquet")) throw new HttpError(404, `run ${id} has no equity curve`);
    // The recorded file as it is: nothing to convert.
    const bytes = await Deno.readFile(lab.runs.path(id, "equity.parquet"));
    return {
      bytes,
      headers: { "Content-Type": PARQUET, "Content-Disposition": `attachment; filename="${id}-equity.parquet"` },
    };
  };

  app.get("/:id/equity.parquet", async (c) => {
    const { bytes, headers } = await parquet(runIdParam(c.req.param("id")));
    return c.body(bytes, 200, headers);
  });

  // Decimated JSON for figures by default (a million-bar curve is tens of MB as JSON); the full
  // series as Arrow IPC (`Accept: application/vnd.apache.arrow.stream` or `?format=arrow`) or
  // as the recorded Parquet file (`?format=parquet`).
  app.get("/:id/equity", zv("query", EquityQuerySchema), async (c) => {
    const id = runIdParam(c.req.param("id"));
    const q = c.req.valid("query");
    const format = q.format ?? ((c.req.header("accept") ?? "").includes(ARROW_STREAM) ? "arrow" : "json");
    if (format === "parquet") {
      if (q.from !== undefined || q.to !== undefined) {
        throw new HttpError(400, "invalid equity query", [{
          path: ["format"],
          message: "format=parquet is the recorded file, whole; for a range use format=arrow or json",
        }]);
      }
      const { bytes, headers } = await parquet(id);
      return c.body(bytes, 200, headers);
    }
    const view = await lab.runView(id);
    if (view.equity === undefined) throw new HttpError(404, `run ${id} has no equity curve`);
    const eq = view.equity;
    const ts = eq.ts;
    let a = 0, b = ts.length;
    if (q.from !== undefined) { while (a < b && ts[a]! < q.from) a++; }
    if (q.to !== undefined) { while (b > a && ts[b - 1]! > q.to) b--; }
    const cols = Object.entries(eq.columns) as [string, Float64Array][];
    if (format === "arrow") {
      const ts64 = BigInt64Array.from(ts.subarray(a, b), (t) => BigInt(t));
      const table = tableFromArrays({ ts: ts64, ...Object.fromEntries(cols.map(([k, v]) => [k, v.subarray(a, b)])) });
      return c.body(tableToIPC(table, "stream") as Uint8Array<ArrayBuffer>, 200, { "Content-Type": ARROW_STREAM });
    }
    const points = q.points ?? 2000;
    const tsR = ts.subarray(a, b), eqR = eq.col("equity").subarray(a, b);
    // M4 over the equity keeps its first, last, lowest and highest point per bucket.
    const idx = tsR.length <= points ? undefined : decimate(tsR, eqR, { buckets: Math.max(1, Math.floor(points / 4)) });
    const pick = (v: Float64Array): (number | null)[] => {
      const out: (number | null)[] = new Array(idx ? idx.length : v.length);
      for (let k = 0; k < out.length; k++) {
        const x = v[idx ? idx[k]! : k]!;
        out[k] = Number.isFinite(x) ? x : null;
      }
      return out;
    };
    const columns: Record<string, (number | null)[]> = { ts: pick(tsR) };
    for (const [k, v] of cols) columns[k] = pick(v.subarray(a, b));
    return c.json({
      run_id: id,
      total: ts.length,
      in_range: tsR.length,
      points: columns.ts!.length,
      decimated: idx !== undefined,
      note: idx !== undefined
        ? `M4-decimated for drawing: ${
          columns.ts!.length
        } of ${tsR.length} points; the full series: ?format=arrow or ?format=parquet`
        : undefined,
      columns,
    });
  });

  app.get("/:id/trades", async (c) => {
    const view = await lab.runView(runIdParam(c.req.param("id")));
    return c.json({ run_id: view.record.id, trades: view.trades });
  });

  return app;
}
