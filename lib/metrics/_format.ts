import type { StatUnit } from "./stats.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function duration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let v = Math.abs(ms);
  if (v < MINUTE) return `${sign}${Math.round(v / 1000)}s`;
  const parts: string[] = [];
  const d = Math.floor(v / DAY);
  v -= d * DAY;
  const h = Math.floor(v / HOUR);
  v -= h * HOUR;
  const m = Math.round(v / MINUTE);
  if (d > 0) parts.push(`${d}d`);
  if (h > 0) parts.push(`${h}h`);
  if (m > 0 && d === 0) parts.push(`${m}m`);
  return sign + (parts.length ? parts.join(" ") : "0m");
}

/** Formats a number for display in `unit`; see {@link formatStat}. */
export function formatValue(value: number, unit: StatUnit): string {
  if (Number.isNaN(value)) return "n/a";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  switch (unit) {
    case "fraction":
      return `${(value * 100).toFixed(2)}%`;
    case "ratio":
      return value.toFixed(2);
    case "number":
      return value.toFixed(3);
    case "currency":
      return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case "count":
      return Math.round(value).toLocaleString("en-US");
    case "bars":
      return `${Math.round(value).toLocaleString("en-US")} bars`;
    case "ms":
      return duration(value);
  }
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
