import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { compose, plotDocument, svgOf } from "./_render.ts";
import { parseSvg } from "./_snapshot.ts";

Deno.test("svgOf takes Plot's svg as is, and the chart svg out of a <figure> Plot returns with a title", () => {
  const document = plotDocument();
  const bare = Plot.plot({
    document,
    marks: [Plot.dot([1, 2, 3], { x: (d) => d, y: (d) => d })],
  }) as unknown as Element;
  assert.equal(svgOf(bare), bare);
  const wrapped = Plot.plot({
    document,
    title: "With title",
    color: { legend: true },
    marks: [Plot.dot([1, 2, 3], { x: (d) => d, y: (d) => d, fill: (d) => "abc"[d - 1] })],
  }) as unknown as Element;
  assert.equal(wrapped.tagName.toLowerCase(), "figure");
  const chart = svgOf(wrapped);
  assert.equal(chart.tagName.toLowerCase(), "svg");
  assert.equal(chart.querySelectorAll('g[aria-label="dot"] circle').length, 3);
});

Deno.test("compose stacks panels under the title, escapes text and sets the SVG namespace", () => {
  const fig = compose({
    title: "A < B & C",
    subtitle: "sub",
    width: 400,
    legend: [{ label: "x<y", color: "red", kind: "line" }],
    panels: [{ height: 100, marks: [Plot.ruleY([0])] }, { height: 120, marks: [Plot.ruleX([0])] }],
  });
  const svg = parseSvg(fig.svg);
  const panels = svg.all("svg");
  assert.equal(panels.length, 2);
  const [a, b] = panels.map((p) => Number(p.getAttribute("y")));
  assert.equal(b! - a!, 100, "second panel starts below the first");
  assert.equal(fig.height, Math.ceil(b! + 120 + 4));
  assert.ok(fig.svg.includes("A &lt; B &amp; C"));
  assert.ok(svg.texts().includes("x<y"));
});
