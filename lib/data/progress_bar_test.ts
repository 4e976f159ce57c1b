import assert from "node:assert/strict";
import type { DownloadProgress } from "./download_ohlcv.ts";
import { progressBar } from "./progress_bar.ts";

const p = (over: Partial<DownloadProgress>): DownloadProgress => ({
  series: "binance:BTC/USDT:1m",
  fetched: 0,
  expected: 1000,
  covered: 0,
  barsPerSec: 0,
  etaSec: NaN,
  lastTs: undefined,
  pages: 0,
  retries: 0,
  done: false,
  ...over,
});

Deno.test("progressBar on a terminal redraws one line and ends with a newline", () => {
  let out = "";
  const render = progressBar({ output: { write: (s) => void (out += s), isTerminal: true }, width: 10 });
  render(p({ covered: 250, fetched: 250, barsPerSec: 100, etaSec: 7.5, pages: 1 }));
  render(p({ covered: 1000, fetched: 990, barsPerSec: 100, etaSec: 0, done: true, lastTs: Date.UTC(2024, 0, 1) }));
  const lines = out.split("\r\x1b[2K").filter(Boolean);
  assert.equal(lines.length, 2);
  assert.equal(lines[0], "binance:BTC/USDT:1m [###-------] 25.0% 250/1000 bars 100 bars/s eta 8s");
  assert.equal(
    lines[1],
    "binance:BTC/USDT:1m [##########] 100.0% 990/1000 bars 100 bars/s done up to 2024-01-01T00:00Z\n",
  );
});

Deno.test("progressBar off a terminal writes a line every intervalMs and the last one", () => {
  let out = "", clock = 0;
  const render = progressBar({
    output: { write: (s) => void (out += s), isTerminal: false },
    intervalMs: 5000,
    now: () => clock,
  });
  for (let i = 1; i <= 10; i++) {
    clock = i * 1000;
    render(p({ covered: i * 100, fetched: i * 100, retries: i > 5 ? 1 : 0 }));
  }
  render(p({ covered: 1000, fetched: 1000, done: true }));
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 3); // t=1 s, t=6 s (5 s later), then the final one
  assert.match(lines[1]!, /60\.0% 600\/1000 bars .* 1 retries$/);
  assert.match(lines[2]!, /100\.0% .* done$/);
});
