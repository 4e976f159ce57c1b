/** What replaces a secret. */
const MASK = "[REDACTED]";
/** Deeper structures are cut: notification data is meant to be a few flat facts. */
const MAX_DEPTH = 8;

/** A masking copier for a fixed set of secrets (sorted once: sinks call it on every notification). */
export function createRedactor(secrets: readonly string[]): (value: unknown) => unknown {
  const sorted = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  const mask = (text: string): string => {
    let out = text;
    for (let i = 0; i < sorted.length; i++) {
      const s = sorted[i]!;
      if (out.includes(s)) out = out.replaceAll(s, MASK);
    }
    return out;
  };
  // Ancestors on the current path: depth is at most MAX_DEPTH, so a linear scan beats a WeakSet per call.
  const path: object[] = [];
  const copy = (value: unknown, depth: number): unknown => {
    switch (typeof value) {
      case "string":
        return mask(value);
      case "number":
        return Number.isFinite(value) ? value : null;
      case "boolean":
        return value;
      case "bigint":
        return mask(value.toString());
      case "undefined":
      case "function":
      case "symbol":
        return undefined;
    }
    if (value === null) return null;
    const obj = value as object;
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
    if (depth >= MAX_DEPTH) return "[Too deep]";
    // A reference seen twice in sibling branches is not a cycle; only an ancestor is.
    if (path.includes(obj)) return "[Circular]";
    path.push(obj);
    try {
      if (Array.isArray(obj)) {
        const out: unknown[] = new Array(obj.length);
        for (let i = 0; i < obj.length; i++) {
          const c = copy(obj[i], depth + 1);
          out[i] = c === undefined ? null : c;
        }
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const k in obj) {
        if (!Object.hasOwn(obj, k)) continue;
        const c = copy((obj as Record<string, unknown>)[k], depth + 1);
        if (c !== undefined) out[mask(k)] = c;
      }
      return out;
    } finally {
      path.pop();
    }
  };
  return (value) => {
    path.length = 0;
    return copy(value, 0);
  };
}
