// A recorded run as the shared report renderer (lib/report) sees it: record, curves, the bars
// it ran on (read back from the store) and the strategy's indicator lines.
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

/** The report view of a recorded run. */
export async function runReportView(lab: Lab, view: RunView): Promise<RunReportView> {
  const r = view.record;
  const frame = await runFrame(lab, view);
  const detail = r.detail as { metric?: unknown };
  const folds = r.kind === "walk_forward" ? walkForwardFolds(r.detail) : [];
  const equity = reportEquity(view.equity);
  return {
    title: `${r.strategy} on ${r.series.join(", ")}`,
    kind: r.kind,
    strategy: r.strategy,
    series: r.series,
    params: r.params,
    options: r.options,
    stats: r.stats,
    manifest: r.manifest as Record<string, unknown>,
    ...(equity ? { equity } : {}),
    trades: view.trades,
    ...(frame
      ? { price: { frame, overlays: strategyOverlays(r.strategy, r.params, frame, { registry: lab.strategies }) } }
      : {}),
    ...(folds.length > 0 ? { walkForward: { folds, metric: String(detail.metric ?? "sharpe") } } : {}),
  };
}
