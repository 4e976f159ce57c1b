// Thrift compact protocol, only what Parquet footers and page headers need.
// Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md

/** Compact-protocol type codes (field headers and list element types). */
export const T = {
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

/** A decoded value: structs become maps from field id to value; i64 becomes a number (exact below 2^53). */
export type ThriftValue = number | boolean | Uint8Array | ThriftValue[] | ThriftStruct;
/** A decoded struct: field id to value. */
export type ThriftStruct = Map<number, ThriftValue>;

const encoder = new TextEncoder();

/** Appends compact-protocol bytes to a growable buffer. */
export class ThriftWriter {
  #buf = new Uint8Array(256);
  #len = 0;
  #lastField: number[] = [0];

  /** The bytes written so far (a view; copy it before writing more). */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  #ensure(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  #byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#len++] = b;
  }

  #varint(v: number): void {
    // Numbers, not bigint: every value we write (sizes, offsets, counts) is below 2^53.
    while (v >= 128) {
      this.#byte((v % 128) | 128);
      v = Math.floor(v / 128);
    }
    this.#byte(v);
  }

  #zigzag(v: number): void {
    this.#varint(v >= 0 ? 2 * v : -2 * v - 1);
  }

  #field(id: number, type: number): void {
    const last = this.#lastField[this.#lastField.length - 1]!;
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.#byte((delta << 4) | type);
    else {
      this.#byte(type);
      this.#zigzag(id);
    }
    this.#lastField[this.#lastField.length - 1] = id;
  }

  i32(id: number, v: number): this {
    this.#field(id, T.I32);
    this.#zigzag(v);
    return this;
  }

  i64(id: number, v: number): this {
    this.#field(id, T.I64);
    this.#zigzag(v);
    return this;
  }

  bool(id: number, v: boolean): this {
    this.#field(id, v ? T.TRUE : T.FALSE);
    return this;
  }

  binary(id: number, v: Uint8Array): this {
    this.#field(id, T.BINARY);
    this.#rawBinary(v);
    return this;
  }

  string(id: number, v: string): this {
    return this.binary(id, encoder.encode(v));
  }

  #rawBinary(v: Uint8Array): void {
    this.#varint(v.length);
    this.#ensure(v.length);
    this.#buf.set(v, this.#len);
    this.#len += v.length;
  }

  /** Starts a struct-valued field; close it with {@link structEnd}. */
  structBegin(id: number): this {
    this.#field(id, T.STRUCT);
    this.#lastField.push(0);
    return this;
  }

  /** Ends the current struct (writes STOP). */
  structEnd(): this {
    this.#byte(0);
    this.#lastField.pop();
    return this;
  }

  /** Starts a list element that is a struct; close it with {@link structEnd}. */
  elementStructBegin(): this {
    this.#lastField.push(0);
    return this;
  }

  listBegin(id: number, elemType: number, size: number): this {
    this.#field(id, T.LIST);
    if (size < 15) this.#byte((size << 4) | elemType);
    else {
      this.#byte(0xf0 | elemType);
      this.#varint(size);
    }
    return this;
  }

  elementI32(v: number): this {
    this.#zigzag(v);
    return this;
  }

  elementString(v: string): this {
    this.#rawBinary(encoder.encode(v));
    return this;
  }
}

/** Thrown when bytes are not the compact protocol we expect. */
export class ThriftError extends Error {
  override name = "ThriftError";
}

/** Reads compact-protocol structs from a byte array. */
export class ThriftReader {
  pos: number;
  readonly #buf: Uint8Array;
  readonly #view: DataView;

  constructor(buf: Uint8Array, pos = 0) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = pos;
  }

  #byte(): number {
    if (this.pos >= this.#buf.length) throw new ThriftError("Thrift data ends early");
    return this.#buf[this.pos++]!;
  }

  #varint(): number {
    let result = 0, mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.#byte();
      result += (b & 127) * mul;
      if (b < 128) return result;
      mul *= 128;
    }
    throw new ThriftError("Thrift varint longer than 10 bytes");
  }

  #zigzag(): number {
    const v = this.#varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  #value(type: number): ThriftValue {
    switch (type) {
      case T.TRUE:
        return true;
      case T.FALSE:
        return false;
      case T.BYTE:
        return this.#byte();
      case T.I16:
      case T.I32:
      case T.I64:
        return this.#zigzag();
      case T.DOUBLE: {
        if (this.pos + 8 > this.#buf.length) throw new ThriftError("Thrift data ends early");
        const v = this.#view.getFloat64(this.pos, true);
        this.pos += 8;
        return v;
      }
      case T.BINARY: {
        const n = this.#varint();
        if (this.pos + n > this.#buf.length) throw new ThriftError("Thrift binary runs past the end");
        const v = this.#buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return v;
      }
      case T.LIST:
      case T.SET: {
        const h = this.#byte();
        const size = (h >> 4) === 15 ? this.#varint() : h >> 4;
        const et = h & 15;
        const out: ThriftValue[] = [];
        // Booleans inside lists are one byte each (1 = true).
        for (let i = 0; i < size; i++) out.push(et === T.TRUE || et === T.FALSE ? this.#byte() === 1 : this.#value(et));
        return out;
      }
      case T.MAP: {
        const size = this.#varint();
        if (size === 0) return [];
        const kv = this.#byte();
        const out: ThriftValue[] = [];
        for (let i = 0; i < size; i++) out.push([this.#value(kv >> 4), this.#value(kv & 15)]);
        return out;
      }
      case T.STRUCT:
        return this.struct();
      default:
        throw new ThriftError(`Unknown thrift type ${type}`);
    }
  }

  /** Reads one struct (until STOP). */
  struct(): ThriftStruct {
    const out: ThriftStruct = new Map();
    let last = 0;
    for (;;) {
      const h = this.#byte();
      if (h === 0) return out;
      const type = h & 15;
      const delta = h >> 4;
      const id = delta === 0 ? this.#zigzag() : last + delta;
      last = id;
      out.set(id, this.#value(type));
    }
  }
}
