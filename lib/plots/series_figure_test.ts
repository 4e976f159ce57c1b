import assert from "node:assert/strict";
import { seriesFigure } from "./series_figure.ts";
import { assertSnapshot, parseSvg } from "./_snapshot.ts";
import { close, ts } from "./_fixtures.ts";

Deno.test("seriesFigure draws one line per series with a legend and reference rules", async () => {
  const a = Float64Array.from(close, (c) => c / close[0]! - 1);
  const b = Float64Array.from(close, (_, i) => i / 100);
  const fig = seriesFigure({
    ts,
    lines: [{ label: "A", values: a }, { label: "B", values: b, dashed: true }],
    rules: [0],
    percent: true,
    title: "Two lines",
    subtitle: "A and B",
  });
  const svg = parseSvg(fig.svg);
  assert.equal(svg.marks("line").length, 2);
  assert.ok(svg.texts().includes("A") && svg.texts().includes("B"));
  assert.equal(svg.texts()[1], "A and B");
  await assertSnapshot("series_two_lines", fig.svg);
  assert.throws(() => seriesFigure({ ts, lines: [{ label: "x", values: [1] }] }), /lines\[0\] \(x\) has 1 values/);
});
