import assert from "node:assert/strict";
import { sweepHeatmapFigure } from "./sweep_heatmap_figure.ts";
import { assertSnapshot, parseSvg } from "./_snapshot.ts";

// fast in {5, 10, 20} × slow in {50, 100}, and a third parameter (stop) that varies too.
const rows: Record<string, number>[] = [];
for (const fast of [5, 10, 20]) {
  for (const slow of [50, 100]) {
    for (const stop of [0.01, 0.02]) {
      rows.push({ fast, slow, stop, sharpe: fast / 10 - slow / 100 + stop * 10, maxDD: fast / 100 + stop });
    }
  }
}

Deno.test("sweepHeatmapFigure colors cells by the metric and outlines the best", async () => {
  const fig = sweepHeatmapFigure({ rows, x: "fast", y: "slow", metric: "sharpe", others: ["stop"] });
  const svg = parseSvg(fig.svg);
  const cells = svg.marks("cell");
  assert.equal(cells.length, 6 + 1, "six cells and the outline");
  assert.equal(svg.all('g[aria-label="cell"]').at(-1)?.getAttribute("stroke"), "#000");
  // Best over stop: sharpe = fast/10 - slow/100 + 0.2; the best cell is fast 20, slow 50: 2 - 0.5 + 0.2 = 1.70.
  // Three parameters: the caption says what a cell aggregates.
  assert.equal(svg.texts()[1], "Best sharpe 1.70 at fast = 20, slow = 50 (best over stop for each (fast, slow))");
  const labels = svg.marks("text").map((t) => t.textContent);
  // Cells in row order; fast 5, slow 50: 0.5 - 0.5 + 0.2 = 0.20; fast 5, slow 100: 0.5 - 1 + 0.2 = -0.30.
  assert.deepEqual(labels, ["0.20", "−0.30", "0.70", "0.20", "1.70", "1.20"]);
  for (const t of ["fast →", "↑ slow", "5", "20", "50", "100"]) assert.ok(svg.texts().includes(t), t);
  await assertSnapshot("sweep_heatmap", fig.svg);
});

Deno.test("sweepHeatmapFigure with best = min and reduce = mean", () => {
  const fig = sweepHeatmapFigure({ rows, x: "fast", y: "slow", metric: "maxDD", best: "min", reduce: "mean" });
  const svg = parseSvg(fig.svg);
  // Mean over stop of fast/100 + stop: fast 5 → 0.065, the smallest.
  assert.equal(
    svg.texts()[1],
    "Best maxDD 0.07 at fast = 5, slow = 50 (mean over the other parameters for each (fast, slow))",
  );
});

Deno.test("sweepHeatmapFigure centres a diverging scale on 0 even when every value is positive", () => {
  const positive = rows.map((r) => ({ ...r, sharpe: r.sharpe! + 1 })); // 0.7 .. 2.7
  const fill = (pivot?: number | null) =>
    parseSvg(sweepHeatmapFigure({ rows: positive, x: "fast", y: "slow", metric: "sharpe", pivot }).svg)
      .marks("cell").map((c) => c.getAttribute("fill")).filter((f) => f !== null);
  // RdYlGn at 0.7 on a [-2.7, 2.7] scale: pale green, not viridis' purple for the lowest cell.
  const diverging = fill();
  assert.equal(diverging.length, 6);
  assert.ok(diverging.every((f) => !/^rgb\(68, 1, 84\)$/.test(f!)), String(diverging));
  assert.notDeepEqual(diverging, fill(null));
  assert.throws(
    () => sweepHeatmapFigure({ rows, x: "fast", y: "slow", metric: "sharpe", pivot: NaN }),
    /pivot must be a finite number or null/,
  );
});

Deno.test("sweepHeatmapFigure names a missing field and the ones available", () => {
  assert.throws(
    () => sweepHeatmapFigure({ rows, x: "fast", y: "slow", metric: "sortino" }),
    /no field "sortino"; fields are fast, slow, stop, sharpe, maxDD/,
  );
  assert.throws(
    () => sweepHeatmapFigure({ rows, x: "fast", y: "slow", metric: "sharpe", best: "top" as "max" }),
    /best must be/,
  );
});
