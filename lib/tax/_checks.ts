import { LOT_METHODS, type LotMethod, type OversellPolicy } from "./tax_report.ts";

/** Throws a `RangeError` naming `method` and the choices when it is not a lot method. */
export function assertMethod(method: unknown): asserts method is LotMethod {
  if (!LOT_METHODS.includes(method as LotMethod)) {
    throw new RangeError(`lot method ${JSON.stringify(method)} is not one of ${LOT_METHODS.join(", ")}`);
  }
}

/** Throws a `RangeError` naming `policy` when it is not an oversell policy. */
export function assertOversell(policy: unknown): asserts policy is OversellPolicy {
  if (policy !== "error" && policy !== "zero-basis") {
    throw new RangeError(`oversell policy ${JSON.stringify(policy)} is not one of error, zero-basis`);
  }
}
