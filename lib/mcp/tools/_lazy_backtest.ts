// The engine (and through its results the figures: Observable Plot and a DOM) loads on the first computation, not
// when the server starts: a client's first answer (list_datasets) needs none of it.
type Backtest = typeof import("../../backtest/mod.ts");
let engine: Promise<Backtest> | undefined;

/** `lib/backtest`, imported once, on first use. */
export function backtestModule(): Promise<Backtest> {
  return engine ??= import("../../backtest/mod.ts");
}
