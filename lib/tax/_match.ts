import { formatQty, mulDiv } from "./fixed.ts";
import { longTermFrom } from "./holding_period.ts";
import type { LedgerEvent } from "./ledger_event.ts";
import type { LocalCalendar } from "./local_calendar.ts";
import type { LotMatching, MatchedPart, MatchStep, MatchWarning, OpenLotState } from "./match_lots.ts";
import type { LotMethod, OversellPolicy } from "./tax_report.ts";
import { type Book, HeapBook, type Lot, QueueBook, StackBook } from "./_lot_books.ts";
import { TaxMatchError } from "./tax_match_error.ts";

/** The matcher's settings; `matchLots`, `buildTaxReport` and `openLotsAt` fill them. */
export interface RunOptions {
  method: LotMethod;
  calendar: LocalCalendar;
  oversell: OversellPolicy;
  /** Events after this instant (epoch ms) are not processed. */
  untilMs: number;
  /** Events after this local day are not processed. */
  untilDay: number;
  /** Steps (disposals, transfers) before this local day are matched but not recorded: a report wants one year. */
  recordFromDay: number;
}

const ZERO_BASIS = "(zero basis)";

/** Stable sort by time, skipped when the ledger is already in order (the usual case: readers emit time order). */
function byTime(events: readonly LedgerEvent[]): readonly LedgerEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.time < events[i - 1]!.time) return events.slice().sort((a, b) => a.time - b.time);
  }
  return events;
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

function check(e: LedgerEvent): void {
  if (typeof e.time !== "number" || !Number.isFinite(e.time)) {
    throw new TaxMatchError(e, `time ${String(e.time)} is not epoch milliseconds; fix the input's date`);
  }
  if (e.qty <= 0n) throw new TaxMatchError(e, `quantity ${formatQty(e.qty)} is not positive; fix the input`);
  if (e.value < 0n || e.fee < 0n) {
    throw new TaxMatchError(e, `value ${e.value} or fee ${e.fee} is negative; amounts are never negative`);
  }
}

/** Matches the ledger's disposals to lots by `o.method`; see `matchLots` for the rules. */
export function runMatch(events: readonly LedgerEvent[], o: RunOptions): LotMatching {
  const sorted = byTime(events);
  const { method, calendar: cal, oversell } = o;
  const average = method === "average";
  const specific = method === "specific";
  const books = new Map<string, Book>();
  // Specific identification: every lot by id, and every acquisition of the ledger so that an id acquired later
  // than the sale is told from one that does not exist.
  const byId = new Map<string, Lot>();
  const acquisitions = new Map<string, LedgerEvent>();
  if (specific) {
    for (const e of sorted) if (e.kind === "buy" || e.kind === "income") acquisitions.set(e.id, e);
  }
  const steps: MatchStep[] = [];
  const warnings: MatchWarning[] = [];
  let seq = 0;
  let processed = 0;

  const newBook = (): Book =>
    method === "lifo"
      ? new StackBook()
      : method === "hifo" || method === "lofo"
      ? new HeapBook(method === "hifo")
      : new QueueBook();

  const named = (e: LedgerEvent, id: string): Lot => {
    const lot = byId.get(id);
    if (lot === undefined) {
      const acq = acquisitions.get(id);
      if (acq !== undefined && acq.asset === e.asset) {
        throw new TaxMatchError(
          e,
          `lot ${id} was acquired at ${iso(acq.time)}, after this ${e.kind} at ${iso(e.time)}; a disposal can use ` +
            `only lots acquired at or before its time: name an earlier lot`,
        );
      }
      throw new TaxMatchError(
        e,
        `lot ${id} is ${acq === undefined ? "unknown" : `a lot of ${acq.asset}, not ${e.asset}`}; name the id of ` +
          `a buy or income event of ${e.asset}`,
      );
    }
    if (lot.asset !== e.asset) {
      throw new TaxMatchError(e, `lot ${id} is a lot of ${lot.asset}, not ${e.asset}; name a lot of ${e.asset}`);
    }
    if (lot.qty === 0n) {
      throw new TaxMatchError(e, `lot ${id} is used up by earlier disposals; name another lot of ${e.asset}`);
    }
    return lot;
  };

  for (const e of sorted) {
    if (e.time > o.untilMs) break;
    const day = cal.dayOf(e.time);
    if (day > o.untilDay) break;
    processed++;
    check(e);
    let book = books.get(e.asset);
    if (book === undefined) {
      book = newBook();
      books.set(e.asset, book);
    }
    const kind = e.kind;
    if (kind === "buy" || kind === "income") {
      const basis = e.value + e.fee;
      const lot: Lot = {
        id: e.id,
        asset: e.asset,
        at: e.time,
        day,
        longFrom: longTermFrom(day),
        qty: e.qty,
        basis,
        kb: basis,
        kq: e.qty,
        key: Number(basis) / Number(e.qty),
        seq: seq++,
        origin: kind,
        wallet: e.toWallet,
      };
      if (specific) {
        if (byId.has(e.id)) {
          throw new TaxMatchError(e, `lot id ${e.id} is used twice; every acquisition needs its own id`);
        }
        byId.set(e.id, lot);
      }
      book.add(lot);
      book.held += e.qty;
      if (average) book.pool += basis;
      continue;
    }
    if (kind === "transfer") {
      transfer(e, day, book);
      continue;
    }
    if (kind !== "sell" && kind !== "fee") {
      throw new TaxMatchError(e, `kind ${JSON.stringify(kind)} is not one of buy, sell, income, transfer, fee`);
    }

    // A disposal.
    const q = e.qty;
    const held = book.held;
    if (held < q && oversell === "error") {
      throw new TaxMatchError(
        e,
        `${kind === "fee" ? "pays a fee of" : "sells"} ${formatQty(q)} ${e.asset} on ${cal.date(e.time)} but holds ` +
          `${formatQty(held)} ${e.asset}: ${formatQty(q - held)} ${e.asset} short; add the missing buy, income or ` +
          `transfer, or choose the zero-basis oversell policy`,
      );
    }
    const record = day >= o.recordFromDay;
    const covered = held < q ? held : q;
    const net = e.value - e.fee;
    const parts: MatchedPart[] = [];
    let rem = covered;
    let proceedsLeft = net;
    const avgTotal = average && covered > 0n ? mulDiv(book.pool, covered, held) : 0n;
    let avgLeft = avgTotal;

    const take = (lot: Lot, amount: bigint, isNamed: boolean): void => {
      let basis: bigint;
      rem -= amount;
      if (average) {
        basis = rem === 0n ? avgLeft : mulDiv(avgTotal, amount, covered);
        avgLeft -= basis;
        lot.qty -= amount;
      } else if (amount === lot.qty) {
        basis = lot.basis;
        lot.basis = 0n;
        lot.qty = 0n;
      } else {
        basis = mulDiv(lot.basis, amount, lot.qty);
        lot.basis -= basis;
        lot.qty -= amount;
      }
      book!.held -= amount;
      if (record) {
        const proceeds = rem === 0n && covered === q ? proceedsLeft : mulDiv(net, amount, q);
        proceedsLeft -= proceeds;
        parts.push({
          lotId: lot.id,
          qty: amount,
          basis,
          proceeds,
          acquiredAt: lot.at,
          acquiredDay: lot.day,
          longFrom: lot.longFrom,
          term: day >= lot.longFrom ? "long" : "short",
          zeroBasis: false,
          named: isNamed,
        });
      }
    };

    if (specific && e.lots !== undefined && e.lots.length > 0) {
      for (const id of e.lots) {
        if (rem === 0n) break;
        const lot = named(e, id);
        take(lot, lot.qty < rem ? lot.qty : rem, true);
      }
      if (rem > 0n && book.held > 0n) {
        throw new TaxMatchError(
          e,
          `the lots named (${e.lots.join(", ")}) cover ${formatQty(covered - rem)} of the ${formatQty(q)} ` +
            `${e.asset} disposed of; name more lots`,
        );
      }
    } else {
      if (specific && kind === "sell") {
        throw new TaxMatchError(
          e,
          `names no lots, and specific identification needs them; give the sale's lots (a lot picks file) or ` +
            `choose another method`,
        );
      }
      while (rem > 0n) {
        const lot = book.peek();
        if (lot === undefined) break; // unreachable: held >= rem
        const amount = lot.qty <= rem ? lot.qty : rem;
        const usedUp = amount === lot.qty;
        take(lot, amount, false);
        if (usedUp) book.drop();
      }
    }
    if (average) book.pool -= avgTotal;

    if (covered < q) {
      const short = q - covered;
      warnings.push({
        eventId: e.id,
        time: e.time,
        day,
        text: `${e.kind} ${e.id} disposed of ${formatQty(short)} ${e.asset} more than held on ${cal.date(e.time)}: ` +
          `given a zero basis and a short term (zero-basis policy); check the ledger for a missing acquisition`,
      });
      if (record) {
        parts.push({
          lotId: ZERO_BASIS,
          qty: short,
          basis: 0n,
          proceeds: proceedsLeft,
          acquiredAt: e.time,
          acquiredDay: day,
          longFrom: longTermFrom(day),
          term: "short",
          zeroBasis: true,
          named: false,
        });
      }
    }
    if (record) steps.push({ event: e, day, proceeds: net, parts });
  }

  function transfer(e: LedgerEvent, day: number, book: Book): void {
    const q = e.qty;
    if (book.held < q) {
      const text =
        `transfer ${e.id} moves ${formatQty(q)} ${e.asset} on ${cal.date(e.time)} but ${formatQty(book.held)} ` +
        `${e.asset} is held`;
      if (oversell === "error") {
        throw new TaxMatchError(
          e,
          `moves ${formatQty(q)} ${e.asset} but holds ${formatQty(book.held)}; add the missing acquisition`,
        );
      }
      warnings.push({ eventId: e.id, time: e.time, day, text: `${text}; the excess is listed with no lot` });
    }
    const lots = specific && e.lots !== undefined && e.lots.length > 0
      ? e.lots.map((id) => named(e, id))
      : book.preview(q);
    const record = day >= o.recordFromDay;
    const parts: MatchedPart[] = [];
    let rem = q;
    for (const lot of lots) {
      if (rem === 0n) break;
      const amount = lot.qty < rem ? lot.qty : rem;
      rem -= amount;
      if (amount === lot.qty) {
        lot.origin = "transfer";
        if (e.toWallet !== undefined) lot.wallet = e.toWallet;
      }
      if (record) {
        const basis = average
          ? mulDiv(book.pool, amount, book.held)
          : amount === lot.qty
          ? lot.basis
          : mulDiv(lot.basis, amount, lot.qty);
        parts.push({
          lotId: lot.id,
          qty: amount,
          basis,
          proceeds: 0n,
          acquiredAt: lot.at,
          acquiredDay: lot.day,
          longFrom: lot.longFrom,
          term: day >= lot.longFrom ? "long" : "short",
          zeroBasis: false,
          named: specific && e.lots !== undefined && e.lots.length > 0,
        });
      }
    }
    if (rem > 0n && book.held >= q) {
      throw new TaxMatchError(
        e,
        `the lots named (${(e.lots ?? []).join(", ")}) cover less than the ${formatQty(q)} moved; name more lots`,
      );
    }
    if (record) {
      if (rem > 0n) {
        parts.push({
          lotId: ZERO_BASIS,
          qty: rem,
          basis: 0n,
          proceeds: 0n,
          acquiredAt: e.time,
          acquiredDay: day,
          longFrom: longTermFrom(day),
          term: "short",
          zeroBasis: true,
          named: false,
        });
      }
      steps.push({ event: e, day, proceeds: 0n, parts });
    }
  }

  const openLots: OpenLotState[] = [];
  for (const book of books.values()) {
    const lots = book.lots().sort((a, b) => a.seq - b.seq);
    let poolLeft = book.pool;
    let qtyLeft = book.held;
    for (const lot of lots) {
      let basis = lot.basis;
      if (average) {
        // Each lot's share of the pool; the last takes the rest so the shares sum to the pool.
        basis = lot.qty === qtyLeft ? poolLeft : mulDiv(poolLeft, lot.qty, qtyLeft);
        poolLeft -= basis;
        qtyLeft -= lot.qty;
      }
      openLots.push({
        lotId: lot.id,
        asset: lot.asset,
        acquiredAt: lot.at,
        acquiredDay: lot.day,
        qty: lot.qty,
        basis,
        origin: lot.origin,
        wallet: lot.wallet,
        seq: lot.seq,
      });
    }
  }
  openLots.sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : a.seq - b.seq));

  return {
    method,
    timeZone: cal.timeZone,
    oversell,
    events: sorted,
    processed,
    steps,
    openLots,
    warnings,
  };
}
