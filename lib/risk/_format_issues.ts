import type { z } from "zod";

/** One line per zod issue: `path: reason`, unknown keys named, so a user finds the field to fix. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => {
    const path = i.path.map(String).join(".") || "(top level)";
    if (i.code === "unrecognized_keys") {
      const keys = (i as { keys: string[] }).keys.map((k) => JSON.stringify(k)).join(", ");
      return `${path}: unknown field ${keys} (remove it or fix its spelling)`;
    }
    return `${path}: ${i.message}`;
  }).join("; ");
}
