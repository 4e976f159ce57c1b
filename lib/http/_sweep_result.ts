// The result of a sweep (live job page and recorded run page): heatmap and top combinations.
import { formatStat } from "../metrics/mod.ts";
import { sweepHeatmapFigure } from "../plots/mod.ts";
import { fmtNum, type Html, html, raw } from "./_html.ts";

/**
 * The heatmap (first two numeric params) and the top combos of a sweep table. With more than
 * two params, each cell is the best value over the others, and the caption says so.
 */
export function sweepResultHtml(
  cols: Record<string, ArrayLike<unknown>>,
  paramNames: string[],
  metric: string,
  top = 20,
): Html {
  const numeric = Object.entries(cols).filter(([, v]) => v instanceof Float64Array) as [string, Float64Array][];
  const n = numeric[0]?.[1].length ?? 0;
  const params = paramNames.filter((p) => cols[p] instanceof Float64Array);
  const m = cols[metric] instanceof Float64Array
    ? metric
    : cols.final_equity instanceof Float64Array
    ? "final_equity"
    : undefined;
  if (n === 0 || m === undefined) return html`<p class="muted">The sweep table is empty.</p>`;
  const metricCol = cols[m] as Float64Array;
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => !Number.isNaN(metricCol[i]!))
    .sort((a, b) => metricCol[b]! - metricCol[a]!);
  let heat: Html = html``;
  if (params.length >= 2) {
    const [x, y, ...others] = params as [string, string, ...string[]];
    const rows: Record<string, number>[] = [];
    for (let i = 0; i < n; i++) {
      const v = metricCol[i]!;
      if (Number.isFinite(v)) {
        rows.push({ [x]: (cols[x] as Float64Array)[i]!, [y]: (cols[y] as Float64Array)[i]!, [m]: v });
      }
    }
    if (rows.length > 0) {
      const fig = sweepHeatmapFigure({
        rows,
        x,
        y,
        metric: m,
        reduce: "best",
        others,
        // Final equity and counts have no meaningful zero: a sequential scale for them.
        pivot: m === "final_equity" || m === "trades" ? null : 0,
        title: `${m} by ${x} and ${y}`,
      });
      heat = html`${raw(fig.toHtml())}${
        others.length > 0
          ? html`
            <p class="muted"
              id="heatmap-aggregate">Each cell shows the best ${m} over ${others.join(
                " and ",
              )} for that (${x}, ${y}); the table below lists the combinations themselves.</p>
          `
          : ""
      }`;
    }
  }
  const statKeys = ["final_equity", "total_return", "sharpe", "max_drawdown", "trades"].filter((k) =>
    cols[k] instanceof Float64Array
  );
  const table = html`
    <table id="top-combos">
      <thead>
        <tr><th class="num">Rank</th>${params.map((p) => html`<th class="num">${p}</th>`)}${statKeys.map((k) =>
          html`<th class="num">${k}</th>`
        )}</tr>
      </thead>
      <tbody>${order.slice(0, top).map((i, r) =>
        html`<tr><td class="num">${r + 1}</td>${
          params.map((p) => html`<td class="num">${fmtNum((cols[p] as Float64Array)[i]!, 6)}</td>`)
        }${statKeys.map((k) => html`<td class="num">${formatStat(k, (cols[k] as Float64Array)[i]!)}</td>`)}</tr>`
      )}</tbody>
    </table>
  `;
  return html`<div id="sweep-result">${heat}<h3>Top ${
    Math.min(top, order.length)
  } of ${n} combinations by ${m}</h3>${table}</div>`;
}
