// Test helpers for the figure tests: SVG structure queries and rounded snapshots.
import assert from "node:assert/strict";
import { DOMParser } from "linkedom";

const TESTDATA = new URL("./testdata/", import.meta.url);

/**
 * Rounds every decimal number in the SVG to one decimal, so snapshots survive last-digit
 * floating-point differences but still catch any visible change.
 */
export function roundNumbers(svg: string): string {
  return svg.replace(/-?\d+\.\d+(?:e-?\d+)?/g, (m) => {
    const r = (Math.round(Number(m) * 10) / 10).toFixed(1);
    return r === "-0.0" ? "0.0" : r;
  });
}

/**
 * Compares the rounded SVG, one tag per line for readable diffs, with `testdata/<name>.snap`;
 * `UPDATE_SNAPSHOTS=1` (re)writes it. A missing snapshot fails rather than being created
 * silently. (Not `.svg`: `deno fmt` would reformat those.)
 */
export async function assertSnapshot(name: string, svg: string): Promise<void> {
  const url = new URL(`${name}.snap`, TESTDATA);
  const actual = roundNumbers(svg).replaceAll("><", ">\n<") + "\n";
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") {
    await Deno.writeTextFile(url, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(url);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`No snapshot ${url.pathname}; run the tests with UPDATE_SNAPSHOTS=1 to create it`);
    }
    throw e;
  }
  assert.equal(actual, expected, `SVG differs from snapshot ${name}.snap (UPDATE_SNAPSHOTS=1 to accept)`);
}

/** A parsed SVG with the queries the tests need. */
export interface ParsedSvg {
  root: Element;
  /** Elements matching a CSS selector. */
  all(selector: string): Element[];
  /**
   * Elements of Plot's marks with this aria-label ("line", "dot", "cell", ...), legends
   * excluded; faceted marks wrap each facet's elements in an unlabelled `<g>`, looked through.
   */
  marks(label: string): Element[];
  /** Text content of every `<text>` element. */
  texts(): string[];
}

/** Parses the SVG as XML (as a browser does for an `.svg` file) and checks the root. */
export function parseSvg(svg: string): ParsedSvg {
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), `not a standalone SVG: ${svg.slice(0, 60)}`);
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml") as unknown as Document;
  const root = doc.documentElement;
  assert.equal(root.tagName.toLowerCase(), "svg");
  const all = (selector: string): Element[] => [...root.querySelectorAll(selector)];
  return {
    root,
    all,
    marks: (label) =>
      all(`g[aria-label="${label}"]`)
        .filter((g) => g.closest("svg")?.getAttribute("aria-label") !== "color legend")
        .flatMap((g) => [...g.children].flatMap(unwrapFacets)),
    texts: () => all("text").map((t) => t.textContent ?? ""),
  };
}

function unwrapFacets(el: Element): Element[] {
  return el.tagName.toLowerCase() === "g" && !el.hasAttribute("aria-label") ? [...el.children] : [el];
}
