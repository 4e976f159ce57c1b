import { z } from "zod";

/** One OHLCV bar. `ts` is the bar's open time in epoch milliseconds, UTC. */
export interface Bar {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Zod schema of a {@link Bar}: finite numbers, non-negative prices and volume, low <= high. */
export const BarSchema: z.ZodType<Bar> = z.object({
  ts: z.number().int(),
  open: z.number().nonnegative(),
  high: z.number().nonnegative(),
  low: z.number().nonnegative(),
  close: z.number().nonnegative(),
  volume: z.number().nonnegative(),
}).refine((b) => b.low <= b.high, { message: "low must be <= high" });

/** The OHLCV column names in storage order. */
export const OHLCV = ["open", "high", "low", "close", "volume"] as const;
/** One of the OHLCV column names. */
export type OhlcvColumn = typeof OHLCV[number];
