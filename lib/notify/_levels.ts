import type { NotificationLevel } from "./notification_level.ts";

const RANK: Record<NotificationLevel, number> = { info: 0, warning: 1, pause: 2, kill: 3, error: 4 };

/** True when `level` is `min` or more urgent. */
export function passes(level: NotificationLevel, min: NotificationLevel): boolean {
  return RANK[level] >= RANK[min];
}
