import { z } from "zod";

const RUN_ID = /^\d{8}T\d{9}Z-[0-9a-f]{8}-[0-9a-f]{4}$/;

/**
 * Zod schema of a run id: `YYYYMMDDTHHMMSSmmmZ-<manifest hash, 8 hex>-<4 random hex>`, e.g.
 * `20240102T030405678Z-1a2b3c4d-9f0e`. Ids sort by creation time; the hash prefix says which
 * runs share a manifest; the random tail keeps two identical runs in the same millisecond apart.
 * Only `[0-9a-fTZ-]` can appear, so an id is always a safe folder name (no `/`, no `..`).
 */
export const RunIdSchema: z.ZodType<string> = z.string().regex(
  RUN_ID,
  "a run id looks like 20240102T030405678Z-1a2b3c4d-9f0e (see `deno task backtest --help`)",
);

/**
 * Validates a run id given by a user (CLI flag, URL, MCP call) before it touches a path.
 * Throws a RangeError naming the value and the expected form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRunId } from "./parse_run_id.ts";
 * assert.throws(() => parseRunId("../../etc/passwd"), /Invalid run id "..\/..\/etc\/passwd"/);
 * ```
 */
export function parseRunId(text: string): string {
  if (typeof text !== "string" || !RUN_ID.test(text)) {
    throw new RangeError(
      `Invalid run id ${JSON.stringify(text)}: a run id looks like 20240102T030405678Z-1a2b3c4d-9f0e ` +
        "(list them with RunRegistry.list or the runs page)",
    );
  }
  return text;
}
