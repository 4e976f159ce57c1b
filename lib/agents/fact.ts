import { z } from "zod";

/**
 * One computed fact a prompt may contain: a number or label with the epoch-ms time it became available (the close
 * time of the last bar it reads). The prompt builder refuses any fact whose `availableAt` is after the decision time.
 */
export const FactSchema = z.strictObject({
  /** Stable id, snake_case (`sma_close_20`, `ret_5`, `vol_20`, `regime`, `position`, `close`). */
  id: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  /** Human label shown in the prompt (`SMA(20) of close`). */
  label: z.string().min(1).max(120),
  /** The value: finite number, or a label (`uptrend`). NaN facts (warm-up) are left out, never sent. */
  value: z.union([z.number().finite(), z.string().max(200)]),
  /** Unit shown after the value (`%`, `price`, `bars`). */
  unit: z.string().max(16).optional(),
  /** Epoch ms when the fact became knowable (the close time of the newest bar it reads). */
  availableAt: z.number().int(),
});
/** A computed fact with its availability time. */
export type Fact = z.infer<typeof FactSchema>;
