// Turns what a backtest or a recorded run says about itself (its manifest) into the provenance every answer carries.

import type { BacktestOptions } from "../../backtest/mod.ts";
import { ENGINE_VERSION } from "../../backtest/engine_version.ts";
import { buildManifest } from "../../backtest/manifest.ts";
import { registry } from "../../strategies/mod.ts";
import { type QualityReport, qualityReport } from "../../data/mod.ts";
import type { Frame } from "../../frame/mod.ts";
import type { RunRecord } from "../../runs/mod.ts";
import { periodsPerYear } from "../../metrics/mod.ts";
import { type Calendar, formatSeries, type SeriesId } from "../../types/mod.ts";
import type { Provenance } from "../mcp_tool.ts";

/** One line on a series' quality: bars, gaps, duplicates, bad bars, or "clean". */
export function qualityLine(q: Partial<QualityReport> | undefined): string {
  if (q === undefined || q === null || typeof q !== "object") return "no quality report";
  const parts: string[] = [];
  if (typeof q.rows === "number") parts.push(`${q.rows} bars`);
  if (typeof q.calendar === "string") parts.push(`calendar ${q.calendar}${q.calendarGuessed ? " (guessed)" : ""}`);
  if (typeof q.missing === "number" && q.missing > 0) {
    parts.push(`${q.missing} missing bars in ${q.gapCount ?? "?"} gaps`);
  } else parts.push("no gaps");
  for (const k of ["duplicates", "outOfOrder", "nonFinite", "nonPositive", "offCalendar"] as const) {
    const v = q[k];
    if (typeof v === "number" && v > 0) parts.push(`${v} ${k}`);
  }
  const ohlc = q.ohlc;
  if (ohlc) {
    const bad = ohlc.highBelowLow + ohlc.highBelowOpenClose + ohlc.lowAboveOpenClose;
    if (bad > 0) parts.push(`${bad} bars with inconsistent OHLC`);
  }
  if (Array.isArray(q.warnings) && q.warnings.length > 0) parts.push(`${q.warnings.length} warnings`);
  return parts.join(", ");
}

/** The cost conventions of parsed backtest options, in one line. */
export function costsLine(options: Record<string, unknown> | undefined): string {
  const o = options ?? {};
  const pct = (v: unknown): string => typeof v === "number" ? `${+(v * 100).toPrecision(6)}%` : "0%";
  const fixed = typeof o.fixedFee === "number" && o.fixedFee > 0 ? ` + ${o.fixedFee} per order` : "";
  return `fee ${pct(o.fee)} of notional${fixed}, spread ${pct(o.spread)} (half on each side), slippage ${
    pct(o.slippage)
  } adverse`;
}

/** Fill timing of parsed backtest options, said so a model cannot misread it. */
export function fillLine(options: Record<string, unknown> | undefined): string {
  return options?.fill === "close"
    ? "close: a signal on bar t fills at bar t's close"
    : "next_open: a signal on bar t fills at bar t+1's open (one on the last bar does nothing)";
}

const iso = (ms: unknown): string | undefined =>
  typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;

/**
 * Provenance of a backtest manifest (`BacktestResult.manifest`, or the `manifest` of a recorded run): the first
 * dataset's series, range, bar count and quality, fill timing, costs, annualization, engine version and manifest hash.
 * `extra` fields (run id, what was capped) override.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { provenanceFromManifest } from "./_provenance.ts";
 * const p = provenanceFromManifest({
 *   engine_version: "0.3.0", id: "ab".repeat(32), options: { fill: "close", fee: 0.001 },
 *   periods_per_year: 252, annualization: "timeframe", timeframe: "1d", calendar: "weekdays",
 *   data: [{ series: "samples:SPX:1d", bars: 2, first: 0, last: 86_400_000, quality: { rows: 2, missing: 0 } }],
 * }, { runId: "r1" });
 * assert.equal(p.series, "samples:SPX:1d");
 * assert.equal(p.to, "1970-01-02T00:00:00.000Z");
 * assert.match(p.fill!, /^close/);
 * assert.match(p.annualization!, /^252 periods per year/);
 * assert.equal(p.runId, "r1");
 * ```
 */
export function provenanceFromManifest(manifest: object, extra: Partial<Provenance> = {}): Provenance {
  const m = manifest as Record<string, unknown>;
  const data = Array.isArray(m.data) ? m.data as Record<string, unknown>[] : [];
  const d = data[0];
  const options = (m.options ?? undefined) as Record<string, unknown> | undefined;
  const p: Provenance = {};
  if (d) {
    if (typeof d.series === "string") p.series = d.series;
    const from = iso(d.first), to = iso(d.last);
    if (from) p.from = from;
    if (to) p.to = to;
    if (typeof d.bars === "number") p.bars = d.bars;
    p.quality = qualityLine(d.quality as Partial<QualityReport> | undefined);
    if (data.length > 1) p.note = `${data.length} datasets; the first is described here, the manifest lists all`;
  }
  p.fill = fillLine(options);
  p.costs = costsLine(options);
  if (typeof m.periods_per_year === "number") {
    p.annualization = `${m.periods_per_year} periods per year (${
      m.annualization === "option" ? "set by the caller" : `from timeframe ${m.timeframe} and calendar ${m.calendar}`
    })${typeof m.risk_free === "number" && m.risk_free !== 0 ? `, risk-free ${m.risk_free}/year` : ""}`;
  }
  p.engineVersion = typeof m.engine_version === "string" ? m.engine_version : ENGINE_VERSION;
  if (typeof m.id === "string") p.manifestHash = m.id;
  return { ...p, ...extra };
}

/**
 * The provenance of a recorded run: its manifest's conventions, the run id and manifest hash, and its series when the
 * manifest does not name the data itself.
 */
export function runProvenance(rec: RunRecord, extra: Partial<Provenance> = {}): Provenance {
  const series = rec.series[0];
  return provenanceFromManifest(rec.manifest, {
    runId: rec.id,
    manifestHash: rec.manifest_id,
    ...(series !== undefined && series !== "" && !("data" in rec.manifest) ? { series } : {}),
    ...extra,
  });
}

/**
 * Provenance of a computation over one stored series without a manifest (sweeps, walk-forward): its range, bars and
 * quality, the options' fill and costs, and the annualization the engine derives from the timeframe and calendar.
 */
export function seriesProvenance(
  id: SeriesId,
  frame: Frame,
  calendar: Calendar,
  options: BacktestOptions,
  extra: Partial<Provenance> = {},
): Provenance {
  let annualization: string;
  try {
    annualization = `${periodsPerYear(id.timeframe, { calendar })} periods per year (from timeframe ${id.timeframe} ` +
      `and calendar ${calendar})`;
  } catch {
    annualization = `timeframe ${id.timeframe} on the ${calendar} calendar`;
  }
  const o = options as unknown as Record<string, unknown>;
  return {
    series: formatSeries(id),
    ...(frame.length > 0
      ? { from: new Date(frame.ts[0]!).toISOString(), to: new Date(frame.ts[frame.length - 1]!).toISOString() }
      : {}),
    bars: frame.length,
    quality: qualityLine(qualityReport(frame, { timeframe: id.timeframe, calendar, label: formatSeries(id) })),
    fill: fillLine(o),
    costs: costsLine(o),
    annualization,
    engineVersion: ENGINE_VERSION,
    ...extra,
  };
}

/**
 * The manifest hash of a computation that has no run manifest of its own (a sweep, a walk-forward, a fresh heatmap):
 * `buildManifest`'s id over the same data hash and quality, the strategy's code hash, the options and annualization,
 * with the computation's inputs (`grid`, folds, metric...) in the params' place. The same inputs give the same hash
 * on any machine; a changed bar, strategy, option or engine version gives another. Undefined for a timeframe the
 * engine cannot annualize (the provenance then says the timeframe and calendar instead).
 */
export async function inputsManifestHash(
  strategy: string,
  inputs: Record<string, unknown>,
  id: SeriesId,
  frame: Frame,
  calendar: Calendar,
  options: BacktestOptions,
): Promise<string | undefined> {
  let ppy: number;
  try {
    ppy = periodsPerYear(id.timeframe, { calendar });
  } catch {
    return undefined;
  }
  const m = await buildManifest({
    strategy: registry.get(strategy),
    params: inputs,
    options,
    data: [{
      frame,
      series: id,
      quality: qualityReport(frame, { timeframe: id.timeframe, calendar, label: formatSeries(id) }),
    }],
    annualization: { timeframe: id.timeframe, calendar, periodsPerYear: ppy, source: "timeframe" },
    riskFree: 0,
    benchmark: false,
    stamp: false,
  });
  return m.id;
}
