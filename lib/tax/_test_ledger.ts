import { MONEY_DP, parseFixed, QTY_DP } from "./fixed.ts";
import type { LedgerEvent, LedgerEventKind } from "./ledger_event.ts";

/** Extra fields of a test event. */
export type EvExtra = Partial<Omit<LedgerEvent, "id" | "kind" | "time" | "asset" | "qty" | "value">> & { fee?: bigint };

/**
 * A test event: `at` is `YYYY-MM-DD` (15:00 UTC, the same date in New York and UTC) or a full ISO instant;
 * `qty` and `value` are decimal texts; `fee` a decimal text.
 */
export function ev(
  id: string,
  kind: LedgerEventKind,
  at: string,
  qty: string,
  value: string,
  extra: Omit<EvExtra, "fee"> & { fee?: string; asset?: string } = {},
): LedgerEvent {
  const { fee, asset, ...rest } = extra;
  return {
    id,
    kind,
    time: Date.parse(at.length === 10 ? `${at}T15:00:00Z` : at),
    asset: asset ?? "BTC",
    qty: parseFixed(qty, QTY_DP),
    value: parseFixed(value, MONEY_DP),
    fee: fee === undefined ? 0n : parseFixed(fee, MONEY_DP),
    source: { file: "t.csv", line: Number(id.replace(/\D/g, "")) || 1 },
    ...rest,
  };
}

/** A money amount at MONEY_DP. */
export function m(text: string): bigint {
  return parseFixed(text, MONEY_DP);
}

/** A quantity at QTY_DP. */
export function q(text: string): bigint {
  return parseFixed(text, QTY_DP);
}
