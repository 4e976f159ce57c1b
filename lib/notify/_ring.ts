/** A bounded FIFO that drops its oldest item when full. Fixed storage: it never grows past `capacity`. */
export class Ring<T> {
  readonly #items: (T | undefined)[];
  #head = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    this.#items = new Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Appends `item`; returns true when the oldest item was dropped to make room. */
  push(item: T): boolean {
    const dropped = this.#size === this.capacity;
    if (dropped) this.shift();
    this.#items[(this.#head + this.#size) % this.capacity] = item;
    this.#size++;
    return dropped;
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.capacity;
    this.#size--;
    return item;
  }
}
