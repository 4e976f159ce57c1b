import type { SignalSet } from "../types/mod.ts";
import type { BacktestOptions } from "./backtest_options.ts";
import { checkBits } from "./_check_bits.ts";

/** Long entries, long exits, short entries, short exits for the direction, checked against the frame. */
export function sideArrays(
  s: SignalSet,
  o: BacktestOptions,
  n: number,
): [Uint8Array, Uint8Array, Uint8Array, Uint8Array] {
  const check = (name: string, a: Uint8Array | undefined, required: boolean): void => {
    if (a === undefined && !required) return;
    if (!(a instanceof Uint8Array)) {
      const got = a === null || a === undefined ? String(a) : (a as object).constructor?.name ?? typeof a;
      throw new TypeError(`signals.${name} must be a Uint8Array, got ${got}`);
    }
    if (a.length !== n) {
      throw new RangeError(`signals.${name} has ${a.length} elements but the frame has ${n} bars: align them`);
    }
    checkBits(a, `signals.${name}`);
  };
  check("entries", s.entries, true);
  check("exits", s.exits, true);
  check("shortEntries", s.shortEntries, false);
  check("shortExits", s.shortExits, false);
  let zeros: Uint8Array | undefined;
  const none = (): Uint8Array => (zeros ??= new Uint8Array(n));
  if (o.direction === "long") return [s.entries, s.exits, none(), none()];
  if (o.direction === "short") {
    // Without short signals the long pair is run as the short pair.
    if (s.shortEntries === undefined) return [none(), none(), s.entries, s.shortExits ?? s.exits];
    return [none(), none(), s.shortEntries, s.shortExits ?? s.entries];
  }
  if (s.shortEntries === undefined) {
    throw new TypeError(
      `direction "both" needs signals.shortEntries (got undefined); emit them from the strategy or use direction "long"`,
    );
  }
  // A long entry reverses a short before shortExits is read, so this is the same as no short
  // exits here; it is spelled out so that "short" and "both" share one rule.
  return [s.entries, s.exits, s.shortEntries, s.shortExits ?? s.entries];
}
