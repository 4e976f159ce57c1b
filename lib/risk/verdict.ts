import { z } from "zod";
import { RuleLevelSchema } from "./risk_config.ts";

/**
 * The risk engine's answer to one order intent (or to an account check). `ok: true` verdicts have code `"ok"`,
 * level `"warning"` and an empty detail. A denial's `code` names the rule (`max_position_share`, `daily_loss`, ...),
 * `level` says what happens to the account (`applyVerdict`), `detail` compares the value with the limit.
 * Serialisable as is (an audit event payload).
 */
export const VerdictSchema = z.strictObject({
  ok: z.boolean(),
  code: z.string().min(1),
  level: RuleLevelSchema,
  detail: z.string(),
});
export type Verdict = z.infer<typeof VerdictSchema>;
