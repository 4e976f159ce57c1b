/**
 * Version of the simulation semantics. Bump it whenever a change can alter any result (fill
 * rules, cost arithmetic, rounding), so manifests of old runs stay meaningful.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ENGINE_VERSION } from "./engine_version.ts";
 * assert.match(ENGINE_VERSION, /^\d+\.\d+\.\d+$/);
 * ```
 */
export const ENGINE_VERSION = "0.1.0";
