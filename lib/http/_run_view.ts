// A recorded run as the shared report renderer (lib/report) sees it: record, curves, the bars
// it ran on (read back from the store) and the strategy's indicator lines.
import { qualityReport } from "../data/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { type ReportEquity, type RunReportView, strategyOverlays, walkForwardFolds } from "../report/mod.ts";
import { parseSeries } from "../types/mod.ts";
import type { Lab, RunView } from "./_lab.ts";

/** The recorded equity frame's columns as the report wants them (or undefined without a curve). */
export function reportEquity(eq: Frame | undefined, from?: number, to?: number): ReportEquity | undefined {
  if (eq === undefined || eq.length === 0) return undefined;
  let a = 0, b = eq.length;
  if (from !== undefined || to !== undefined) {
    const ts = eq.ts;
    while (a < b && ts[a]! < (from ?? -Infinity)) a++;
    while (b > a && ts[b - 1]! > (to ?? Infinity)) b--;
  }
  const cut = (c: Float64Array) => a === 0 && b === eq.length ? c : c.subarray(a, b);
  return {
    ts: cut(eq.ts),
    equity: cut(eq.col("equity")),
    drawdown: cut(eq.col("drawdown")),
    ...(eq.has("benchmark") ? { benchmark: cut(eq.col("benchmark")) } : {}),
  };
}

/** The bars a single-series run used, from the store (undefined when they are not there any more). */
async function runFrame(lab: Lab, view: RunView): Promise<Frame | undefined> {
  const r = view.record;
  if (r.kind !== "single" || r.series.length !== 1) return undefined;
  const data = (r.manifest as { data?: { series?: string | null; first?: number | null; last?: number | null }[] })
    .data?.[0];
  const text = data?.series ?? r.series[0];
  if (!text) return undefined;
  try {
    const id = parseSeries(text);
    if ((await lab.store.info(id)) === undefined) return undefined;
    const frame = await lab.store.read(id, {
      ...(typeof data?.first === "number" ? { from: data.first } : {}),
      ...(typeof data?.last === "number" ? { to: data.last + 1 } : {}),
    });
    return frame.length > 0 ? frame : undefined;
  } catch {
    // A series name the store cannot read (an imported file): the report goes without the price figure.
    return undefined;
  }
}

type DataEntry = { series?: string | null; first?: number | null; last?: number | null; quality?: unknown };

/**
 * The manifest with a quality report for each data entry that recorded none (walk-forwards and
 * sweeps recorded before they carried one): computed now from the stored bars of the recorded
 * range, and marked `recorded: false` so the page says so. Undefined when nothing was added.
 */
async function withQuality(lab: Lab, manifest: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  const data = Array.isArray(manifest.data) ? manifest.data as DataEntry[] : [];
  if (data.length === 0 || data.every((d) => d?.quality !== undefined)) return undefined;
  const out: DataEntry[] = [];
  for (const d of data) {
    if (d?.quality !== undefined || typeof d?.series !== "string") {
      out.push(d);
      continue;
    }
    try {
      const id = parseSeries(d.series);
      const info = await lab.store.info(id);
      if (info === undefined) {
        out.push(d);
        continue;
      }
      const frame = await lab.store.read(id, {
        ...(typeof d.first === "number" ? { from: d.first } : {}),
        ...(typeof d.last === "number" ? { to: d.last + 1 } : {}),
      });
      const q = qualityReport(frame, { timeframe: info.timeframe, calendar: info.calendar, label: d.series });
      out.push({ ...d, quality: { warnings: q.warnings, recorded: false } });
    } catch {
      out.push(d); // a series the store cannot read: nothing to report, nothing invented
    }
  }
  return { ...manifest, data: out };
}

/** The report view of a recorded run. */
export async function runReportView(lab: Lab, view: RunView): Promise<RunReportView> {
  const r = view.record;
  const frame = await runFrame(lab, view);
  const detail = r.detail as { metric?: unknown };
  const folds = r.kind === "walk_forward" ? walkForwardFolds(r.detail) : [];
  const equity = reportEquity(view.equity);
  const manifest = (await withQuality(lab, r.manifest as Record<string, unknown>)) ??
    r.manifest as Record<string, unknown>;
  return {
    title: `${r.strategy} on ${r.series.join(", ")}`,
    kind: r.kind,
    strategy: r.strategy,
    series: r.series,
    params: r.params,
    options: r.options,
    stats: r.stats,
    manifest,
    ...(equity ? { equity } : {}),
    trades: view.trades,
    ...(frame
      ? { price: { frame, overlays: strategyOverlays(r.strategy, r.params, frame, { registry: lab.strategies }) } }
      : {}),
    ...(folds.length > 0 ? { walkForward: { folds, metric: String(detail.metric ?? "sharpe") } } : {}),
  };
}
