import assert from "node:assert/strict";
import { assertClose, randomReturns } from "./_testdata.ts";
import { rollingSharpe } from "./rolling_sharpe.ts";
import { sharpe } from "./sharpe.ts";

Deno.test("rollingSharpe equals sharpe over each window (with NaN and a risk-free rate)", () => {
  const r = randomReturns(1000, 11);
  r[100] = NaN;
  r[101] = NaN;
  r[523] = NaN;
  for (const window of [2, 5, 63]) {
    const opts = { periodsPerYear: 365, riskFree: 0.03 };
    const out = rollingSharpe(r, { ...opts, window });
    for (let i = 0; i < r.length; i++) {
      if (i < window - 1) {
        assert.ok(Number.isNaN(out[i]!), `warm-up ${i}`);
        continue;
      }
      const want = sharpe(r.subarray(i - window + 1, i + 1), opts);
      assertClose(out[i]!, want, 1e-9 * Math.max(1, Math.abs(want)), `window ${window} at ${i}`);
    }
  }
});

Deno.test("rollingSharpe: flat windows are NaN; bad window throws", () => {
  const out = rollingSharpe(new Float64Array([0.01, 0.01, 0.01, 0.02]), { window: 3, periodsPerYear: 1 });
  assert.ok(Number.isNaN(out[2]!));
  assert.ok(!Number.isNaN(out[3]!));
  assert.throws(() => rollingSharpe(new Float64Array(5), { window: 1, periodsPerYear: 1 }), RangeError);
  assert.throws(() => rollingSharpe(new Float64Array(5), { window: 2.5, periodsPerYear: 1 }), RangeError);
});

Deno.test("rollingSharpe writes into out; a slice from a multiple of the window, one window early, gives the same bits", () => {
  const r = randomReturns(2000, 5);
  r[700] = NaN;
  const w = 63;
  const opts = { window: w, periodsPerYear: 252 };
  const full = rollingSharpe(r, opts);
  const out = new Float64Array(r.length).fill(7);
  assert.equal(rollingSharpe(r, { ...opts, out }), out);
  assert.deepEqual(out, full);
  // What the report relies on to draw 1M bars in chunks: the sums are rebuilt at every multiple of w.
  const s = 10 * w;
  const part = rollingSharpe(r.subarray(s - w, 1500), { ...opts, out: new Float64Array(1500 - s + w) });
  assert.deepEqual(part.subarray(w), full.subarray(s, 1500));
  assert.throws(() => rollingSharpe(r, { ...opts, out: new Float64Array(3) }), /out must have length 2000/);
});
