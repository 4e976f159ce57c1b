import { formatQty, mulDiv } from "./fixed.ts";
import { longTermFrom } from "./holding_period.ts";
import type { LedgerEvent } from "./ledger_event.ts";
import type { LocalCalendar } from "./local_calendar.ts";
import type { LotMatching, MatchedPart, MatchStep, MatchWarning, OpenLotState } from "./match_lots.ts";
import type { LotMethod, OversellPolicy } from "./tax_report.ts";
import { type Book, HeapBook, type Lot, QueueBook, SpecificBook, StackBook } from "./_lot_books.ts";
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
  return new Matcher(o).run(byTime(events));
}

/**
 * The matcher's state. A class with the per-disposal scratch in fields, not closures in the loop: V8 then keeps
 * the hot loop optimized and allocates nothing per event but the recorded parts.
 */
class Matcher {
  readonly o: RunOptions;
  readonly cal: LocalCalendar;
  readonly method: LotMethod;
  readonly average: boolean;
  readonly specific: boolean;
  readonly heap: boolean;
  readonly books = new Map<string, Book>();
  /** The ledger in time order, and the index of the event being matched (the error path looks back in it). */
  sorted: readonly LedgerEvent[] = [];
  index = 0;
  readonly steps: MatchStep[] = [];
  readonly warnings: MatchWarning[] = [];
  seq = 0;

  constructor(o: RunOptions) {
    this.o = o;
    this.cal = o.calendar;
    this.method = o.method;
    this.average = o.method === "average";
    this.specific = o.method === "specific";
    this.heap = o.method === "hifo" || o.method === "lofo";
  }

  run(sorted: readonly LedgerEvent[]): LotMatching {
    const o = this.o;
    this.sorted = sorted;
    let processed = 0;
    for (let i = 0; i < sorted.length; i++) {
      const e = sorted[i]!;
      this.index = i;
      if (e.time > o.untilMs) break;
      const day = this.cal.dayOf(e.time);
      if (day > o.untilDay) break;
      processed++;
      check(e);
      let book = this.books.get(e.asset);
      if (book === undefined) {
        book = this.newBook();
        this.books.set(e.asset, book);
      }
      const kind = e.kind;
      if (kind === "buy" || kind === "income") this.acquire(e, day, book);
      else if (kind === "sell" || kind === "fee") this.dispose(e, day, book);
      else if (kind === "transfer") this.transfer(e, day, book);
      else throw new TaxMatchError(e, `kind ${JSON.stringify(kind)} is not one of buy, sell, income, transfer, fee`);
    }
    return {
      method: this.method,
      timeZone: this.cal.timeZone,
      oversell: o.oversell,
      events: sorted,
      processed,
      steps: this.steps,
      openLots: this.openLots(),
      warnings: this.warnings,
    };
  }

  newBook(): Book {
    const m = this.method;
    if (m === "specific") return new SpecificBook();
    return m === "lifo" ? new StackBook() : m === "hifo" || m === "lofo" ? new HeapBook(m === "hifo") : new QueueBook();
  }

  acquire(e: LedgerEvent, day: number, book: Book): void {
    const basis = e.value + e.fee;
    const lot: Lot = {
      id: e.id,
      asset: e.asset,
      at: e.time,
      day,
      longFrom: -1, // computed when a recorded step uses the lot
      qty: e.qty,
      basis,
      kb: basis,
      kq: e.qty,
      key: this.heap ? Number(basis) / Number(e.qty) : 0,
      seq: this.seq++,
      origin: e.kind,
      wallet: e.toWallet,
    };
    if (this.specific && (book as SpecificBook).has(e.id)) {
      throw new TaxMatchError(e, `lot id ${e.id} is used twice; every acquisition needs its own id`);
    }
    book.add(lot);
    book.held += e.qty;
    if (this.average) book.pool += basis;
  }

  /** The lot `id` a disposal or transfer names, or a TaxMatchError saying why it cannot use it. */
  named(e: LedgerEvent, id: string, book: Book): Lot {
    const lot = (book as SpecificBook).get(id);
    if (lot !== undefined) return lot;
    // Not held: find out why only now, on the error path (a scan of the ledger).
    const isLot = (a: LedgerEvent): boolean => a.id === id && (a.kind === "buy" || a.kind === "income");
    const earlier = this.sorted.slice(0, this.index).find(isLot);
    const acq = earlier ?? this.sorted.find(isLot);
    if (acq === undefined) {
      throw new TaxMatchError(e, `lot ${id} is unknown; name the id of a buy or income event of ${e.asset}`);
    }
    if (acq.asset !== e.asset) {
      throw new TaxMatchError(e, `lot ${id} is a lot of ${acq.asset}, not ${e.asset}; name a lot of ${e.asset}`);
    }
    if (earlier !== undefined) {
      throw new TaxMatchError(e, `lot ${id} is used up by earlier disposals; name another lot of ${e.asset}`);
    }
    throw new TaxMatchError(
      e,
      `lot ${id} was acquired at ${iso(acq.time)}, after this ${e.kind} at ${iso(e.time)}; a disposal can use ` +
        `only lots acquired at or before its time: name an earlier lot`,
    );
  }

  dispose(e: LedgerEvent, day: number, book: Book): void {
    const q = e.qty;
    let held = book.held;
    if (held < q && this.o.oversell === "error") {
      throw new TaxMatchError(
        e,
        `${e.kind === "fee" ? "pays a fee of" : "sells"} ${formatQty(q)} ${e.asset} on ${this.cal.date(e.time)} but ` +
          `holds ${formatQty(held)} ${e.asset}: ${formatQty(q - held)} ${e.asset} short; add the missing buy, ` +
          `income or transfer, or choose the zero-basis oversell policy`,
      );
    }
    // Locals, not fields or a closure: the loop stays optimized and stores no short-lived bigint in old objects.
    const covered = held < q ? held : q;
    const record = day >= this.o.recordFromDay;
    const average = this.average;
    const net = e.value - e.fee;
    const parts: MatchedPart[] | undefined = record ? [] : undefined;
    const avgTotal = average && covered > 0n ? mulDiv(book.pool, covered, held) : 0n;
    let avgLeft = avgTotal;
    let rem = covered;
    let proceedsLeft = net;
    const lots = e.lots;
    const useNamed = this.specific && lots !== undefined && lots.length > 0;
    if (this.specific && !useNamed && e.kind === "sell") {
      throw new TaxMatchError(
        e,
        `names no lots, and specific identification needs them; give the sale's lots (a lot picks file) or ` +
          `choose another method`,
      );
    }
    let k = 0;
    while (rem > 0n) {
      let lot: Lot | undefined;
      if (useNamed) {
        if (k === lots!.length) break;
        lot = this.named(e, lots![k++]!, book);
      } else {
        lot = book.peek();
        if (lot === undefined) break; // unreachable: held >= rem
      }
      const amount = lot.qty <= rem ? lot.qty : rem;
      rem -= amount;
      let basis: bigint;
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
      held -= amount;
      if (lot.qty === 0n) {
        if (useNamed) (book as SpecificBook).remove(lot.id);
        else book.drop();
      }
      if (parts !== undefined) {
        const proceeds = rem === 0n && covered === q ? proceedsLeft : mulDiv(net, amount, q);
        proceedsLeft -= proceeds;
        if (lot.longFrom < 0) lot.longFrom = longTermFrom(lot.day);
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
          named: useNamed,
        });
      }
    }
    book.held = held;
    if (rem > 0n) {
      throw new TaxMatchError(
        e,
        `the lots named (${(lots ?? []).join(", ")}) cover ${formatQty(covered - rem)} of the ${formatQty(q)} ` +
          `${e.asset} disposed of; name more lots`,
      );
    }
    if (average) book.pool -= avgTotal;

    if (covered < q) {
      const short = q - covered;
      this.warnings.push({
        eventId: e.id,
        time: e.time,
        day,
        text: `${e.kind} ${e.id} disposed of ${formatQty(short)} ${e.asset} more than held on ` +
          `${this.cal.date(e.time)}: given a zero basis and a short term (zero-basis policy); check the ledger for a ` +
          `missing acquisition`,
      });
      if (parts !== undefined) parts.push(zeroBasisPart(short, proceedsLeft, e.time, day));
    }
    if (parts !== undefined) this.steps.push({ event: e, day, proceeds: net, parts });
  }

  transfer(e: LedgerEvent, day: number, book: Book): void {
    const q = e.qty;
    const cal = this.cal;
    if (book.held < q) {
      if (this.o.oversell === "error") {
        throw new TaxMatchError(
          e,
          `moves ${formatQty(q)} ${e.asset} but holds ${formatQty(book.held)}; add the missing acquisition`,
        );
      }
      this.warnings.push({
        eventId: e.id,
        time: e.time,
        day,
        text: `transfer ${e.id} moves ${formatQty(q)} ${e.asset} on ${cal.date(e.time)} but ` +
          `${formatQty(book.held)} ${e.asset} is held; the excess is listed with no lot`,
      });
    }
    const isNamed = this.specific && e.lots !== undefined && e.lots.length > 0;
    const lots = isNamed ? e.lots!.map((id) => this.named(e, id, book)) : book.preview(q);
    const record = day >= this.o.recordFromDay;
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
        if (lot.longFrom < 0) lot.longFrom = longTermFrom(lot.day);
        const basis = this.average
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
          named: isNamed,
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
      if (rem > 0n) parts.push(zeroBasisPart(rem, 0n, e.time, day));
      this.steps.push({ event: e, day, proceeds: 0n, parts });
    }
  }

  openLots(): OpenLotState[] {
    const out: OpenLotState[] = [];
    for (const book of this.books.values()) {
      const lots = book.lots().sort((a, b) => a.seq - b.seq);
      let poolLeft = book.pool;
      let qtyLeft = book.held;
      for (const lot of lots) {
        let basis = lot.basis;
        if (this.average) {
          // Each lot's share of the pool; the last takes the rest so the shares sum to the pool.
          basis = lot.qty === qtyLeft ? poolLeft : mulDiv(poolLeft, lot.qty, qtyLeft);
          poolLeft -= basis;
          qtyLeft -= lot.qty;
        }
        out.push({
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
    return out.sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : a.seq - b.seq));
  }
}

function zeroBasisPart(qty: bigint, proceeds: bigint, time: number, day: number): MatchedPart {
  return {
    lotId: ZERO_BASIS,
    qty,
    basis: 0n,
    proceeds,
    acquiredAt: time,
    acquiredDay: day,
    longFrom: longTermFrom(day),
    term: "short",
    zeroBasis: true,
    named: false,
  };
}
