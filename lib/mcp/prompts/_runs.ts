// What the run prompts share: run-id arguments with completion, and a recorded run or an error naming the argument.

import { z } from "zod";
import { completable } from "../_sdk.ts";
import type { RunRecord, RunRegistry } from "../../runs/mod.ts";
import { openRuns } from "../tools/_research.ts";
import { type PromptContext, unknownRun } from "./_prompt.ts";

/** A run id argument completed from the newest 200 recorded runs. */
export function runIdArg(ctx: PromptContext, what: string): z.ZodType<string> {
  return completable(z.string().min(1).describe(`${what} (list_runs shows the ids)`), async (v) => {
    await using runs = await openRuns(ctx.dataDir);
    return (await runs.list({ limit: 200 })).map((r) => r.id).filter((id) => id.startsWith(v ?? "")).slice(0, 100);
  }) as unknown as z.ZodType<string>;
}

/** The recorded run `id`, or a RangeError naming `field` and the fix. */
export async function runArg(runs: RunRegistry, field: string, id: string | undefined): Promise<RunRecord> {
  try {
    return await runs.get(id ?? "");
  } catch (e) {
    if (e instanceof RangeError) throw unknownRun(field, id ?? "");
    throw e;
  }
}
