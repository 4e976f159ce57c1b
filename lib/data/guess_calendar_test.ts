import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { guessCalendar } from "./guess_calendar.ts";
import { readCsv } from "./read_csv.ts";

const SAMPLES = new URL("../../data/samples/", import.meta.url);
const frameOf = (ts: number[]): Frame => new Frame(new Float64Array(ts), {});
const H = 3_600_000, D = 86_400_000;
const MON = Date.UTC(2024, 0, 1);

Deno.test("guessCalendar on the samples: crypto 24/7, GOOG/SP500 weekdays, EURUSD fx", async () => {
  const cases: Array<[string, string, string]> = [
    ["ADA_BTC-5m.csv", "5m", "24/7"],
    ["XRP_ETH-1m.csv", "1m", "24/7"],
    ["XRP_USDT_USDT-1h-futures.csv", "1h", "24/7"],
    ["GOOG.raw.csv", "1d", "weekdays"],
    ["SP500-2000.csv", "1d", "weekdays"],
    ["EURUSD.raw.csv", "1h", "fx"],
    ["BTCUSD.raw.csv", "1M", "24/7"],
  ];
  for (const [file, tf, cal] of cases) {
    const { frame } = await readCsv(new URL(file, SAMPLES));
    assert.equal(guessCalendar(frame, tf), cal, file);
  }
});

Deno.test("guessCalendar rules on synthetic bars", () => {
  // Weekday-only hourly bars, no Sunday: weekdays.
  const weekdayHours = Array.from({ length: 14 * 24 }, (_, i) => MON + i * H).filter((t) => {
    const d = new Date(t).getUTCDay();
    return d !== 0 && d !== 6;
  });
  assert.equal(guessCalendar(frameOf(weekdayHours), "1h"), "weekdays");
  // A Saturday bar: 24/7.
  assert.equal(guessCalendar(frameOf([...weekdayHours, MON + 5 * D + 12 * H]), "1h"), "24/7");
  // Sunday 21:00 bar (fx open): fx.
  assert.equal(guessCalendar(frameOf([...weekdayHours, MON + 6 * D + 21 * H]), "1h"), "fx");
  // Three weekdays only: cannot tell, 24/7.
  assert.equal(guessCalendar(frameOf([MON, MON + D, MON + 2 * D]), "1d"), "24/7");
  assert.equal(guessCalendar(frameOf([]), "1d"), "24/7");
  assert.equal(guessCalendar(frameOf([MON, MON + 7 * D]), "1w"), "24/7");
});
