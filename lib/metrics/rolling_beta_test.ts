import assert from "node:assert/strict";
import { assertCausal } from "../testing/causality.ts";
import { beta } from "./beta.ts";
import { rollingBeta } from "./rolling_beta.ts";
import { assertClose, randomReturns } from "./_testdata.ts";

function pair(n: number): { r: Float64Array; b: Float64Array } {
  const b = randomReturns(n, 21, 0.0003, 0.01);
  const noise = randomReturns(n, 22, 0, 0.005);
  const r = b.map((x, i) => 1.3 * x + noise[i]!);
  r[40] = NaN;
  b[41] = NaN;
  b[300] = NaN;
  r[300] = NaN;
  return { r, b };
}

Deno.test("rollingBeta equals beta over each window (NaN pairs skipped)", () => {
  const { r, b } = pair(1200);
  for (const window of [2, 3, 20, 126]) {
    const out = rollingBeta(r, b, window);
    assert.equal(out.length, r.length);
    for (let i = 0; i < r.length; i++) {
      if (i < window - 1) {
        assert.ok(Number.isNaN(out[i]!), `warm-up ${i}`);
        continue;
      }
      const want = beta(r.subarray(i - window + 1, i + 1), b.subarray(i - window + 1, i + 1));
      assertClose(out[i]!, want, 1e-9 * Math.max(1, Math.abs(want)), `window ${window} at ${i}`);
    }
  }
});

Deno.test("rollingBeta is causal", () => {
  const { r, b } = pair(400);
  assertCausal((k) => rollingBeta(r.subarray(0, k), b.subarray(0, k), 30), r.length, { name: "rollingBeta(30)" });
});

Deno.test("rollingBeta: flat benchmark and too few pairs are NaN; bad input throws", () => {
  const b = new Float64Array([0.01, 0.01, 0.01, 0.02, NaN, NaN]);
  const r = new Float64Array([0.02, -0.01, 0.03, 0.01, 0.01, 0.01]);
  const out = rollingBeta(r, b, 3);
  assert.ok(Number.isNaN(out[2]!)); // benchmark flat over bars 0..2
  assertClose(out[3]!, beta(r.subarray(1, 4), b.subarray(1, 4)), 1e-12);
  assert.ok(Number.isNaN(out[5]!)); // one complete pair in bars 3..5
  // A benchmark that goes flat away from the running origin (recentred at bar 4 on bars 1..3):
  // the running sums leave a rounding residue that must not read as a beta.
  const b2 = Float64Array.from({ length: 12 }, (_, i) => i < 4 ? Math.sin(7 + i) * 0.1 : 0.014);
  const r2 = Float64Array.from({ length: 12 }, (_, i) => Math.cos(i + 1) * 0.01);
  const out2 = rollingBeta(r2, b2, 4);
  for (let i = 7; i < 12; i++) assert.ok(Number.isNaN(out2[i]!), `flat window at ${i}: ${out2[i]}`);
  assert.throws(() => rollingBeta(r, b, 1), /window must be an integer >= 2 bars, got 1/);
  assert.throws(() => rollingBeta(r, b, 2.5), RangeError);
  assert.throws(() => rollingBeta(r, b.subarray(1), 3), /returns \(6\) and benchmark returns \(5\) must be aligned/);
});

Deno.test("rollingBeta writes into out; a slice from a multiple of the window, one window early, gives the same bits", () => {
  const { r, b } = pair(2000);
  r[901] = NaN;
  const w = 50;
  const full = rollingBeta(r, b, w);
  const out = new Float64Array(r.length).fill(7);
  assert.equal(rollingBeta(r, b, w, out), out);
  assert.deepEqual(out, full);
  const s = 12 * w;
  const part = rollingBeta(r.subarray(s - w, 1700), b.subarray(s - w, 1700), w, new Float64Array(1700 - s + w));
  assert.deepEqual(part.subarray(w), full.subarray(s, 1700));
  assert.throws(() => rollingBeta(r, b, w, new Float64Array(3)), /out must have length 2000/);
});
