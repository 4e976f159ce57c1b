// The simulation and data flags that every command running a backtest takes (`deno task backtest`, `deno task
// parity`): their declarations for `parseFlags` and their parsing into backtest and data options, in one place.

import type { BacktestOptionsInput } from "../lib/backtest/mod.ts";
import { type Calendar, CalendarSchema, TimeframeSchema } from "../lib/types/mod.ts";
import { parseDateFlag, parseNumberFlag, UsageError } from "./_cli.ts";
import { type DataOptions, parseFraction, parseSizeFlag } from "./_backtest_args.ts";

/** Parsed flag values, as `parseFlags` returns them. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** `parseFlags` declarations of the data flags read by {@link dataOptionsFromFlags}. */
export const DATA_FLAGS = {
  timeframe: { type: "string" },
  calendar: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  "periods-per-year": { type: "string" },
  "risk-free": { type: "string" },
} as const;

/** `parseFlags` declarations of the simulation flags read by {@link optionsFromFlags}. */
export const SIMULATION_FLAGS = {
  fill: { type: "string" },
  fee: { type: "string" },
  "fixed-fee": { type: "string" },
  spread: { type: "string" },
  slippage: { type: "string" },
  cash: { type: "string" },
  size: { type: "string" },
  lot: { type: "string" },
  "min-notional": { type: "string" },
  direction: { type: "string" },
  "stop-loss": { type: "string" },
  "take-profit": { type: "string" },
  "trailing-stop": { type: "string" },
  finalize: { type: "string" },
} as const;

/** The simulation flags (`--fill`, `--fee`, ... `--finalize`) as backtest options; only the flags given are set. */
export function optionsFromFlags(values: FlagValues): BacktestOptionsInput {
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const o: BacktestOptionsInput = {};
  const frac = (flag: string, hint = "a fraction from 0 (inclusive) to 1, e.g. 0.001, 0.1% or 10bp") =>
    parseFraction(flag, str(flag)!, (x) => x >= 0 && x < 1, hint);
  const pos = (flag: string) =>
    parseFraction(flag, str(flag)!, (x) => x > 0 && x < 1, "a fraction above 0 and below 1, e.g. 0.05 or 5%");
  const money = (flag: string, strict: boolean) =>
    parseNumberFlag(flag, str(flag)!, (x) => (strict ? x > 0 : x >= 0), strict ? "a number > 0" : "a number >= 0");
  if (str("fill") !== undefined) {
    const v = str("fill")!;
    if (v !== "next_open" && v !== "close") {
      throw new UsageError(`--fill ${JSON.stringify(v)} is not valid: use next_open or close`);
    }
    o.fill = v;
  }
  if (str("fee") !== undefined) o.fee = frac("fee");
  if (str("fixed-fee") !== undefined) o.fixedFee = money("fixed-fee", false);
  if (str("spread") !== undefined) o.spread = frac("spread");
  if (str("slippage") !== undefined) o.slippage = frac("slippage");
  if (str("cash") !== undefined) o.cash = money("cash", true);
  if (str("size") !== undefined) o.size = parseSizeFlag(str("size")!);
  if (str("lot") !== undefined) o.lot = money("lot", false);
  if (str("min-notional") !== undefined) o.minNotional = money("min-notional", false);
  if (str("direction") !== undefined) {
    const v = str("direction")!;
    if (v !== "long" && v !== "short" && v !== "both") {
      throw new UsageError(`--direction ${JSON.stringify(v)} is not valid: use long, short or both`);
    }
    o.direction = v;
  }
  if (str("stop-loss") !== undefined) o.stopLoss = pos("stop-loss");
  if (str("take-profit") !== undefined) {
    o.takeProfit = parseFraction(
      "take-profit",
      str("take-profit")!,
      (x) => x > 0,
      "a fraction above 0, e.g. 0.1 or 10%",
    );
  }
  if (str("trailing-stop") !== undefined) o.trailingStop = pos("trailing-stop");
  if (str("finalize") !== undefined) {
    const v = str("finalize")!;
    if (v !== "close" && v !== "open") {
      throw new UsageError(`--finalize ${JSON.stringify(v)} is not valid: use close or open`);
    }
    o.finalize = v;
  }
  return o;
}

/** The data flags (`--timeframe`, `--calendar`, `--from`, `--to`, `--periods-per-year`, `--risk-free`). */
export function dataOptionsFromFlags(values: FlagValues): DataOptions {
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const d: DataOptions = {};
  if (str("timeframe") !== undefined) {
    const tf = str("timeframe")!;
    if (!TimeframeSchema.safeParse(tf).success) {
      throw new UsageError(`--timeframe ${JSON.stringify(tf)} is not valid: use 1m, 5m, 1h, 4h, 1d, 1w or 1M`);
    }
    d.timeframe = tf;
  }
  if (str("calendar") !== undefined) {
    const c = str("calendar")!;
    if (!CalendarSchema.safeParse(c).success) {
      throw new UsageError(`--calendar ${JSON.stringify(c)} is not valid: use 24/7, weekdays or fx`);
    }
    d.calendar = c as Calendar;
  }
  if (str("from") !== undefined) d.from = parseDateFlag("from", str("from")!);
  if (str("to") !== undefined) d.to = parseDateFlag("to", str("to")!);
  if (d.from !== undefined && d.to !== undefined && d.to <= d.from) {
    throw new UsageError(`--to ${str("to")} is not after --from ${str("from")}: the range [from, to) would be empty`);
  }
  if (str("periods-per-year") !== undefined) {
    d.periodsPerYear = parseNumberFlag(
      "periods-per-year",
      str("periods-per-year")!,
      (x) => x > 0,
      "a number > 0, e.g. 252 or 365",
    );
  }
  if (str("risk-free") !== undefined) {
    d.riskFree = parseFraction(
      "risk-free",
      str("risk-free")!,
      (x) => x > -1 && x < 1,
      "a yearly rate such as 0.02 or 2%",
    );
  }
  return d;
}
