import assert from "node:assert/strict";
import { Frame } from "./frame.ts";
import { JUPYTER_DISPLAY } from "../types/mod.ts";

const bars = [
  { ts: 1_700_000_000_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
  { ts: 1_700_000_060_000, open: 1.5, high: 2.5, low: 1, close: 0.1 + 0.2, volume: 0 },
  { ts: 1_700_000_120_000, open: 3, high: 3, low: 3, close: 3, volume: 1e-17 },
];

Deno.test("Frame round-trips through Arrow bit for bit", () => {
  const f = Frame.fromBars(bars);
  const back = Frame.fromArrow(f.toArrow());
  assert.deepEqual(back.toBars(), bars);
  assert.equal(f.toArrow().getChild("ts")!.type.toString(), "Int64");
});

Deno.test("Frame round-trips through arquero", () => {
  const f = Frame.fromBars(bars);
  assert.deepEqual(Frame.fromArquero(f.toArquero()).toBars(), bars);
});

Deno.test("Frame.slice shares memory and indexAt binary-searches", () => {
  const f = Frame.fromBars(bars);
  const s = f.slice(1, 3);
  assert.equal(s.length, 2);
  assert.equal(s.close.buffer, f.close.buffer);
  assert.equal(f.indexAt(1_700_000_060_000), 1);
  assert.equal(f.indexAt(1_700_000_060_001), 2);
  assert.equal(f.indexAt(9e15), 3);
});

Deno.test("Frame rejects misaligned or non-float columns with the name", () => {
  assert.throws(
    () => new Frame(new Float64Array(2), { close: new Float64Array(3) }),
    /"close" has 3 rows but ts has 2/,
  );
  assert.throws(
    () => new Frame(new Float64Array(1), { close: [1] as unknown as Float64Array }),
    /Float64Array, got Array/,
  );
  assert.throws(() => Frame.fromBars(bars).col("vwap"), /no column "vwap"/);
});

Deno.test("Frame displays itself in Jupyter as HTML", () => {
  const out = Frame.fromBars(bars)[JUPYTER_DISPLAY]();
  assert.match(out["text/html"]!, /<table>/);
  assert.match(out["text/plain"]!, /3 rows/);
});
