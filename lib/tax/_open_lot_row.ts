import { CENTS_DP, divRoundHalfEven, formatFixed, formatQty, MONEY_DP, pow10, QTY_DP, rescale } from "./fixed.ts";
import { LocalCalendar } from "./local_calendar.ts";
import type { OpenLotState } from "./match_lots.ts";
import type { OpenLot } from "./tax_report.ts";

const UNIT_DP = 8;
const UNIT_SHIFT = pow10(QTY_DP - MONEY_DP + UNIT_DP);

/** A held lot as the report shows it: basis in cents, unit cost at 8 decimals (both half to even). */
export function openLotRow(lot: OpenLotState): OpenLot {
  return {
    lotId: lot.lotId,
    asset: lot.asset,
    dateAcquired: LocalCalendar.dateFromDay(lot.acquiredDay),
    acquiredAt: lot.acquiredAt,
    qty: formatQty(lot.qty),
    costBasis: formatFixed(rescale(lot.basis, MONEY_DP, CENTS_DP), CENTS_DP),
    unitCost: formatFixed(divRoundHalfEven(lot.basis * UNIT_SHIFT, lot.qty), UNIT_DP),
    origin: lot.origin,
  };
}
