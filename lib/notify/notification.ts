import { z } from "zod";
import { AccountNameSchema } from "../types/mod.ts";
import { NotificationLevelSchema } from "./notification_level.ts";

/**
 * One message to operators. `ts` is epoch ms UTC; `kind` names what happened in snake_case (`risk_verdict`,
 * `kill`, `run_stopped`, ...); `title` is one short line, `detail` the explanation; `correlationId` links it to
 * the bar, verdict and orders of one decision in the audit log; `data` is a small JSON object of facts (the
 * rule's limit and value, the symbol).
 *
 * Never put an environment, a config object or an exchange client in `data`: sinks only redact the secrets
 * they were given ({@link redact}), they do not guess which fields are secret.
 */
export const NotificationSchema = z.strictObject({
  ts: z.number().int().nonnegative(),
  account: AccountNameSchema,
  level: NotificationLevelSchema,
  kind: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "a kind is snake_case, 1-64 characters (e.g. risk_verdict)"),
  title: z.string().min(1).max(200),
  detail: z.string().max(4000),
  correlationId: z.string().min(1).max(128).optional(),
  data: z.record(z.string(), z.json()).optional(),
});
export type Notification = z.infer<typeof NotificationSchema>;
