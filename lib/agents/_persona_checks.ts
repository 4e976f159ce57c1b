import { ConfigError } from "../types/mod.ts";
import { parseIndicatorKey } from "./_facts_indicators.ts";
import type { Persona } from "./persona.ts";

/**
 * Checks the schema cannot express: every indicator key is one `computeFacts` knows, factor ids are unique, and a rule
 * persona's factors each name the fact they read. Throws a ConfigError naming the file, the field and the fix.
 */
export function checkPersona(p: Persona, file: string): void {
  p.sees.indicators.forEach((key, i) => {
    try {
      parseIndicatorKey(key);
    } catch (e) {
      throw new ConfigError(`${file}: sees.indicators.${i}: ${(e as Error).message}`);
    }
  });
  const ids = new Set<string>();
  p.factors.forEach((f, i) => {
    if (ids.has(f.id)) {
      throw new ConfigError(`${file}: factors.${i}.id: factor ${JSON.stringify(f.id)} is listed twice; rename one`);
    }
    ids.add(f.id);
    if (p.kind === "rule" && (f.fact === undefined || f.fact === "")) {
      throw new ConfigError(
        `${file}: factors.${i}.fact: a rule persona's factor ${JSON.stringify(f.id)} needs the fact id it reads ` +
          `(e.g. "close_vs_sma_close_50"), got none`,
      );
    }
  });
}
