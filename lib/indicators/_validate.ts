// Argument checks shared by every indicator. They run once per call, never per bar.

/** Throws a TypeError unless `value` is a Float64Array. */
export function checkSeries(fn: string, name: string, value: unknown): asserts value is Float64Array {
  if (!(value instanceof Float64Array)) {
    const seen = value === null
      ? "null"
      : Array.isArray(value)
      ? "Array"
      : typeof value === "object"
      ? (value as object).constructor?.name ?? "object"
      : typeof value;
    throw new TypeError(
      `${fn}: ${name} must be a Float64Array, got ${seen}; convert with Float64Array.from(${name})`,
    );
  }
}

/** Throws a RangeError unless `value` is a positive integer (a number of bars). */
export function checkPeriod(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${fn}: ${name} must be a positive integer number of bars, got ${String(value)}`);
  }
}

/** Throws a RangeError unless `value` is a non-negative integer (delta degrees of freedom). */
export function checkDdof(fn: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${fn}: ddof must be 0 (population) or 1 (sample), got ${String(value)}`);
  }
}

/** Throws a RangeError unless `value` is a finite number. */
export function checkFinite(fn: string, name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`${fn}: ${name} must be a finite number, got ${String(value)}`);
  }
}

/** Checks that every named column is a Float64Array of one common length and returns that length. */
export function checkColumns(fn: string, columns: Record<string, unknown>): number {
  let n = -1;
  let first = "";
  for (const [name, col] of Object.entries(columns)) {
    checkSeries(fn, name, col);
    if (n < 0) {
      n = col.length;
      first = name;
    } else if (col.length !== n) {
      throw new RangeError(
        `${fn}: ${name} has ${col.length} values but ${first} has ${n}; pass columns of one frame (equal lengths)`,
      );
    }
  }
  return n < 0 ? 0 : n;
}

function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength;
}

/**
 * Returns `out` after checking its length and that it shares no memory with the inputs
 * (the rolling algorithms read inputs behind the write position), or a new array of length `n`.
 */
export function prepareOut(
  fn: string,
  name: string,
  n: number,
  out: Float64Array | undefined,
  inputs: readonly Float64Array[],
): Float64Array {
  if (out === undefined) return new Float64Array(n);
  checkSeries(fn, name, out);
  if (out.length !== n) {
    throw new RangeError(
      `${fn}: ${name} has length ${out.length} but the input has ${n}; pass a buffer of length ${n}`,
    );
  }
  for (const input of inputs) {
    if (overlaps(out, input)) {
      throw new RangeError(`${fn}: ${name} shares memory with an input; pass a separate buffer`);
    }
  }
  return out;
}

/** Like {@link prepareOut} for the Uint8Array outputs of the cross detectors. */
export function prepareOutU8(
  fn: string,
  n: number,
  out: Uint8Array | undefined,
): Uint8Array {
  if (out === undefined) return new Uint8Array(n);
  if (!(out instanceof Uint8Array)) {
    throw new TypeError(`${fn}: out must be a Uint8Array, got ${(out as object)?.constructor?.name ?? typeof out}`);
  }
  if (out.length !== n) {
    throw new RangeError(`${fn}: out has length ${out.length} but the input has ${n}; pass a buffer of length ${n}`);
  }
  return out;
}

/** Checks that several output buffers are pairwise distinct memory. */
export function checkDistinct(fn: string, outs: Record<string, Float64Array>): void {
  const entries = Object.entries(outs);
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      if (overlaps(entries[i]![1], entries[j]![1])) {
        throw new RangeError(
          `${fn}: out.${entries[i]![0]} and out.${entries[j]![0]} share memory; pass separate buffers`,
        );
      }
    }
  }
}
