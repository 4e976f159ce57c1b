/**
 * Version of the simulation semantics. Bump it whenever a change can alter any result (fill
 * rules, cost arithmetic, rounding), so manifests of old runs stay meaningful.
 *
 * - 0.2.0: portfolio `next_open` orders decided where an asset has no bar fill at its next open
 *   (pending), buys scaled pro rata when cash is short, sells whose fixed fee exceeds their
 *   proceeds skipped; rolling vwap and the rolling mean/std indicators stay exact when a
 *   large value leaves the window (last-digit changes).
 * - 0.3.0: a missing `shortExits` means the long `entries` close shorts with `direction: "short"`
 *   (was: the long `exits`) as with `"both"`; `exposure` no longer counts the last bar when
 *   `finalize: "close"` sells the position at its close; portfolio orders check `minNotional` on
 *   the fill price (after spread and slippage) like single-asset runs (was: the price before costs).
 *   Signals-mode portfolio entries of one step share the available cash pro rata when they ask for
 *   more than there is (was: filled in asset order, the first-listed asset served first).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ENGINE_VERSION } from "./engine_version.ts";
 * assert.match(ENGINE_VERSION, /^\d+\.\d+\.\d+$/);
 * ```
 */
export const ENGINE_VERSION = "0.3.0";
