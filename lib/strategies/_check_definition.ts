import type { AnyStrategy } from "./strategy.ts";
import { paramFields } from "./param_fields.ts";

const NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** Checks the parts of a strategy definition that can be checked without data; throws TypeError. */
export function checkDefinition(s: AnyStrategy): void {
  const label = `strategy ${JSON.stringify(s?.name)}`;
  if (typeof s !== "object" || s === null) throw new TypeError(`a strategy must be an object, got ${String(s)}`);
  if (typeof s.name !== "string" || !NAME.test(s.name)) {
    throw new TypeError(`${label}: name must be snake_case (like "sma_cross"), got ${JSON.stringify(s.name)}`);
  }
  for (const key of ["title", "description"] as const) {
    if (typeof s[key] !== "string" || s[key].trim() === "") {
      throw new TypeError(`${label}: ${key} must be a non-empty sentence, got ${JSON.stringify(s[key])}`);
    }
  }
  const fn = s.kind === "portfolio" ? "weights" : "signals";
  if (typeof (s as unknown as Record<string, unknown>)[fn] !== "function") {
    throw new TypeError(`${label}: ${fn}(...) must be a function`);
  }
  if (typeof s.warmup !== "function") throw new TypeError(`${label}: warmup(p) must be a function`);
  paramFields(s);
  const defaults = s.params.safeParse({});
  if (!defaults.success) {
    throw new TypeError(
      `${label}: the default params do not validate (${
        defaults.error.issues.map((i) => i.message).join("; ")
      }); fix the .default() values`,
    );
  }
  const w = s.warmup(defaults.data);
  if (!Number.isInteger(w) || w < 0) {
    throw new TypeError(`${label}: warmup(defaults) must be a non-negative integer number of bars, got ${String(w)}`);
  }
}
