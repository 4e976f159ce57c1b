// Test fixtures shared by the runner's tests (and tests/cli_paper_agents_test.ts): a frame's bar as a feed bar, the
// scan that proves a planted secret reached no file of a data dir, and the live runner's dry-run options.
import type { Frame } from "../frame/mod.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import type { Broker } from "./broker.ts";
import type { FeedBar } from "./feed.ts";
import type { LiveRunnerOptions } from "./live_runner.ts";
import type { SleeveSpec } from "./sleeve.ts";

/** What {@link frameBar} stamps on the bar; the stepper's results do not depend on it. */
export interface FrameBarOptions {
  /** Defaults to `"X/USDT"`. */
  symbol?: string;
  /** Defaults to `"1h"`. */
  timeframe?: string;
}

/** Bar `i` of `frame` as the feed would deliver it (volume from the frame's `volume` column). */
export function frameBar(frame: Frame, i: number, options: FrameBarOptions = {}): FeedBar {
  return {
    symbol: options.symbol ?? "X/USDT",
    timeframe: options.timeframe ?? "1h",
    ts: frame.ts[i]!,
    open: frame.open[i]!,
    high: frame.high[i]!,
    low: frame.low[i]!,
    close: frame.close[i]!,
    volume: frame.columns.volume![i]!,
  };
}

/** A file under the scanned dir and the needles found in it. */
export interface NeedleHit {
  path: string;
  found: string[];
}

/**
 * Every file under `dir` (recursively) that holds one of `needles`, read both as UTF-8 and as Latin-1 so a secret
 * inside a binary store (SQLite, DuckDB pages) is found too. An empty answer means nothing leaked.
 */
export async function filesContaining(dir: string, needles: readonly string[]): Promise<NeedleHit[]> {
  const hits: NeedleHit[] = [];
  for await (const path of walkFiles(dir)) {
    const bytes = await Deno.readFile(path);
    const text = new TextDecoder().decode(bytes) + "\n" + latin1(bytes);
    const found = needles.filter((n) => text.includes(n));
    if (found.length > 0) hits.push({ path, found });
  }
  return hits;
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  // Chunked: spreading a whole store file into one call would overflow the argument limit.
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

async function* walkFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walkFiles(p);
    else if (e.isFile) yield p;
  }
}

/** What differs between the live runner's dry-run tests; {@link dryRunOptions} fills in the rest. */
export interface DryRunOptions {
  account: string;
  dataDir: string;
  broker: Broker;
  sleeves: readonly SleeveSpec[];
  /** The planted API key and secret, so the runner redacts them. */
  secrets: readonly string[];
}

/**
 * The live runner's options in its tests against the fake exchange: no risk limits (the tests are about logging and
 * restarts, not the limits), 1,000 of cash, one-minute bars and a 20 ms poll so a test runs in a moment.
 */
export function dryRunOptions(options: DryRunOptions): LiveRunnerOptions {
  return {
    account: options.account,
    dataDir: options.dataDir,
    sleeves: options.sleeves,
    risk: noLimitsRiskConfig(),
    startingCash: 1_000,
    timeframe: "1m",
    broker: options.broker,
    pollMs: 20,
    secrets: options.secrets,
  };
}
