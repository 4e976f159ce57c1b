import assert from "node:assert/strict";
import { Figure } from "./figure.ts";
import { JUPYTER_DISPLAY } from "../types/mod.ts";

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10"/></svg>';

Deno.test("Figure exposes svg, size and title, and stringifies to the svg", () => {
  const fig = new Figure({ svg, width: 20, height: 10, title: "Tiny" });
  assert.equal(fig.svg, svg);
  assert.equal(`${fig}`, svg);
  assert.equal(fig.width, 20);
  assert.equal(fig.height, 10);
  assert.equal(fig.title, "Tiny");
});

Deno.test("Figure displays in Jupyter as text/html (inline SVG) and image/svg+xml, the title as text/plain", () => {
  const fig = new Figure({ svg, width: 20, height: 10, title: "Tiny" });
  // text/html too: nbconvert's HTML export strips the children of image/svg+xml outputs.
  assert.deepEqual(fig[JUPYTER_DISPLAY](), { "text/html": fig.toHtml(), "image/svg+xml": svg, "text/plain": "Tiny" });
  // The Deno kernel looks the method up by the global symbol, not by our import.
  assert.equal(typeof (fig as unknown as Record<symbol, unknown>)[Symbol.for("Jupyter.display")], "function");
});

Deno.test("Figure.toHtml embeds the svg in a figure with an escaped label", () => {
  const fig = new Figure({ svg, width: 20, height: 10, title: 'A "<b>" & co' });
  assert.equal(
    fig.toHtml(),
    `<figure class="sentinel-figure" style="margin:0;max-width:20px" aria-label="A &quot;&lt;b&gt;&quot; &amp; co">${svg}</figure>`,
  );
});

Deno.test("Figure rejects text that is not SVG", () => {
  assert.throws(() => new Figure({ svg: "<div></div>", width: 1, height: 1, title: "x" }), /must be SVG text.*<div>/);
});
