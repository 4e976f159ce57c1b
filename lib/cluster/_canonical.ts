// Canonical JSON (keys sorted at every level, -0 as 0, non-finite numbers marked so they never equal null): the
// text a sweep id is hashed from, and the check that a plan survives a JSON trip.
export function canonicalize(value: unknown): string {
  return JSON.stringify(sort(value));
}

function sort(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : `#${v}`;
  if (Array.isArray(v)) return v.map(sort);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sort(x);
    }
    return out;
  }
  return v;
}
