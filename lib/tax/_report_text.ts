import { CENTS_DP, divRoundHalfEven, formatFixed, MONEY_DP, pow10, QTY_DP } from "./fixed.ts";
import { LocalCalendar } from "./local_calendar.ts";
import type { MatchedPart, MatchStep } from "./match_lots.ts";
import type { LotMethod } from "./tax_report.ts";

/**
 * `YYYY-MM-DD` of local day numbers, memoized: a report formats the same few hundred days hundreds of thousands
 * of times (each row's dates, the holding texts).
 */
export class DayText {
  readonly #cache = new Map<number, string>();

  of(day: number): string {
    let s = this.#cache.get(day);
    if (s === undefined) {
      s = LocalCalendar.dateFromDay(day);
      this.#cache.set(day, s);
    }
    return s;
  }
}

/** A quantity's text without trailing zeros (`"0.5"`), like `formatQty` without its regular expressions. */
export function qtyText(value: bigint): string {
  const s = formatFixed(value, QTY_DP);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--; // "0"
  if (s.charCodeAt(end - 1) === 46) end--; // "."
  return end === s.length ? s : s.slice(0, end);
}

/** Cents (CENTS_DP) with thousands commas, for the trail's sentences: `61,000.00`, `-1,234.50`. */
export function groupedCents(cents: bigint): string {
  const neg = cents < 0n;
  const s = formatFixed(neg ? -cents : cents, CENTS_DP);
  const int = s.length - 3; // digits before ".dd"
  let out = s.slice(0, int % 3 || 3);
  for (let i = int % 3 || 3; i < int; i += 3) out += "," + s.slice(i, i + 3);
  return (neg ? "-" : "") + out + s.slice(int);
}

const UNIT_SHIFT = pow10(QTY_DP - MONEY_DP + CENTS_DP);

/** A part's basis per unit, in cents (half to even). */
export function unitCents(basis: bigint, qty: bigint): bigint {
  return divRoundHalfEven(basis * UNIT_SHIFT, qty);
}

/** How each method is named in the trail. */
export const METHOD_LABEL: Record<LotMethod, string> = {
  fifo: "FIFO",
  lifo: "LIFO",
  hifo: "HIFO",
  lofo: "LOFO",
  specific: "specific identification",
  average: "average cost",
};

/** Why a step used this lot: the method's rule and the fact that decided it. */
export function reasonText(method: LotMethod, part: MatchedPart, asset: string, days: DayText): string {
  if (part.zeroBasis) {
    return `oversold: no lot held for this ${qtyText(part.qty)} ${asset}; zero basis, acquired on the date of ` +
      `the disposal (zero-basis policy)`;
  }
  const acquired = days.of(part.acquiredDay);
  switch (method) {
    case "fifo":
      return `FIFO: the earliest lot held (acquired ${acquired})`;
    case "lifo":
      return `LIFO: the latest lot held (acquired ${acquired})`;
    case "hifo":
      return `HIFO: the highest unit cost held, ${groupedCents(unitCents(part.basis, part.qty))}/${asset}`;
    case "lofo":
      return `LOFO: the lowest unit cost held, ${groupedCents(unitCents(part.basis, part.qty))}/${asset}`;
    case "specific":
      return part.named
        ? `specific identification: lot ${part.lotId} named by the disposal`
        : `specific identification: no lots named, the earliest lot held (acquired ${acquired})`;
    case "average":
      return `average cost: pooled basis ${groupedCents(unitCents(part.basis, part.qty))}/${asset}; dates in FIFO ` +
        `order (acquired ${acquired})`;
  }
}

/** The holding period of a part, and when it turns (or turned) long-term. */
export function holdingText(part: MatchedPart, step: MatchStep, days: DayText): string {
  if (part.zeroBasis) return "no holding period (oversold): short-term";
  const acquired = days.of(part.acquiredDay);
  const longFrom = days.of(part.longFrom);
  if (step.event.kind === "transfer") {
    return `acquired ${acquired}, keeps its date and basis: long-term from ${longFrom}`;
  }
  const sold = days.of(step.day);
  return part.term === "long"
    ? `held ${acquired} to ${sold}: long-term from ${longFrom}`
    : `held ${acquired} to ${sold}: short-term, long-term only from ${longFrom}`;
}

/** One sentence saying what a step did. */
export function stepText(method: LotMethod, step: MatchStep, netCents: bigint): string {
  const e = step.event;
  const what = `${qtyText(e.qty)} ${e.asset}`;
  const lots = step.parts.filter((p) => !p.zeroBasis).length;
  const zero = step.parts.find((p) => p.zeroBasis);
  const used = `${lots} lot${lots === 1 ? "" : "s"}, ${METHOD_LABEL[method]}` +
    (zero === undefined ? "" : `; ${qtyText(zero.qty)} ${e.asset} oversold at zero basis`);
  if (e.kind === "transfer") {
    const from = e.fromWallet ?? "a wallet", to = e.toWallet ?? "another wallet";
    return `moved ${what} from ${from} to ${to}: not a disposal; ${used}, keep${lots === 1 ? "s its" : " their"} ` +
      `dates and basis`;
  }
  if (e.kind === "fee") return `paid a fee of ${what} worth ${groupedCents(netCents)}: ${used}`;
  const fee = e.fee === 0n ? "" : ` net of a ${groupedCents(divRoundHalfEven(e.fee, pow10(MONEY_DP - CENTS_DP)))} fee`;
  return `sold ${what} for ${groupedCents(netCents)}${fee}: ${used}`;
}
