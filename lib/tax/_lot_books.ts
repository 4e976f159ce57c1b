import type { LedgerEventKind } from "./ledger_event.ts";

/** A lot while matching: mutable, its quantity and basis shrink as disposals use it. */
export interface Lot {
  id: string;
  asset: string;
  /** Acquisition time, epoch ms. */
  at: number;
  /** Local day of the acquisition. */
  day: number;
  /** First local day a sale of it is long-term (`longTermFrom(day)`); -1 until a recorded step needs it. */
  longFrom: number;
  /** Remaining quantity (QTY_DP); 0 once used up. */
  qty: bigint;
  /** Remaining basis (MONEY_DP); unused under average cost, where the asset's pool holds the basis. */
  basis: bigint;
  /** The unit cost's exact terms at acquisition (basis, qty): the heap order never changes as the lot shrinks. */
  kb: bigint;
  kq: bigint;
  /** `kb / kq` as a float (HIFO, LOFO; else 0): the fast comparison, with `kb`/`kq` deciding only near-ties. */
  key: number;
  /** Acquisition order over the whole ledger: the tiebreak (earlier first). */
  seq: number;
  origin: LedgerEventKind;
  wallet: string | undefined;
}

/** The lots of one asset in the order a method uses them. */
export interface Book {
  /** Total quantity held. */
  held: bigint;
  /** Average cost: the pooled basis of the asset. */
  pool: bigint;
  add(lot: Lot): void;
  /** The lot the method uses next, or undefined when none is held. */
  peek(): Lot | undefined;
  /** Drops the lot `peek` answered (used up). */
  drop(): void;
  /** The lots in the order the method would use them, until `qty` is covered; the book is unchanged. */
  preview(qty: bigint): Lot[];
  /** Every lot held (qty > 0), any order. */
  lots(): Lot[];
}

/** FIFO (and average cost, and specific identification's fallback): a queue with a head index, no `shift`. */
export class QueueBook implements Book {
  held = 0n;
  pool = 0n;
  #items: Lot[] = [];
  #head = 0;

  add(lot: Lot): void {
    this.#items.push(lot);
  }

  peek(): Lot | undefined {
    const items = this.#items;
    // Specific identification empties lots in the middle; they are skipped here when they reach the head.
    while (this.#head < items.length && items[this.#head]!.qty === 0n) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
    return this.#items[this.#head];
  }

  drop(): void {
    this.#head++;
  }

  preview(qty: bigint): Lot[] {
    const out: Lot[] = [];
    for (let i = this.#head; i < this.#items.length && qty > 0n; i++) {
      const lot = this.#items[i]!;
      if (lot.qty === 0n) continue;
      out.push(lot);
      qty -= lot.qty;
    }
    return out;
  }

  lots(): Lot[] {
    return this.#items.slice(this.#head).filter((l) => l.qty > 0n);
  }
}

/** LIFO: a stack. */
export class StackBook implements Book {
  held = 0n;
  pool = 0n;
  #items: Lot[] = [];

  add(lot: Lot): void {
    this.#items.push(lot);
  }

  peek(): Lot | undefined {
    return this.#items[this.#items.length - 1];
  }

  drop(): void {
    this.#items.pop();
  }

  preview(qty: bigint): Lot[] {
    const out: Lot[] = [];
    for (let i = this.#items.length - 1; i >= 0 && qty > 0n; i--) {
      const lot = this.#items[i]!;
      out.push(lot);
      qty -= lot.qty;
    }
    return out;
  }

  lots(): Lot[] {
    return this.#items.slice();
  }
}

/**
 * HIFO or LOFO: a binary heap by unit cost. Floats order lots whose unit costs differ by more than 1e-9
 * (relative); closer ones are compared exactly (`kb_a * kq_b` vs `kb_b * kq_a`), then by acquisition order.
 */
export class HeapBook implements Book {
  held = 0n;
  pool = 0n;
  #items: Lot[] = [];
  readonly #highest: boolean;

  constructor(highest: boolean) {
    this.#highest = highest;
  }

  /** True when `a` is used before `b`. */
  #before(a: Lot, b: Lot): boolean {
    const d = a.key - b.key;
    const scale = Math.max(Math.abs(a.key), Math.abs(b.key));
    if (Math.abs(d) > scale * 1e-9) return this.#highest ? d > 0 : d < 0;
    const l = a.kb * b.kq, r = b.kb * a.kq;
    if (l !== r) return this.#highest ? l > r : l < r;
    return a.seq < b.seq;
  }

  add(lot: Lot): void {
    const h = this.#items;
    let i = h.length;
    h.push(lot);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (!this.#before(lot, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = lot;
  }

  peek(): Lot | undefined {
    return this.#items[0];
  }

  drop(): void {
    const h = this.#items;
    const last = h.pop();
    if (last === undefined || h.length === 0) return;
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.#before(h[r]!, h[l]!) ? r : l;
      const child = h[c]!;
      if (!this.#before(child, last)) break;
      h[i] = child;
      i = c;
    }
    h[i] = last;
  }

  preview(qty: bigint): Lot[] {
    const out: Lot[] = [];
    while (qty > 0n) {
      const lot = this.peek();
      if (lot === undefined) break;
      out.push(lot);
      qty -= lot.qty;
      this.drop();
    }
    for (const lot of out) this.add(lot);
    return out;
  }

  lots(): Lot[] {
    return this.#items.slice();
  }
}

/**
 * Specific identification: the lots held by id, in a Map whose insertion order is the acquisition order (the FIFO
 * order a disposal naming no lots uses). A lot used up leaves the map, so it holds only what is held.
 */
export class SpecificBook implements Book {
  held = 0n;
  pool = 0n;
  readonly #byId = new Map<string, Lot>();

  /** The held lot `id`, if any. */
  get(id: string): Lot | undefined {
    return this.#byId.get(id);
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Forgets a used-up lot. */
  remove(id: string): void {
    this.#byId.delete(id);
  }

  add(lot: Lot): void {
    this.#byId.set(lot.id, lot);
  }

  peek(): Lot | undefined {
    for (const lot of this.#byId.values()) return lot;
    return undefined;
  }

  drop(): void {
    const lot = this.peek();
    if (lot !== undefined) this.#byId.delete(lot.id);
  }

  preview(qty: bigint): Lot[] {
    const out: Lot[] = [];
    for (const lot of this.#byId.values()) {
      if (qty <= 0n) break;
      out.push(lot);
      qty -= lot.qty;
    }
    return out;
  }

  lots(): Lot[] {
    return [...this.#byId.values()];
  }
}
