import { ConfigError } from "../types/mod.ts";
import { parseRiskConfig } from "./parse_risk_config.ts";
import type { RiskConfig } from "./risk_config.ts";

/**
 * Reads and parses a risk config file (`parseRiskConfig`). A missing or unreadable file, malformed JSON or a bad
 * field throws a `ConfigError` naming the path, the field and the reason; the caller keeps its old config.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadRiskConfig, writeDefaultRiskConfig } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * await writeDefaultRiskConfig(`${dir}/risk.json`);
 * assert.equal((await loadRiskConfig(`${dir}/risk.json`)).rules.maxLeverage.limit, 1);
 * await assert.rejects(loadRiskConfig(`${dir}/nope.json`), /nope\.json/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadRiskConfig(path: string): Promise<RiskConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "no such file; write one with writeDefaultRiskConfig or give the right path"
      : (e as Error).message;
    throw new ConfigError(`risk config ${path}: ${why}`);
  }
  return parseRiskConfig(text, { source: `risk config ${path}` });
}
