import { canonicalize } from "./_canonical.ts";
import { ENGINE_VERSION, hashFrame, type SweepJob } from "../backtest/mod.ts";
import { registry, strategyCodeHash } from "../strategies/mod.ts";
import { type ClusterSweepLabel, type ClusterSweepSpec, SPEC_VERSION } from "./types.ts";

/** Options of {@link clusterSweepSpec}. */
export interface ClusterSweepSpecOptions {
  /**
   * Combinations per chunk; default sized so a chunk is about 0.2-0.5 s of work on one core, smaller when that would
   * leave fewer than 16 chunks.
   */
  chunkSize?: number;
  /** Base URL of the coordinator's frame server, or null. Not part of the sweep id. */
  dataUrl?: string | null;
  /** Not part of the sweep id. */
  label?: ClusterSweepLabel;
}

/**
 * The spec of a sweep for the cluster and its id: the SHA-256 of the canonical JSON of everything that decides its
 * rows (engine version, strategy name and code hash, the plan, the parsed combinations, the data's hash, the chunk
 * size). The same sweep gets the same id on every machine and after a restart; where its data is served and its
 * label do not change the id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { clusterSweepSpec } from "./cluster_sweep_spec.ts";
 * import { parseBacktestOptions } from "../backtest/mod.ts";
 * const frame = new Frame(Float64Array.from({ length: 50 }, (_, i) => i * 60_000), {
 *   close: Float64Array.from({ length: 50 }, (_, i) => 100 + Math.sin(i)),
 * });
 * const plan = { options: parseBacktestOptions({}), stats: "fast" as const, statKeys: ["final_equity"],
 *   periodsPerYear: 525_600, riskFree: 0, benchmark: true, fastPath: false };
 * const combos = [{ fast: 2, slow: 5 }, { fast: 3, slow: 5 }, { fast: 2, slow: 9 }];
 * const job = { frame, strategy: "sma_cross", plan, combos };
 * const a = await clusterSweepSpec(job, { chunkSize: 2, dataUrl: "http://a:1/api/data" });
 * const b = await clusterSweepSpec(job, { chunkSize: 2 });
 * assert.equal(a.id, b.id);
 * assert.equal(a.spec.chunks, 2);
 * assert.notEqual((await clusterSweepSpec(job, { chunkSize: 3 })).id, a.id);
 * ```
 */
export async function clusterSweepSpec(
  job: SweepJob,
  options: ClusterSweepSpecOptions = {},
): Promise<{ id: string; spec: ClusterSweepSpec }> {
  const strategy = registry.get(job.strategy);
  const V = job.combos.length;
  const bars = job.frame.length;
  // About 0.2-0.5 s of one core's work per chunk (per-chunk overhead is ~5-15 ms), but at least 16 chunks when there
  // are the combinations, so a small sweep still spreads over the workers.
  const chunkSize = options.chunkSize ??
    Math.max(
      1,
      Math.min(Math.ceil(V / 16), Math.ceil(2e8 / (Math.max(1, bars) * (job.plan.fastPath ? 1 : 40)))),
    );
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be an integer >= 1, got ${chunkSize}`);
  }
  const planText = JSON.stringify(job.plan), combosText = JSON.stringify(job.combos);
  // Job data travels as JSON: a NaN or Infinity would arrive as null and give other rows.
  if (canonicalize(JSON.parse(planText)) !== canonicalize(job.plan)) {
    throw new TypeError(`the sweep's plan does not survive JSON (a non-finite number?): ${planText.slice(0, 200)}`);
  }
  if (canonicalize(JSON.parse(combosText)) !== canonicalize(job.combos)) {
    throw new TypeError("the sweep's combinations do not survive JSON (a non-finite number?): run it locally");
  }
  const spec: ClusterSweepSpec = {
    version: SPEC_VERSION,
    strategy: job.strategy,
    strategyHash: await strategyCodeHash(strategy),
    engineVersion: ENGINE_VERSION,
    plan: job.plan,
    combos: [...job.combos],
    frameHash: await hashFrame(job.frame),
    bars,
    dataUrl: options.dataUrl ?? null,
    chunkSize,
    chunks: Math.ceil(V / chunkSize),
    label: options.label ?? { series: "", fold: null, text: "" },
  };
  const { dataUrl: _u, label: _l, ...identity } = spec;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalize(identity)));
  const id = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return { id, spec };
}
