import { hash } from "node:crypto";
import { canonicalJson } from "../types/mod.ts";
import type { RiskConfig } from "./risk_config.ts";

/**
 * Content hash of a risk config: SHA-256 (hex) of its RFC 8785 canonical JSON (keys sorted at every level, no whitespace),
 * so the same limits give the same hash whatever the key order or indentation of the file. Config-change audit
 * events and backtest manifests carry it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_RISK_CONFIG, riskConfigHash } from "./mod.ts";
 * const h = await riskConfigHash(DEFAULT_RISK_CONFIG);
 * assert.match(h, /^[0-9a-f]{64}$/);
 * assert.equal(await riskConfigHash(structuredClone(DEFAULT_RISK_CONFIG)), h);
 * ```
 */
export function riskConfigHash(config: RiskConfig): Promise<string> {
  return Promise.resolve(hash("sha256", canonicalJson(config), "hex"));
}
