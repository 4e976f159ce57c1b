import assert from "node:assert/strict";
import { equityFigure } from "../../plots/mod.ts";
import { rasterizeSvg } from "./_rasterize.ts";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Bytes of the PNG of `svg`: drawn text compresses worse than blank white. */
async function inkIn(svg: string): Promise<number> {
  const { png } = await rasterizeSvg(svg);
  return png.length;
}

Deno.test("rasterizeSvg renders a figure to a PNG of the figure's size", async () => {
  const ts = Array.from({ length: 5_000 }, (_, i) => Date.UTC(2000, 0, 1) + i * 86_400_000);
  const equity = ts.map((_, i) => 100 + Math.sin(i / 50) * 10 + i / 100);
  const fig = equityFigure({ ts, equity, title: "Rasterized" });
  const { png, width, height } = await rasterizeSvg(fig.svg);
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  assert.equal(width, fig.width);
  assert.equal(height, fig.height);
  assert.ok(png.length > 10_000, `a chart with labels is more than a few bytes (${png.length})`);
});

Deno.test("rasterizeSvg draws text: the same SVG with a label encodes to more bytes than without", async () => {
  const base = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60" font-family="system-ui, sans-serif">';
  const bare = await inkIn(`${base}</svg>`);
  const text = await inkIn(`${base}<text x="4" y="40" font-size="24">Equity 1,234 →</text></svg>`);
  assert.ok(text > bare + 200, `text renders (${bare} vs ${text} bytes): fonts were loaded`);
});

Deno.test("rasterizeSvg without the fonts says to install fonts-dejavu-core", async () => {
  const fontDir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      () => rasterizeSvg('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', { fontDir }),
      /DejaVuSans\.ttf.* not found.*fonts-dejavu-core/,
    );
  } finally {
    await Deno.remove(fontDir);
  }
});
