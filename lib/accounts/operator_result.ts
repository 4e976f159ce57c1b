import type { TradingState } from "../types/mod.ts";

/** The outcome of an operator command ({@link pauseAccount}, {@link resumeAccount}, {@link killAccount}). */
export interface OperatorResult {
  account: string;
  /** False when the command was a no-op (already paused, already active, already halted): nothing was logged. */
  changed: boolean;
  /** Trading state rebuilt from the audit log before the command. */
  before: TradingState;
  /** Trading state after it. */
  tradingState: TradingState;
  /** One line for the operator: what happened, or why nothing did. */
  message: string;
  /** Seq of the appended `pause`/`resume`/`kill` event (absent when nothing changed). */
  seq?: number;
}

/** Options shared by the operator commands. */
export interface OperatorOptions {
  /** Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
  /** The account. */
  name: string;
  /** Why (recorded in the event). Default "operator command (no reason given)". */
  reason?: string;
  /** Event time (epoch ms). Default: now. */
  now?: number;
}
