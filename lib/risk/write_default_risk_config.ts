import { writeFileAtomic } from "../fs/mod.ts";
import { DEFAULT_RISK_CONFIG } from "./default_risk_config.ts";
import { ConfigError, formatZodIssues } from "../types/mod.ts";
import { type RiskConfig, RiskConfigSchema } from "./risk_config.ts";

/** Options of `writeDefaultRiskConfig`. */
export interface WriteDefaultRiskConfigOptions {
  /** Replace an existing file (default false: an existing file is kept, atomically, and `AlreadyExists` thrown). */
  overwrite?: boolean;
  /** The config to write instead of `DEFAULT_RISK_CONFIG` (validated first: a bad one throws a `ConfigError`). */
  config?: RiskConfig;
}

/**
 * Writes a new account's risk config file: `DEFAULT_RISK_CONFIG` as indented JSON (one field per line, so the
 * user reads and edits it), atomically (temp file, fsync, rename, folder fsync: a crash leaves the old file or the
 * new one, never half of one). Refuses to replace an existing file unless `overwrite`. Returns the config written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeDefaultRiskConfig } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * await writeDefaultRiskConfig(`${dir}/risk.json`);
 * await assert.rejects(writeDefaultRiskConfig(`${dir}/risk.json`), Deno.errors.AlreadyExists);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeDefaultRiskConfig(
  path: string,
  options: WriteDefaultRiskConfigOptions = {},
): Promise<RiskConfig> {
  const config = options.config ?? DEFAULT_RISK_CONFIG;
  // A bad config is refused before anything is written: the file on disk stays as it was.
  const parsed = RiskConfigSchema.safeParse(config);
  if (!parsed.success) throw new ConfigError(`risk config for ${path}: ${formatZodIssues(parsed.error, config)}`);
  try {
    await writeFileAtomic(path, JSON.stringify(config, null, 2) + "\n", { noReplace: options.overwrite !== true });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    throw new Deno.errors.AlreadyExists(
      `risk config ${path} already exists; edit it, or pass overwrite: true to replace it with the defaults`,
    );
  }
  return config;
}
