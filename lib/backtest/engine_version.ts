/**
 * Version of the simulation semantics. Bump it whenever a change can alter any result (fill
 * rules, cost arithmetic, rounding), so manifests of old runs stay meaningful.
 *
 * - 0.2.0: portfolio `next_open` orders decided where an asset has no bar fill at its next open
 *   (pending), buys scaled pro rata when cash is short, sells whose fixed fee exceeds their
 *   proceeds skipped; rolling vwap and the rolling mean/std indicators stay exact when a
 *   large value leaves the window (last-digit changes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ENGINE_VERSION } from "./engine_version.ts";
 * assert.match(ENGINE_VERSION, /^\d+\.\d+\.\d+$/);
 * ```
 */
export const ENGINE_VERSION = "0.2.0";
