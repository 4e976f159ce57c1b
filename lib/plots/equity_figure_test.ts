import assert from "node:assert/strict";
import { equityFigure } from "./equity_figure.ts";
import { assertSnapshot, parseSvg } from "./_snapshot.ts";
import { close, equity, ts } from "./_fixtures.ts";

Deno.test("equityFigure draws strategy and rebased benchmark lines with a start-value rule", async () => {
  const fig = equityFigure({ ts, equity, benchmark: close, title: "SMA cross" });
  const svg = parseSvg(fig.svg);
  assert.equal(fig.title, "SMA cross");
  assert.equal(fig.width, 900);
  assert.equal(svg.all("svg").length, 1, "one plot panel");
  assert.equal(svg.marks("line").length, 2, "strategy and benchmark");
  assert.equal(svg.marks("rule").length, 1, "start value");
  assert.ok(svg.texts().includes("SMA cross"));
  assert.ok(svg.texts().includes("Strategy") && svg.texts().includes("Benchmark"));
  // Total return from the fixture: 100·close[29] / 100·close[0] - 1; the benchmark rebases to the same start.
  const r = ((close[29]! / close[0]! - 1) * 100).toFixed(1);
  assert.ok(svg.texts().some((t) => t.startsWith(`Total return +${r}% (benchmark +${r}%)`)), svg.texts()[1]);
  // One time format, marked UTC.
  assert.match(svg.texts()[1]!, /· \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d UTC$/);
  await assertSnapshot("equity", fig.svg);
});

Deno.test("equityFigure log scale and no benchmark", async () => {
  const fig = equityFigure({ ts, equity, log: true });
  const svg = parseSvg(fig.svg);
  assert.equal(svg.marks("line").length, 1);
  assert.ok(svg.texts().includes("↑ Equity (log)"));
  await assertSnapshot("equity_log", fig.svg);
});

Deno.test("equityFigure decimates a long series to a bounded path but keeps its extremes", () => {
  const n = 200_000;
  const t = Float64Array.from({ length: n }, (_, i) => i * 60_000);
  const e = Float64Array.from({ length: n }, (_, i) => 1000 + Math.sin(i / 5000) * 100);
  e[123_457] = 5000; // one spike must survive decimation
  const svg = parseSvg(equityFigure({ ts: t, equity: e }).svg);
  const d = svg.marks("line")[0]!.getAttribute("d")!;
  const points = d.split(/[ML]/).filter(Boolean).length;
  assert.ok(points <= 4 * (900 - 64 - 24), `${points} points drawn`);
  // The y axis reaches the spike (5,000), so the spike is in the drawn data.
  assert.ok(svg.texts().includes("5,000"), "axis covers the spike");
});

Deno.test("equityFigure validates its input", () => {
  assert.throws(() => equityFigure({ ts, equity: equity.subarray(1) }), /equity has 29 values but ts has 30/);
  assert.throws(() => equityFigure({ ts, equity: "x" as unknown as number[] }), /equity must be a Float64Array.*"x"/);
  assert.throws(() => equityFigure({ ts, equity, width: 10 }), /width must be at least 200 px, got 10/);
});
