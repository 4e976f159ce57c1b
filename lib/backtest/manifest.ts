import type { Frame } from "../frame/mod.ts";
import type { QualityReport } from "../data/mod.ts";
import { type AnyStrategy, strategyCodeHash } from "../strategies/mod.ts";
import { type RiskConfig, riskConfigHash } from "../risk/mod.ts";
import { formatSeries, type SeriesId } from "../types/mod.ts";
import type { BacktestOptions } from "./backtest_options.ts";
import { ENGINE_VERSION } from "./engine_version.ts";
import { hashFrame } from "./hash_frame.ts";
import type { Annualization } from "./_annualization.ts";
import { canonicalJson, sha256Hex } from "./_canonical.ts";

/** One dataset a run read. */
export interface ManifestData {
  /** `exchange:SYMBOL:timeframe` when the caller named the series, else the asset name or null. */
  series: string | null;
  /** {@link hashFrame} of the frame as simulated. */
  hash: string;
  bars: number;
  /** First and last bar open time (epoch ms), null for an empty frame. */
  first: number | null;
  last: number | null;
  quality: QualityReport;
}

/**
 * Everything that determines a backtest's result. Two runs with equal manifests (equal `id`)
 * give identical results; `created_at` is the only field outside the identity.
 */
export interface Manifest {
  engine_version: string;
  strategy: { name: string; code_hash: string };
  /** Parsed params, defaults included. */
  params: Record<string, unknown>;
  /** Parsed options, every one of them. */
  options: BacktestOptions;
  data: ManifestData[];
  timeframe: string;
  calendar: string;
  periods_per_year: number;
  /** Yearly risk-free rate. */
  risk_free: number;
  /** Where `periods_per_year` came from. */
  annualization: "timeframe" | "option";
  /** `buy_and_hold`, `series:<sha256 of its float64 bytes>` for a caller's series, or null. */
  benchmark: string | null;
  /** The risk limits every order was decided by (runs with `risk` only; absent otherwise). */
  risk?: RiskConfig;
  /** `riskConfigHash` of `risk` (the hash config-change audit events carry); with `risk` only. */
  riskConfigHash?: string;
  /** SHA-256 of the canonical JSON of every field except `id` and `created_at`. */
  id: string;
  /** ISO time the run was made; not part of the identity. */
  created_at?: string;
}

/** What {@link buildManifest} needs. */
export interface ManifestInput {
  strategy: AnyStrategy;
  params: Record<string, unknown>;
  options: BacktestOptions;
  /**
   * The datasets; `hash` may be given (or still being computed: a promise) to overlap hashing
   * with the simulation, else it is `hashFrame(frame)`.
   */
  data: ReadonlyArray<
    { frame: Frame; series?: SeriesId | string | null; quality: QualityReport; hash?: string | Promise<string> }
  >;
  annualization: Annualization;
  riskFree: number;
  benchmark: "buy_and_hold" | Float64Array | false;
  /** Risk limits of the run, if any (recorded with their hash; absent fields keep older manifests' ids). */
  risk?: RiskConfig;
  /** Set `created_at` to now (default true). */
  stamp?: boolean;
}

/**
 * Builds a run's {@link Manifest}: hashes the data and the strategy code, records every parsed
 * option and param, and derives the id from the canonical JSON of all of it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { qualityReport } from "../data/mod.ts";
 * import { smaCross } from "../strategies/mod.ts";
 * import { buildManifest, parseBacktestOptions } from "./mod.ts";
 * const close = Float64Array.of(1, 2, 3);
 * const frame = new Frame(Float64Array.of(0, 60_000, 120_000), { open: close, high: close, low: close, close, volume: close });
 * const quality = qualityReport(frame, { timeframe: "1m", calendar: "24/7" });
 * const input = {
 *   strategy: smaCross,
 *   params: { fast: 1, slow: 2 },
 *   options: parseBacktestOptions({}),
 *   data: [{ frame, quality }],
 *   annualization: { timeframe: "1m", calendar: "24/7" as const, periodsPerYear: 525_600, source: "timeframe" as const },
 *   riskFree: 0,
 *   benchmark: false as const,
 * };
 * const a = await buildManifest(input), b = await buildManifest({ ...input, stamp: false });
 * assert.equal(a.id, b.id);
 * assert.equal(b.created_at, undefined);
 * assert.match(a.id, /^[0-9a-f]{64}$/);
 * ```
 */
export async function buildManifest(input: ManifestInput): Promise<Manifest> {
  const data: ManifestData[] = [];
  for (const d of input.data) {
    const f = d.frame;
    data.push({
      series: d.series === undefined || d.series === null
        ? null
        : typeof d.series === "string"
        ? d.series
        : formatSeries(d.series),
      hash: await (d.hash ?? hashFrame(f)),
      bars: f.length,
      first: f.length ? f.ts[0]! : null,
      last: f.length ? f.ts[f.length - 1]! : null,
      quality: d.quality,
    });
  }
  const b = input.benchmark;
  const benchmark = b === false
    ? null
    : b === "buy_and_hold"
    ? "buy_and_hold"
    : `series:${await sha256Hex(new Uint8Array(b.buffer, b.byteOffset, b.byteLength))}`;
  const body: Omit<Manifest, "id" | "created_at"> = {
    engine_version: ENGINE_VERSION,
    strategy: { name: input.strategy.name, code_hash: await strategyCodeHash(input.strategy) },
    params: input.params,
    options: input.options,
    data,
    timeframe: input.annualization.timeframe,
    calendar: input.annualization.calendar,
    periods_per_year: input.annualization.periodsPerYear,
    risk_free: input.riskFree,
    annualization: input.annualization.source,
    benchmark,
    ...(input.risk ? { risk: input.risk, riskConfigHash: await riskConfigHash(input.risk) } : {}),
  };
  const id = await sha256Hex(canonicalJson(body));
  const m: Manifest = { ...body, id };
  if (input.stamp ?? true) m.created_at = new Date().toISOString();
  return m;
}
