import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { concatCols, lowerBound, mergeDisjoint, missingFrom, prepareInput } from "./_arrays.ts";

const f64 = (...x: number[]) => new Float64Array(x);

Deno.test("prepareInput: sorted input is not copied; unsorted is sorted, first duplicate wins", () => {
  const sorted = Frame.fromBars([1, 2, 3].map((ts) => ({ ts, open: ts, high: ts, low: ts, close: ts, volume: ts })));
  assert.equal(prepareInput(sorted).cols[0], sorted.ts);
  const messy = Frame.fromBars([[3, 30], [1, 10], [3, 31], [2, 20], [1, 11]].map(([ts, v]) => ({
    ts: ts!,
    open: v!,
    high: v!,
    low: v!,
    close: v!,
    volume: v!,
  })));
  const p = prepareInput(messy);
  assert.equal(p.duplicates, 2);
  assert.deepEqual([...p.cols[0]!], [1, 2, 3]);
  assert.deepEqual([...p.cols[1]!], [10, 20, 30]);
});

Deno.test("missingFrom, mergeDisjoint, concatCols, lowerBound", () => {
  assert.deepEqual([...missingFrom(f64(1, 2, 3, 4, 5), 1, 5, f64(0, 2, 5, 9))], [2, 3]);
  const a = [f64(1, 4), f64(10, 40), f64(0, 0), f64(0, 0), f64(0, 0), f64(0, 0)];
  const b = [f64(2, 3, 5), f64(20, 30, 50), f64(0, 0, 0), f64(0, 0, 0), f64(0, 0, 0), f64(0, 0, 0)];
  const m = mergeDisjoint(a, b);
  assert.deepEqual([...m[0]!], [1, 2, 3, 4, 5]);
  assert.deepEqual([...m[1]!], [10, 20, 30, 40, 50]);
  assert.deepEqual([...concatCols([a, b])[0]!], [1, 4, 2, 3, 5]);
  assert.equal(lowerBound(f64(1, 3, 5), 3), 1);
  assert.equal(lowerBound(f64(1, 3, 5), 6), 3);
  assert.equal(lowerBound(f64(1, 3, 5), -Infinity), 0);
});
