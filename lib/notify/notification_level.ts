import { z } from "zod";

/**
 * How urgent a notification is, from least to most: `info` (a run started or stopped), `warning` (a limit is
 * near, a retry), `pause` (entries stopped, exits allowed), `kill` (trading halted) and `error` (something broke
 * and an operator must look). A sink's `minLevel` passes its level and every level after it in this order.
 */
export const NotificationLevelSchema = z.enum(["info", "warning", "pause", "kill", "error"]);
export type NotificationLevel = z.infer<typeof NotificationLevelSchema>;
