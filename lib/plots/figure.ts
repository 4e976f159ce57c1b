import { JUPYTER_DISPLAY, type MimeBundle } from "../types/mod.ts";

/** Options every figure accepts. */
export interface FigureOptions {
  /** Title drawn above the plot; each figure has a sensible default. */
  title?: string;
  /** Outer width in pixels. Default 900. */
  width?: number;
  /** Height of the plot area in pixels, without the title and legend header. Default 300. */
  height?: number;
}

/** What a {@link Figure} is made of. */
export interface FigureInit {
  /** A standalone SVG document (root `<svg>` with the SVG namespace). */
  svg: string;
  width: number;
  height: number;
  title: string;
}

/**
 * A rendered figure: standalone SVG text plus its size and title. It displays itself inline in
 * a Jupyter (Deno kernel) cell, embeds in a page with {@link Figure.toHtml}, and writes to an
 * `.svg` file as is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Figure } from "./figure.ts";
 * import { JUPYTER_DISPLAY } from "../types/mod.ts";
 * const fig = new Figure({
 *   svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
 *   width: 10,
 *   height: 10,
 *   title: "Empty",
 * });
 * assert.equal(String(fig), fig.svg);
 * assert.equal(fig[JUPYTER_DISPLAY]()["text/plain"], "Empty");
 * assert.match(fig.toHtml(), /^<figure/);
 * ```
 */
export class Figure {
  /** The SVG document text. */
  readonly svg: string;
  /** Outer width in pixels. */
  readonly width: number;
  /** Outer height in pixels. */
  readonly height: number;
  /** The title (also used as the plain-text alternative). */
  readonly title: string;

  constructor(init: FigureInit) {
    if (typeof init?.svg !== "string" || !init.svg.startsWith("<svg")) {
      throw new TypeError(`Figure: svg must be SVG text starting with "<svg", got ${String(init?.svg).slice(0, 40)}`);
    }
    this.svg = init.svg;
    this.width = init.width;
    this.height = init.height;
    this.title = init.title;
  }

  /** The SVG text, so a figure can be written or interpolated directly. */
  toString(): string {
    return this.svg;
  }

  /** An HTML fragment embedding the SVG inline, scaling down to the container's width. */
  toHtml(): string {
    const alt = this.title.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
    return `<figure class="sentinel-figure" style="margin:0;max-width:${this.width}px" aria-label="${alt}">${this.svg}</figure>`;
  }

  /**
   * Jupyter mimebundle: the figure as HTML with the SVG inline, the SVG itself, and the title as
   * plain text. The HTML is there because nbconvert's HTML export (`deno task notebooks:run --to
   * html`, `jupyter nbconvert --to html`) sanitizes `image/svg+xml` outputs down to their text, and
   * it prefers `text/html` when both are offered; Jupyter's UIs show either.
   */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/html": this.toHtml(), "image/svg+xml": this.svg, "text/plain": this.title };
  }
}
