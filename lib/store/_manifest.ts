// The per-series manifest: the commit point of every write. Parts are immutable files; a write
// creates new parts, then atomically replaces manifest.json, then deletes the parts it no longer lists.
// A reader that loaded an older manifest may find a part gone; it reloads the manifest and retries.

import { join } from "node:path";
import { z } from "zod";
import { type Calendar, CalendarSchema, DataError } from "../types/mod.ts";
import { writeFileAtomic } from "./_fs.ts";

/** One immutable Parquet part: sorted, unique ts; parts of a series never overlap in time. */
export interface PartEntry {
  file: string;
  rows: number;
  first: number;
  last: number;
  bytes: number;
}

/** manifest.json of one series. */
export interface Manifest {
  format: 1;
  exchange: string;
  symbol: string;
  timeframe: string;
  calendar: Calendar;
  source: string;
  /** Sorted by `first`; ranges disjoint. */
  parts: PartEntry[];
  bars: number;
  first: number;
  last: number;
  /** Incremented by every commit. */
  version: number;
  updated: string;
}

const PartSchema = z.object({
  file: z.string().regex(/^part-[0-9a-z-]+\.parquet$/),
  rows: z.number().int().positive(),
  first: z.number().int(),
  last: z.number().int(),
  bytes: z.number().int().nonnegative(),
});

const ManifestSchema = z.object({
  format: z.literal(1),
  exchange: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  calendar: CalendarSchema,
  source: z.string(),
  parts: z.array(PartSchema),
  bars: z.number().int().nonnegative(),
  first: z.number(),
  last: z.number(),
  version: z.number().int().nonnegative(),
  updated: z.string(),
});

/** File name of the manifest inside a series folder. */
export const MANIFEST = "manifest.json";

/** Reads a series manifest; undefined when the series does not exist. */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  const path = join(dir, MANIFEST);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return undefined;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DataError(`Store manifest ${path} is not valid JSON (${(e as Error).message}); it was edited by hand?`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataError(`Store manifest ${path} is invalid: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data as Manifest;
}

/** Recomputes totals from the parts and writes the manifest atomically. */
export async function commitManifest(dir: string, m: Manifest): Promise<Manifest> {
  const parts = [...m.parts].sort((a, b) => a.first - b.first);
  const next: Manifest = {
    ...m,
    parts,
    bars: parts.reduce((s, p) => s + p.rows, 0),
    first: parts[0]?.first ?? NaN,
    last: parts[parts.length - 1]?.last ?? NaN,
    version: m.version + 1,
    updated: new Date().toISOString(),
  };
  await writeFileAtomic(join(dir, MANIFEST), new TextEncoder().encode(JSON.stringify(next, null, 1)));
  return next;
}
