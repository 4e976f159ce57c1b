import assert from "node:assert/strict";
import { sma } from "../indicators/mod.ts";
import { syntheticCloses } from "../testing/mod.ts";
import { SmaBlocks, smaKeyPeriod } from "./_sma_blocks.ts";

/** sma() block by block with blocks of `size` bars, into one array to compare. */
function blocked(values: Float64Array, period: number, size: number): Float64Array {
  const s = new SmaBlocks(period);
  const out = new Float64Array(values.length);
  const buf = new Float64Array(size);
  s.start(values);
  for (let from = 0; from < values.length; from += size) {
    const to = Math.min(values.length, from + size);
    s.fill(values, from, to, buf);
    out.set(buf.subarray(0, to - from), from);
  }
  return out;
}

function assertSameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}: bar ${i}: ${a[i]} !== ${b[i]}`);
  }
}

Deno.test("SmaBlocks gives sma() bit for bit, whatever the block size, across its rebuilds", () => {
  const values = syntheticCloses(9_000, { start: 1e9, vol: 0.01 });
  for (const period of [1, 2, 3, 45, 1023, 1024, 1025, 3000, 9_000, 12_000]) {
    const ref = sma(values, period);
    for (const size of [1, 7, 1024, 4096, 9_000]) {
      assertSameBits(blocked(values, period, size), ref, `p${period}/b${size}`);
    }
  }
});

Deno.test("SmaBlocks: missing values blank their windows as sma() does, and the anchor skips them", () => {
  const values = syntheticCloses(5_000);
  for (const i of [0, 1, 5, 1023, 1024, 2047, 2048, 2049, 4000]) values[i] = NaN;
  values[3000] = Infinity;
  for (const period of [1, 2, 20, 1024, 1500]) {
    const ref = sma(values, period);
    for (const size of [3, 4096]) assertSameBits(blocked(values, period, size), ref, `p${period}/b${size}`);
  }
});

Deno.test("SmaBlocks: start() begins again; fill() must continue where it stopped", () => {
  const values = syntheticCloses(3_000);
  const s = new SmaBlocks(10);
  const a = new Float64Array(3_000), b = new Float64Array(3_000);
  s.start(values);
  s.fill(values, 0, 3_000, a);
  s.start(values);
  s.fill(values, 0, 3_000, b);
  assertSameBits(a, b, "twice");
  assert.throws(() => s.fill(values, 10, 20, b), /expected bars from 3000, got 10/);
  assert.throws(() => new SmaBlocks(0), /period must be an integer >= 1, got 0/);
});

Deno.test("smaKeyPeriod reads sma:close:<period> keys only", () => {
  assert.equal(smaKeyPeriod("sma:close:20"), 20);
  assert.equal(smaKeyPeriod("sma:close:0"), undefined);
  assert.equal(smaKeyPeriod("sma:open:20"), undefined);
  assert.equal(smaKeyPeriod("ema:close:20"), undefined);
  assert.equal(smaKeyPeriod("sma:close:20:x"), undefined);
});
