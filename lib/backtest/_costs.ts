import type { BacktestOptions } from "./backtest_options.ts";

/** Fill price multipliers: buys pay ref * buyMul, sells get ref * sellMul. */
export function buyMultiplier(o: BacktestOptions): number {
  return 1 + o.spread / 2 + o.slippage;
}

/** See {@link buyMultiplier}. */
export function sellMultiplier(o: BacktestOptions): number {
  return 1 - o.spread / 2 - o.slippage;
}

/**
 * Rounds units down to a multiple of `lot`. The 1e-9 tolerance keeps exact multiples that
 * floating point puts a hair below (0.3 / 0.1 = 2.9999999999999996) from losing a whole lot.
 */
export function roundLot(units: number, lot: number): number {
  return lot > 0 ? Math.floor(units / lot + 1e-9) * lot : units;
}

/** Entry refused: not enough cash or equity for the order. */
export const SKIP_CASH = -1;
/** Entry refused: units rounded down to zero lots. */
export const SKIP_LOT = -2;
/** Entry refused: notional below `minNotional`. */
export const SKIP_MIN_NOTIONAL = -3;

/**
 * Units of a new position at fill price `price`, or a negative SKIP_* code. `equity` is the
 * account equity, `available` what an entry may spend (equity minus the gross value of other
 * positions; the cash when flat). The arithmetic here is mirrored operation by operation in
 * simulate_final_equity.ts, which must stay bit-identical.
 */
export function entryUnits(o: BacktestOptions, price: number, equity: number, available: number): number {
  const size = o.size;
  let units: number;
  if (size.kind === "units") {
    units = roundLot(size.value, o.lot);
    if (!(units > 0)) return SKIP_LOT;
    if (units * price * (1 + o.fee) + o.fixedFee > available) return SKIP_CASH;
  } else {
    let budget: number;
    if (size.kind === "all") budget = available;
    else if (size.kind === "fraction") budget = Math.min(size.value * equity, available);
    else {
      budget = size.value;
      if (budget > available) return SKIP_CASH;
    }
    units = (budget - o.fixedFee) / (price * (1 + o.fee));
    if (!(units > 0)) return SKIP_CASH;
    if (o.lot > 0) {
      units = roundLot(units, o.lot);
      if (!(units > 0)) return SKIP_LOT;
    }
  }
  if (units * price < o.minNotional) return SKIP_MIN_NOTIONAL;
  return units;
}

/**
 * What an entry asks to spend at fill price `price`, fees included, before any cap by the others of its step: the
 * budget of `all`, `fraction` (capped at `available`) and fixed `cash`, or the cost of fixed `units` (rounded to the
 * lot). Portfolio steps with several entries scale these pro rata.
 */
export function entryBudget(o: BacktestOptions, price: number, equity: number, available: number): number {
  const size = o.size;
  if (size.kind === "units") return roundLot(size.value, o.lot) * price * (1 + o.fee) + o.fixedFee;
  if (size.kind === "all") return available;
  if (size.kind === "fraction") return Math.min(size.value * equity, available);
  return size.value;
}

/** Units bought with a (pro rata) share of the available cash, fees included, or a negative SKIP_* code. */
export function sharedEntryUnits(o: BacktestOptions, price: number, budget: number): number {
  let units = (budget - o.fixedFee) / (price * (1 + o.fee));
  if (!(units > 0)) return SKIP_CASH;
  if (o.lot > 0) {
    units = roundLot(units, o.lot);
    if (!(units > 0)) return SKIP_LOT;
  }
  if (units * price < o.minNotional) return SKIP_MIN_NOTIONAL;
  return units;
}
