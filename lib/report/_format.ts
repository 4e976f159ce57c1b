// Display formatting shared by every report section: one time format (always marked UTC) and
// human labels for option values.
import { formatFixed } from "../metrics/mod.ts";

/** `2024-03-01 UTC` at midnight, `2024-03-01 14:05 UTC` otherwise; "—" for a missing time. */
export function utcTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const iso = new Date(ms).toISOString();
  return iso.endsWith("T00:00:00.000Z") ? `${iso.slice(0, 10)} UTC` : `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** An option or param value for people: null/false -> "off", true -> "on", objects flattened. */
export function humanValue(v: unknown): string {
  if (v === null || v === undefined || v === false) return "off";
  if (v === true) return "on";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : String(v);
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(humanValue).join(", ");
  if (typeof v === "object") {
    // Tagged options read as their tag and value: { kind: "fraction", value: 0.5 } -> "fraction 0.5".
    const { kind, ...rest } = v as Record<string, unknown>;
    if (typeof kind === "string") return [kind, ...Object.values(rest).map(humanValue)].join(" ");
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k} ${humanValue(x)}`).join(", ");
  }
  return String(v);
}

/** `fast=10 · slow=50 · stopLoss off` from a params or options object. */
export function humanParams(p: Record<string, unknown>): string {
  const parts = Object.entries(p).map(([k, v]) => {
    const h = humanValue(v);
    return h === "off" || h === "on" ? `${k} ${h}` : `${k}=${h}`;
  });
  return parts.length === 0 ? "none" : parts.join(" · ");
}

/** A percentage-point difference of two fractions: 0.0123 -> "+1.23 pp". */
export function ppText(diff: number): string {
  if (!Number.isFinite(diff)) return "n/a";
  return formatFixed(diff, 2, { scale: 100, suffix: " pp", signed: true });
}
