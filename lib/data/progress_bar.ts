import type { DownloadProgress } from "./download_ohlcv.ts";

/** Where {@link progressBar} writes; default Deno.stderr. */
export interface ProgressOutput {
  /** Writes text as is (no newline added). */
  write(text: string): void;
  /** True for a terminal: one line updated in place; false: a plain line every `intervalMs`. */
  isTerminal: boolean;
}

/** Options for {@link progressBar}. */
export interface ProgressBarOptions {
  /** Default: Deno.stderr, terminal when `Deno.stderr.isTerminal()`. */
  output?: ProgressOutput;
  /** Minimum time between lines when not a terminal. Default 5000 ms. */
  intervalMs?: number;
  /** Bar width in characters. Default 24. */
  width?: number;
  /** Clock, ms. Default `performance.now`. */
  now?: () => number;
}

/**
 * A terminal renderer for {@link downloadOhlcv}'s `onProgress`: on a TTY a single line redrawn in
 * place (`\r`), ending with a newline when done; otherwise a plain line every few seconds and a
 * last one when done (readable in CI logs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { progressBar } from "./progress_bar.ts";
 * let out = "";
 * const render = progressBar({ output: { write: (s) => { out += s; }, isTerminal: false } });
 * render({ series: "binance:BTC/USDT:1m", fetched: 1000, expected: 2000, covered: 1000, barsPerSec: 500,
 *   etaSec: 2, lastTs: Date.UTC(2024, 0, 1), pages: 1, retries: 0, done: false });
 * assert.match(out, /binance:BTC\/USDT:1m .* 50\.0% 1000\/2000 bars/);
 * ```
 */
export function progressBar(options: ProgressBarOptions = {}): (p: DownloadProgress) => void {
  const output = options.output ?? defaultOutput();
  const intervalMs = options.intervalMs ?? 5000;
  const width = options.width ?? 24;
  const now = options.now ?? (() => performance.now());
  let lastLine = -Infinity;
  return (p) => {
    const frac = p.expected > 0 ? Math.min(1, p.covered / p.expected) : p.done ? 1 : 0;
    const filled = Math.round(frac * width);
    const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
    const eta = p.done ? "done" : Number.isFinite(p.etaSec) ? `eta ${formatSecs(p.etaSec)}` : "eta ?";
    const last = p.lastTs === undefined ? "" : ` up to ${new Date(p.lastTs).toISOString().slice(0, 16)}Z`;
    const retries = p.retries ? ` ${p.retries} retries` : "";
    const line = `${p.series} ${bar} ${(frac * 100).toFixed(1)}% ${p.fetched}/${p.expected} bars` +
      ` ${Math.round(p.barsPerSec)} bars/s ${eta}${last}${retries}`;
    if (output.isTerminal) {
      output.write(`\r\x1b[2K${line}${p.done ? "\n" : ""}`);
      return;
    }
    const t = now();
    if (p.done || t - lastLine >= intervalMs) {
      lastLine = t;
      output.write(`${line}\n`);
    }
  };
}

function defaultOutput(): ProgressOutput {
  const enc = new TextEncoder();
  return { write: (s) => void Deno.stderr.writeSync(enc.encode(s)), isTerminal: Deno.stderr.isTerminal() };
}

function formatSecs(s: number): string {
  if (s < 90) return `${Math.ceil(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}
