/** The promotion gates, in the order they are checked and printed. */
export type GateName = "backtest" | "walk_forward" | "risk_limits" | "parity" | "audit_chain";

/** The gate names in checklist order. */
export const GATE_NAMES: readonly GateName[] = ["backtest", "walk_forward", "risk_limits", "parity", "audit_chain"];

/** One gate's outcome with the evidence a trader reads (one or two lines). */
export interface GateResult {
  name: GateName;
  ok: boolean;
  /** What was found: the run, its span and Sharpe; the folds; the limits; the parity result; the chain's head. */
  evidence: string;
  /** Ids of the recorded runs this gate's evidence comes from (runs registry). */
  runIds?: string[];
}

/** Every gate of one promotion request. `ok` when every gate passed. */
export interface PromotionChecklist {
  strategy: string;
  /** strategyCodeHash of the code being promoted. */
  codeHash: string;
  /** Parsed params, defaults included. */
  params: Record<string, unknown>;
  account: string;
  /** `exchange:SYMBOL:timeframe` the account will trade, when known. */
  market?: string;
  gates: GateResult[];
  ok: boolean;
}
