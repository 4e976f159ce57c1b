// Private rendering core: runs Observable Plot against a linkedom document and composes the
// panels, a title block and legends into one standalone SVG.
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { Figure } from "./figure.ts";
import { escapeXml } from "./_data.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

/** Default outer width and plot height. */
export const DEFAULT_WIDTH = 900;
export const DEFAULT_HEIGHT = 300;
/** Margins every time-series panel uses, so decimation can size buckets to the inner width. */
export const MARGIN_LEFT = 64;
export const MARGIN_RIGHT = 24;

/** Colors (Observable 10 plus trading conventions). */
export const COLORS = {
  primary: "#4269d0",
  benchmark: "#9498a0",
  loss: "#e5484d",
  win: "#2f9e44",
  up: "#26a69a",
  down: "#ef5350",
  short: "#f08c00",
  muted: "#868e96",
  overlays: ["#efb118", "#a463f2", "#ff725c", "#6cc5b0", "#ff8ab7", "#97bbf5", "#9c6b4e"],
} as const;

let cachedDocument: Document | undefined;

/** One linkedom document serves every render: Plot only creates detached elements in it. */
export function plotDocument(): Document {
  cachedDocument ??= parseHTML("<!DOCTYPE html><html><body></body></html>").document as unknown as Document;
  return cachedDocument;
}

/** Validates `width`/`height` options and fills defaults. */
export function dimensions(
  fn: string,
  options: { width?: number; height?: number },
): { width: number; height: number } {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  if (!Number.isFinite(width) || width < 200) {
    throw new RangeError(`${fn}: width must be at least 200 px, got ${width}`);
  }
  if (!Number.isFinite(height) || height < 80) {
    throw new RangeError(`${fn}: height must be at least 80 px, got ${height}`);
  }
  return { width, height };
}

/** Pixel columns available to the data in a panel of this width (the decimation bucket count). */
export function innerWidth(width: number): number {
  return Math.max(1, Math.round(width - MARGIN_LEFT - MARGIN_RIGHT));
}

/**
 * The plot SVG out of whatever Plot returned: an `<svg>` as is, or, when Plot wrapped it in a
 * `<figure>` (it does so for its own title, subtitle, caption or legends), the last SVG child,
 * which is the chart itself (legends come before it). We draw titles and legends ourselves, so
 * the figure case is a fallback.
 */
export function svgOf(el: Element): Element {
  if (el.tagName.toLowerCase() === "svg") return el;
  const svgs = [...el.children].filter((c) => c.tagName.toLowerCase() === "svg");
  const last = svgs.at(-1);
  if (!last) throw new TypeError(`Plot returned a <${el.tagName.toLowerCase()}> without an <svg> chart inside`);
  return last;
}

/** A swatch in the header legend. */
export interface LegendEntry {
  label: string;
  color: string;
  kind: "line" | "dashed" | "area" | "dot" | "triangle-up" | "triangle-down";
}

/** A continuous color legend (drawn as a small Plot of color steps, since Plot's ramp needs a canvas). */
export interface RampLegend {
  label: string;
  color: Plot.ScaleOptions;
  domain: [number, number];
  tickFormat: (v: number) => string;
}

/** What {@link compose} draws. */
export interface ComposeSpec {
  title: string;
  subtitle?: string;
  width: number;
  legend?: LegendEntry[];
  ramp?: RampLegend;
  /** Plot options of each panel, stacked top to bottom; `document` and `width` are filled in. */
  panels: Plot.PlotOptions[];
}

/** Renders the panels with Plot and composes one standalone SVG figure. */
export function compose(spec: ComposeSpec): Figure {
  const document = plotDocument();
  const { width } = spec;
  const parts: string[] = [];
  let y = 8;
  y += 18;
  parts.push(`<text x="12" y="${y}" font-size="15" font-weight="600">${escapeXml(spec.title)}</text>`);
  if (spec.subtitle) {
    y += 18;
    parts.push(`<text x="12" y="${y}" font-size="11.5" fill="#495057">${escapeXml(spec.subtitle)}</text>`);
  }
  const hasLegend = (spec.legend?.length ?? 0) > 0;
  if (hasLegend || spec.ramp) {
    const rowTop = y + 6;
    const rowHeight = spec.ramp ? 40 : 18;
    if (hasLegend) parts.push(swatches(spec.legend!, 12, rowTop + (spec.ramp ? 22 : 9)));
    if (spec.ramp) {
      const rampWidth = 280;
      const ramp = rampSvg(spec.ramp, rampWidth, document);
      ramp.setAttribute("x", String(hasLegend ? width - rampWidth - 8 : 4));
      ramp.setAttribute("y", String(rowTop));
      parts.push(ramp.outerHTML);
    }
    y = rowTop + rowHeight;
  }
  y += 4;
  for (const options of spec.panels) {
    const svg = svgOf(Plot.plot({ ...options, width, document }) as unknown as Element);
    const h = Number(svg.getAttribute("height"));
    svg.setAttribute("x", "0");
    svg.setAttribute("y", String(y));
    svg.setAttribute("overflow", "visible");
    parts.push(svg.outerHTML);
    y += h;
  }
  const height = Math.ceil(y + 4);
  const svg = `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${FONT}" fill="#212529" role="img" aria-label="${escapeXml(spec.title)}" ` +
    `style="max-width:100%;height:auto;background:white">` +
    `<rect width="${width}" height="${height}" fill="white"/>${parts.join("")}</svg>`;
  return new Figure({ svg, width, height, title: spec.title });
}

function swatches(entries: LegendEntry[], x0: number, cy: number): string {
  const out: string[] = [`<g font-size="11" aria-label="legend">`];
  let x = x0;
  for (const e of entries) {
    const c = escapeXml(e.color);
    switch (e.kind) {
      case "line":
      case "dashed":
        out.push(
          `<line x1="${x}" x2="${x + 16}" y1="${cy}" y2="${cy}" stroke="${c}" stroke-width="2"${
            e.kind === "dashed" ? ' stroke-dasharray="4,3"' : ""
          }/>`,
        );
        break;
      case "area":
        out.push(`<rect x="${x + 2}" y="${cy - 5}" width="12" height="10" fill="${c}"/>`);
        break;
      case "dot":
        out.push(`<circle cx="${x + 8}" cy="${cy}" r="4" fill="${c}" stroke="#212529"/>`);
        break;
      case "triangle-up":
        out.push(`<path d="M${x + 8},${cy - 5}L${x + 13},${cy + 4}L${x + 3},${cy + 4}Z" fill="${c}"/>`);
        break;
      case "triangle-down":
        out.push(`<path d="M${x + 8},${cy + 5}L${x + 13},${cy - 4}L${x + 3},${cy - 4}Z" fill="${c}"/>`);
        break;
    }
    out.push(`<text x="${x + 21}" y="${cy}" dy="0.35em">${escapeXml(e.label)}</text>`);
    x += 21 + approxTextWidth(e.label, 11) + 16;
  }
  out.push("</g>");
  return out.join("");
}

/** Rough width of sans-serif text; only used to space legend entries. */
function approxTextWidth(s: string, size: number): number {
  return Math.ceil(s.length * size * 0.56);
}

function rampSvg(ramp: RampLegend, width: number, document: Document): Element {
  const [lo, hi] = ramp.domain;
  const steps = 64;
  const cells = Array.from({ length: steps }, (_, i) => {
    const a = lo + (hi - lo) * i / steps, b = lo + (hi - lo) * (i + 1) / steps;
    return { a, b, v: (a + b) / 2 };
  });
  const el = Plot.plot({
    document,
    width,
    height: 40,
    marginTop: 14,
    marginBottom: 16,
    marginLeft: 12,
    marginRight: 12,
    x: { domain: [lo, hi], tickFormat: ramp.tickFormat, ticks: 5, label: null, tickSize: 3 },
    y: { axis: null, domain: [0, 1] },
    color: { ...ramp.color },
    marks: [
      Plot.rect(cells, { x1: "a", x2: "b", y1: 0, y2: 1, fill: "v", inset: 0 }),
      Plot.text([ramp.label], { frameAnchor: "top-left", dy: -13, text: (d) => d, fontSize: 10, textAnchor: "start" }),
    ],
  }) as unknown as Element;
  const svg = svgOf(el);
  svg.setAttribute("aria-label", "color legend");
  return svg;
}
