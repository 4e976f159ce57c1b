import type { Table } from "apache-arrow";
import { z } from "zod";
import type { Trade } from "../types/mod.ts";
import type { Columns } from "./columns.ts";
import { RunIdSchema } from "./parse_run_id.ts";

/** What a run did: one backtest, a parameter sweep, or a walk-forward analysis. */
export type RunKind = "single" | "sweep" | "walk_forward";

/** Who started it: the `deno task backtest` command, the web lab, or a scheduled `--config` job. */
export type RunSource = "cli" | "web" | "job";

/** A recorded run as stored in `<runs>/<id>/run.json` (stats restored to numbers, NaN and ±Infinity included). */
export interface RunRecord {
  /** See {@link RunIdSchema}. */
  id: string;
  kind: RunKind;
  /** ISO-8601 UTC time of recording. */
  created_at: string;
  source: RunSource;
  /** Free text given by the user (`--label`, a job name); empty when none. */
  label: string;
  /** The data the run used, in `exchange:SYMBOL:timeframe` form (`csv:<file>:<tf>` for CSV files). */
  series: string[];
  /** Strategy registry name. */
  strategy: string;
  /** Parsed params (single), best params (sweep) or the params of the last fold (walk-forward). */
  params: Record<string, unknown>;
  /** Every backtest option as parsed. */
  options: Record<string, unknown>;
  /** `manifest.id` when the manifest has one, else the SHA-256 of its canonical JSON. */
  manifest_id: string;
  /** The run's manifest (data hashes and quality reports, strategy code hash, engine version, ...). */
  manifest: Record<string, unknown>;
  /** Headline stats (single: the backtest's; sweep: the best combo's; walk-forward: out-of-sample). */
  stats: Record<string, number>;
  /** Kind-specific JSON: the grid and combo counts of a sweep, the folds of a walk-forward. */
  detail: Record<string, unknown>;
  /** Files stored beside run.json (`equity.parquet`, `trades.parquet`, `sweep.parquet`, `report.html`, ...). */
  files: string[];
}

/** What {@link RunRegistry.record} stores. Columns become Parquet files beside run.json. */
export interface RunInput {
  kind: RunKind;
  series: string[];
  strategy: string;
  params: Record<string, unknown>;
  options: Record<string, unknown>;
  manifest: Record<string, unknown>;
  stats: Readonly<Record<string, number>>;
  /** Equity curve (`ts` epoch ms plus `equity`, `drawdown`, `benchmark`, ...): `equity.parquet`. */
  equity?: Table | Columns;
  /** Round trips: `trades.parquet` (layout of {@link tradeColumns}). */
  trades?: readonly Trade[];
  /** Per-combo sweep table (a column per param and per stat): `sweep.parquet`. */
  sweep?: Table | Columns;
  detail?: Record<string, unknown>;
  /** Extra files by name (`report.html`); names are lower-case letters, digits, `_`, `-` and `.`. */
  files?: Record<string, string | Uint8Array>;
}

/** Options of {@link RunRegistry.record}. */
export interface RecordOptions {
  /** Default `"cli"`. */
  source?: RunSource;
  /** Default `""`. */
  label?: string;
  /** Recording time (tests); default now. */
  now?: Date;
}

const jsonObject = z.record(z.string(), z.unknown());

/** Zod schema of run.json as written (stats: finite numbers or null, with `nonfinite` restoring the rest). */
export const StoredRunSchema = z.object({
  schema: z.literal(1),
  id: RunIdSchema,
  kind: z.enum(["single", "sweep", "walk_forward"]),
  created_at: z.string(),
  source: z.enum(["cli", "web", "job"]),
  label: z.string(),
  series: z.array(z.string()),
  strategy: z.string(),
  params: jsonObject,
  options: jsonObject,
  manifest_id: z.string(),
  manifest: jsonObject,
  stats: z.record(z.string(), z.number().nullable()),
  nonfinite: z.record(z.string(), z.enum(["NaN", "Infinity", "-Infinity"])),
  detail: jsonObject,
  files: z.array(z.string()),
});
