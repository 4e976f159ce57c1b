import type { Fill } from "../types/mod.ts";

/**
 * One sleeve's holdings as the exchange's fills moved them (a live runner has no simulated fill model): quote cash
 * and signed base units net of fees taken in either asset, so an exit sells exactly what the account holds.
 */
export class LiveBook {
  cash: number;
  pos = 0;
  entryPrice = 0;
  /** Cash when the position opened: the closed trade's P&L is the cash change over its life. */
  #entryCash = 0;

  constructor(cash: number) {
    this.cash = cash;
  }

  /** Applies a fill; answers the closed trade's net P&L when it brought the position back to flat, else undefined. */
  apply(f: Fill, dust: number): number | undefined {
    const [base = f.symbol, quote = ""] = f.symbol.split("/");
    const sign = f.side === "buy" ? 1 : -1;
    const before = this.pos;
    if (before === 0 || Math.abs(before) < dust) this.#entryCash = this.cash;
    let baseFee = 0;
    let quoteFee = 0;
    if (f.feeAsset !== undefined && f.feeAmount !== undefined) {
      if (f.feeAsset === base) baseFee = f.feeAmount;
      else if (f.feeAsset === quote) quoteFee = f.feeAmount;
      // A fee in a third asset (BNB) is valued in the quote: the sleeve's cash pays for it.
      else quoteFee = f.fee;
    } else quoteFee = f.fee;
    const pos = round12(before + sign * f.qty - baseFee);
    this.cash = round12(this.cash - sign * f.qty * f.price - quoteFee);
    if (Math.abs(before) < dust || Math.sign(pos) === Math.sign(before) && Math.abs(pos) > Math.abs(before)) {
      // Adding to (or opening) a position: the entry price is the average cost.
      const held = Math.abs(before) < dust ? 0 : Math.abs(before);
      this.entryPrice = (held * this.entryPrice + f.qty * f.price) / (held + f.qty);
    }
    this.pos = pos;
    if (Math.abs(before) >= dust && Math.abs(pos) < dust) {
      this.entryPrice = 0;
      return round12(this.cash - this.#entryCash);
    }
    return undefined;
  }
}

function round12(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}
