import { type BacktestOptions, type BacktestOptionsInput, BacktestOptionsSchema } from "./backtest_options.ts";

/**
 * Validates options and fills in defaults. Call it once per run (the simulators do), never per bar.
 * Throws a RangeError that lists every bad field, the value seen and the constraint.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBacktestOptions } from "./parse_backtest_options.ts";
 * assert.equal(parseBacktestOptions({ fill: "close" }).cash, 10_000);
 * assert.throws(() => parseBacktestOptions({ fee: -1 }), RangeError);
 * ```
 */
export function parseBacktestOptions(input: BacktestOptionsInput | BacktestOptions = {}): BacktestOptions {
  const r = BacktestOptionsSchema.safeParse(input);
  if (!r.success) {
    const lines = r.error.issues.map((i) => {
      const path = i.path.join(".") || "(options)";
      const seen = i.path.reduce<unknown>(
        (v, k) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined),
        input,
      );
      return `${path}: ${i.message} (got ${JSON.stringify(seen)})`;
    });
    throw new RangeError(`Invalid backtest options:\n  ${lines.join("\n  ")}`);
  }
  const parsed: BacktestOptions = r.data;
  return parsed;
}
