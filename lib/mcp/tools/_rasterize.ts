// SVG to PNG for the `plot` tool, with resvg-js (a native addon: needs --allow-read --allow-env --allow-ffi
// --allow-sys, exactly what `deno task mcp` grants). resvg reads no system fonts here, so the DejaVu fonts are passed
// by path: without them every label would be silently dropped.

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ResvgRenderOptions } from "@resvg/resvg-js";

/** Where Debian's `fonts-dejavu-core` puts its fonts. */
export const DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu";

/** The faces the figures use: regular text, and the bold title. */
const FACES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"] as const;

/** Options of {@link rasterizeSvg}. */
export interface RasterizeOptions {
  /** Folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf. Default {@link DEJAVU_DIR}. */
  fontDir?: string;
  /** Checked before the render starts; an aborted signal throws its reason. */
  signal?: AbortSignal;
}

/** A rasterized figure. */
export interface Rasterized {
  png: Uint8Array;
  width: number;
  height: number;
}

// The addon loads on the first plot, not when the server starts.
let resvg: Promise<typeof import("@resvg/resvg-js")> | undefined;

// One font setup per process (per font folder): the files are checked once, not on every render.
const setups = new Map<string, ResvgRenderOptions>();

function renderOptions(fontDir: string): ResvgRenderOptions {
  let o = setups.get(fontDir);
  if (o === undefined) {
    const files = FACES.map((f) => join(fontDir, f));
    const missing = files.filter((f) => !existsSync(f));
    if (missing.length > 0) {
      throw new Error(
        `plot: font ${missing.join(", ")} not found, so a PNG would have no labels; install the DejaVu fonts ` +
          "(Debian/Ubuntu: apt-get install -y fonts-dejavu-core) and call again",
      );
    }
    o = {
      // The figures' CSS variables do not reach resvg: without this the background is transparent.
      background: "white",
      font: {
        loadSystemFonts: false,
        fontFiles: files,
        // Plot asks for `system-ui, ..., sans-serif`: resvg resolves the generic family to DejaVu Sans.
        sansSerifFamily: "DejaVu Sans",
        defaultFontFamily: "DejaVu Sans",
      },
      logLevel: "off",
    };
    setups.set(fontDir, o);
  }
  return o;
}

/**
 * Renders standalone SVG text (a `lib/plots` figure) to PNG at the SVG's own size, on a white background, with the
 * DejaVu fonts. Missing fonts are an error that says to install `fonts-dejavu-core`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rasterizeSvg } from "./_rasterize.ts";
 * const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="14">Hi</text></svg>';
 * const { png, width, height } = await rasterizeSvg(svg);
 * assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
 * assert.equal(width, 40);
 * assert.equal(height, 20);
 * ```
 */
export async function rasterizeSvg(svg: string, options: RasterizeOptions = {}): Promise<Rasterized> {
  const opts = renderOptions(options.fontDir ?? DEJAVU_DIR);
  options.signal?.throwIfAborted();
  // No signal goes to resvg: it napi-wraps the signal object, so a second render with the same signal (one MCP
  // request's, a server's) fails with InvalidArg. A render takes tens of milliseconds, not worth cancelling.
  const { renderAsync } = await (resvg ??= import("@resvg/resvg-js"));
  const img = await renderAsync(svg, opts, null);
  const buf = img.asPng();
  return { png: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), width: img.width, height: img.height };
}
