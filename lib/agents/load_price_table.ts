import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { resolveDataDir } from "../fs/mod.ts";
import { ConfigError, formatZodIssues } from "../types/mod.ts";
import type { PriceTable } from "./price_table.ts";

const usdPerMillion = z.number().finite().min(0);

/** A prices file: model id → USD per million tokens of each token class. */
export const PriceFileSchema = z.record(
  z.string().min(1).max(128),
  z.strictObject({ input: usdPerMillion, output: usdPerMillion, cacheWrite: usdPerMillion, cacheRead: usdPerMillion }),
);

/** Options of {@link loadPriceTable}. */
export interface LoadPriceTableOptions {
  /** The file (`--llm-prices`). Default `<dataDir>/agents/prices.json`, used only when it exists. */
  path?: string;
  dataDir?: string;
}

/**
 * The price overrides of the agents config: a JSON file of `{ "model-id": { input, output, cacheWrite, cacheRead } }`
 * in USD per million tokens, over the built-in `priceTable` (a new model, or a negotiated price). The default file
 * `<dataDir>/agents/prices.json` is optional; a file named explicitly must exist. A bad file is a `ConfigError`
 * naming the file, the field and the fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadPriceTable } from "./load_price_table.ts";
 * const dir = Deno.makeTempDirSync();
 * assert.equal(loadPriceTable({ dataDir: dir }), undefined); // no file: the built-in table only
 * Deno.writeTextFileSync(`${dir}/p.json`, JSON.stringify({ "my-model": { input: 1, output: 2, cacheWrite: 1.25, cacheRead: 0.1 } }));
 * assert.equal(loadPriceTable({ path: `${dir}/p.json` })?.["my-model"]?.output, 2);
 * ```
 */
export function loadPriceTable(options: LoadPriceTableOptions = {}): PriceTable | undefined {
  const path = options.path ?? join(resolveDataDir(options.dataDir), "agents", "prices.json");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (options.path === undefined && (e as { code?: string }).code === "ENOENT") return undefined;
    throw new ConfigError(`cannot read the prices file ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path} is not JSON (${(e as Error).message}): fix the file`);
  }
  const parsed = PriceFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      `${path}: ${formatZodIssues(parsed.error, json)}; each model maps to { input, output, cacheWrite, cacheRead }` +
        " in USD per million tokens",
    );
  }
  return parsed.data;
}
