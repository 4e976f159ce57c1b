import assert from "node:assert/strict";
import { monthlyHeatmapFigure, type MonthlyReturn } from "./monthly_heatmap_figure.ts";
import { assertSnapshot, parseSvg } from "./_snapshot.ts";

// 2023-03 .. 2024-04: 14 months with values -0.10, -0.08, ..., +0.16 (step 0.02); one NaN month.
const rows: MonthlyReturn[] = Array.from({ length: 14 }, (_, k) => ({
  year: k < 10 ? 2023 : 2024,
  month: k < 10 ? k + 3 : k - 9,
  value: -0.1 + 0.02 * k,
}));
rows.push({ year: 2024, month: 5, value: NaN });

Deno.test("monthlyHeatmapFigure draws a cell and a label per month, on a diverging scale", async () => {
  const fig = monthlyHeatmapFigure({ rows });
  const svg = parseSvg(fig.svg);
  const cells = svg.marks("cell");
  assert.equal(cells.length, 15, "14 colored cells and one grey empty cell");
  const labels = svg.marks("text").map((t) => t.textContent);
  assert.equal(labels.length, 14);
  assert.deepEqual(labels.slice(0, 3), ["−10.0%", "−8.0%", "−6.0%"]);
  assert.equal(labels[5], "0.0%", "k = 5 is zero (up to rounding), shown without a sign");
  assert.equal(labels.at(-1), "+16.0%");
  // Month names on the top axis, years on the left.
  for (const m of ["Jan", "Jun", "Dec"]) assert.ok(svg.texts().includes(m));
  assert.ok(svg.texts().includes("2023") && svg.texts().includes("2024"));
  // Symmetric about zero: the ramp runs from -16% to +16%.
  assert.ok(svg.texts().includes("−15%") && svg.texts().includes("15%"));
  // +16% is the saturated green end of RdYlGn and zero its pale middle.
  const fill = (label: string): string => cells[1 + labels.indexOf(label)]!.getAttribute("fill")!;
  assert.equal(fill("+16.0%"), "rgb(0, 104, 55)");
  // d3's interpolateRdYlGn is a smoothed (basis) ramp: its middle is a pale yellow, rgb(249, 247, 174).
  assert.equal(fill("0.0%"), "rgb(249, 247, 174)");
  assert.equal(svg.texts()[1], "2023–2024 · 14 months");
  await assertSnapshot("monthly_heatmap", fig.svg);
});

Deno.test("monthlyHeatmapFigure rejects bad months and duplicates", () => {
  assert.throws(
    () => monthlyHeatmapFigure({ rows: [{ year: 2024, month: 13, value: 0 }] }),
    /month must be 1 to 12, got 13/,
  );
  const dup = [{ year: 2024, month: 2, value: 0 }, { year: 2024, month: 2, value: 0.1 }];
  assert.throws(() => monthlyHeatmapFigure({ rows: dup }), /two rows for 2024-02/);
  assert.throws(
    () => monthlyHeatmapFigure({ rows: [{ year: 2024.5, month: 1, value: 0 }] }),
    /year must be an integer/,
  );
});
