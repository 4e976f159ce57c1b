import { DEFAULT_RISK_CONFIG } from "./default_risk_config.ts";
import type { RiskConfig } from "./risk_config.ts";

/**
 * The default config with every rule switched off: what a run with no limits is (research parity, rehearsals).
 * Never a default for an account: `createAccount` writes {@link DEFAULT_RISK_CONFIG}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { noLimitsRiskConfig } from "./no_limits_risk_config.ts";
 * const c = noLimitsRiskConfig();
 * assert.ok(Object.values(c.rules).every((r) => r.enabled === false));
 * ```
 */
export function noLimitsRiskConfig(): RiskConfig {
  const c = structuredClone(DEFAULT_RISK_CONFIG) as RiskConfig;
  for (const rule of Object.values(c.rules)) (rule as { enabled: boolean }).enabled = false;
  return c;
}
