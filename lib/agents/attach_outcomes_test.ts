import assert from "node:assert/strict";
import { attachOutcomes } from "./attach_outcomes.ts";
import { HOUR, row } from "./_learning_testing.ts";

const ts = Float64Array.from({ length: 5 }, (_, i) => i * HOUR);
const close = new Float64Array([100, 110, 121, 99, 105]);

Deno.test("attachOutcomes: forward return from the decision bar's close and the close time of bar t + h", () => {
  const out = attachOutcomes([row("a", 0, 1, 1), row("a", 2, -1, 1)], { ts, close }, 2);
  assert.ok(Math.abs(out[0]!.forwardReturn - 0.21) < 1e-12); // 121 / 100 - 1
  assert.equal(out[0]!.outcomeTime, 3 * HOUR); // bar 2 opens at 2h, closes at 3h
  assert.ok(Math.abs(out[1]!.forwardReturn - (105 / 121 - 1)) < 1e-12);
  assert.equal(out[1]!.outcomeTime, 5 * HOUR);
  assert.equal(out[0]!.persona, "a");
});

Deno.test("attachOutcomes: a window not closed, a bar not in the series or a NaN close give NaN", () => {
  // h = 2: bar 2 reaches the last bar (4), bar 3 would need bar 5.
  const out = attachOutcomes([row("a", 2, 1, 1), row("a", 3, 1, 1), row("a", 4, 1, 1), row("a", 9, 1, 1)], {
    ts,
    close,
  }, 2);
  assert.equal(Number.isNaN(out[0]!.forwardReturn), false);
  for (const r of out.slice(1)) {
    assert.ok(Number.isNaN(r.forwardReturn));
    assert.ok(Number.isNaN(r.outcomeTime));
  }
  const gap = attachOutcomes([row("a", 0, 1, 1)], { ts, close: new Float64Array([100, NaN, 120, 1, 1]) }, 1);
  assert.ok(Number.isNaN(gap[0]!.forwardReturn));
});

Deno.test("attachOutcomes: closes by symbol; a symbol without closes and a bad horizon are errors", () => {
  const out = attachOutcomes([row("a", 0, 1, 1, { symbol: "ETH/USDT" })], {
    "ETH/USDT": { ts, close: new Float64Array([10, 11, 12, 13, 14]) },
  }, 1);
  assert.ok(Math.abs(out[0]!.forwardReturn - 0.1) < 1e-12);
  assert.throws(
    () => attachOutcomes([row("a", 0, 1, 1)], { "ETH/USDT": { ts, close } }, 1),
    /no closes for symbol "BTC\/USDT" \(have ETH\/USDT\)/,
  );
  assert.throws(() => attachOutcomes([], { ts, close }, 0), /horizonBars must be an integer >= 1, got 0/);
  assert.throws(
    () => attachOutcomes([row("a", 0, 1, 1)], { ts, close: close.subarray(1) }, 1),
    /5 times and 4 closes/,
  );
});
