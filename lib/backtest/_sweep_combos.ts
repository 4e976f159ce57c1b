// Parameter combinations of a sweep: a grid (decoded lazily by index, so a big grid costs no
// memory), a random sample of a grid, or random draws from the schema's ranges.
import type { ParamField } from "../strategies/mod.ts";

/** A value a grid may list for one param. */
export type GridValue = number | boolean | string;

/** Combinations by index. */
export interface ComboSource {
  size: number;
  at(i: number): Record<string, GridValue>;
}

/** mulberry32: small, seeded, reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks grid keys against the strategy's params and returns the grid as arrays. */
export function checkGrid(
  name: string,
  fields: readonly ParamField[],
  grid: Record<string, readonly GridValue[] | GridValue>,
): [string, GridValue[]][] {
  const known = new Set(fields.map((f) => f.name));
  const out: [string, GridValue[]][] = [];
  for (const [k, v] of Object.entries(grid)) {
    if (!known.has(k)) {
      throw new RangeError(
        `grid param ${JSON.stringify(k)} is not a param of ${name}; its params are ${
          [...known].join(", ") || "(none)"
        }`,
      );
    }
    const values = Array.isArray(v) ? [...v] : [v as GridValue];
    if (values.length === 0) throw new RangeError(`grid param ${JSON.stringify(k)} lists no values; give at least one`);
    out.push([k, values]);
  }
  return out;
}

/** The cartesian product, first key varying slowest. */
export function gridSource(axes: [string, GridValue[]][]): ComboSource {
  let size = 1;
  for (const [, v] of axes) size *= v.length;
  return {
    size,
    at(i) {
      const p: Record<string, GridValue> = {};
      for (let a = axes.length - 1; a >= 0; a--) {
        const [k, v] = axes[a]!;
        p[k] = v[i % v.length]!;
        i = Math.floor(i / v.length);
      }
      // Keep the grid's key order in the row objects.
      const ordered: Record<string, GridValue> = {};
      for (const [k] of axes) ordered[k] = p[k]!;
      return ordered;
    },
  };
}

/** `n` distinct combinations of `source` drawn without replacement (all of them if n >= size). */
export function sampleSource(source: ComboSource, n: number, seed: number): ComboSource {
  if (n >= source.size) return source;
  const r = rng(seed);
  // Floyd's algorithm: n distinct indices, then in draw order.
  const chosen = new Set<number>();
  const order: number[] = [];
  for (let j = source.size - n; j < source.size; j++) {
    const t = Math.floor(r() * (j + 1));
    const pick = chosen.has(t) ? j : t;
    chosen.add(pick);
    order.push(pick);
  }
  return { size: n, at: (i) => source.at(order[i]!) };
}

/**
 * `n` random draws from each field's range (ints on their step, enums and bools uniformly); a param with no range to
 * draw from (an unbounded number, a string) keeps its default.
 */
export function randomSource(fields: readonly ParamField[], n: number, seed: number): ComboSource {
  const r = rng(seed);
  const rows: Record<string, GridValue>[] = [];
  for (let i = 0; i < n; i++) {
    const p: Record<string, GridValue> = {};
    for (const f of fields) {
      if (f.type === "bool") p[f.name] = r() < 0.5;
      else if (f.type === "enum") p[f.name] = f.options![Math.floor(r() * f.options!.length)]!;
      else if (f.type === "string" || f.min === undefined || f.max === undefined) p[f.name] = f.default;
      else if (f.type === "int") {
        const step = f.step ?? 1;
        const lo = Math.ceil(f.min), k = Math.floor((f.max - lo) / step);
        p[f.name] = lo + step * Math.floor(r() * (k + 1));
      } else {
        const x = f.min + r() * (f.max - f.min);
        p[f.name] = f.step ? Math.min(f.max, f.min + Math.round((x - f.min) / f.step) * f.step) : x;
      }
    }
    rows.push(p);
  }
  return { size: n, at: (i) => rows[i]! };
}
