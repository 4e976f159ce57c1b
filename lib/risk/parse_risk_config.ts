import { ConfigError, formatZodIssues } from "../types/mod.ts";
import { type RiskConfig, RiskConfigSchema } from "./risk_config.ts";

/** Options of `parseRiskConfig`. */
export interface ParseRiskConfigOptions {
  /** Where the text came from, named in errors (a file path). Default "risk config". */
  source?: string;
}

/**
 * Parses the JSON text of a risk config. Malformed JSON, an unknown field or a bad value throws a `ConfigError`
 * that names the source, each field path and the reason; nothing is returned, so the caller keeps the config it
 * had in force.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_RISK_CONFIG, parseRiskConfig } from "./mod.ts";
 * const text = JSON.stringify(DEFAULT_RISK_CONFIG);
 * assert.deepEqual(parseRiskConfig(text), DEFAULT_RISK_CONFIG);
 * const bad = text.replace('"perMinute":5', '"perMinute":-1');
 * assert.throws(() => parseRiskConfig(bad), /rules\.orderRate\.perMinute/);
 * ```
 */
export function parseRiskConfig(text: string, options: ParseRiskConfigOptions = {}): RiskConfig {
  const source = options.source ?? "risk config";
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${source}: not valid JSON (${(e as Error).message}); fix the file's syntax`);
  }
  const r = RiskConfigSchema.safeParse(json);
  if (!r.success) throw new ConfigError(`${source}: ${formatZodIssues(r.error, json)}`);
  return r.data;
}
