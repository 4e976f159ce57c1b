import { formatFixed, MINUS } from "./format_fixed.ts";
import type { StatUnit } from "./stats.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function duration(ms: number): string {
  let v = Math.abs(ms);
  let text: string;
  if (v < MINUTE) text = `${Math.round(v / 1000)}s`;
  else {
    const parts: string[] = [];
    const d = Math.floor(v / DAY);
    v -= d * DAY;
    const h = Math.floor(v / HOUR);
    v -= h * HOUR;
    const m = Math.round(v / MINUTE);
    if (d > 0) parts.push(`${d.toLocaleString("en-US")}d`);
    if (h > 0) parts.push(`${h}h`);
    if (m > 0 && d === 0) parts.push(`${m}m`);
    text = parts.length ? parts.join(" ") : "0m";
  }
  return ms < 0 && /[1-9]/.test(text) ? MINUS + text : text;
}

/**
 * Formats a number for display in `unit` with the unit's fixed decimals (fraction as percent 2,
 * ratio 2, number 3, currency 2, count and bars 0) and one minus sign, U+2212; see
 * {@link formatStat} and {@link formatFixed}.
 */
export function formatValue(value: number, unit: StatUnit): string {
  if (Number.isNaN(value)) return "n/a";
  switch (unit) {
    case "fraction":
      return formatFixed(value, 2, { scale: 100, suffix: "%" });
    case "ratio":
      return formatFixed(value, 2);
    case "number":
      return formatFixed(value, 3);
    case "currency":
      return formatFixed(value, 2);
    case "count":
      return formatFixed(value, 0);
    case "bars":
      return formatFixed(value, 0, { suffix: " bars" });
    case "ms":
      return Number.isFinite(value) ? duration(value) : formatFixed(value, 0);
  }
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
