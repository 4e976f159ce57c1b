import type { z } from "zod";

/**
 * A refine rule `p[a] < p[b]` whose message names both values, e.g.
 * `fast must be < slow (got fast=50, slow=20)`. Use as `.refine(...lessThan("fast", "slow"))`.
 */
export function lessThan<A extends string, B extends string>(
  a: A,
  b: B,
): [(p: Record<A | B, number>) => boolean, { path: [A]; error: (iss: z.core.$ZodRawIssue) => string }] {
  return [
    (p) => p[a] < p[b],
    {
      path: [a],
      error: (iss) => {
        const p = iss.input as Record<string, unknown>;
        return `${a} must be < ${b} (got ${a}=${String(p[a])}, ${b}=${String(p[b])})`;
      },
    },
  ];
}
