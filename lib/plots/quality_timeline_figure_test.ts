import assert from "node:assert/strict";
import { type QualityGap, qualityTimelineFigure } from "./quality_timeline_figure.ts";
import { assertSnapshot, parseSvg } from "./_snapshot.ts";

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
// 10 days of hourly bars (240) with two gaps: hours 50-59 (10 bars) and hour 200 (1 bar).
const missingHours = new Set([...Array.from({ length: 10 }, (_, i) => 50 + i), 200]);
const ts = Array.from({ length: 240 }, (_, i) => i).filter((i) => !missingHours.has(i)).map((i) => T0 + i * H);
const gaps: QualityGap[] = [
  { start: T0 + 50 * H, end: T0 + 60 * H, missing: 10 },
  { start: T0 + 200 * H, end: T0 + 201 * H, missing: 1, kind: "gap" },
];

Deno.test("qualityTimelineFigure shows coverage per bucket and marks the gaps", async () => {
  const fig = qualityTimelineFigure({ ts, gaps, first: T0, last: T0 + 239 * H });
  const svg = parseSvg(fig.svg);
  assert.equal(svg.marks("area").length, 1, "coverage as one stepped area");
  assert.equal(svg.marks("rect").length, 2, "a shaded band per gap");
  assert.equal(svg.marks("rule").length, 1, "the base line; both gaps are over 2 px wide");
  assert.deepEqual(svg.marks("text").map((t) => t.textContent), ["10 missing", "1 missing"]);
  // 229 present, 11 missing: 229 / 240 = 95.4%.
  assert.equal(
    svg.texts()[1],
    "229 bars present · 2 gaps, 11 missing bars (95.4% coverage) · 2024-01-01 → 2024-01-10 23:00",
  );
  for (const t of ["0%", "100%"]) assert.ok(svg.texts().includes(t), t);
  await assertSnapshot("quality_timeline", fig.svg);
});

/** The distinct y coordinates of a path's vertices. */
function pathYs(d: string): Set<string> {
  return new Set(d.split(/[MLZ]/).filter(Boolean).map((p) => p.split(",")[1]!));
}

Deno.test("qualityTimelineFigure: a complete series reads exactly 100% in every bucket", () => {
  const all = Array.from({ length: 240 }, (_, i) => T0 + i * H);
  const svg = parseSvg(qualityTimelineFigure({ ts: all, gaps: [], first: T0, last: T0 + 239 * H }).svg);
  const ys = pathYs(svg.marks("area")[0]!.getAttribute("d")!);
  assert.equal(ys.size, 2, `only the 100% line and the baseline, got ${[...ys]}`);
});

Deno.test("qualityTimelineFigure does not dip or break on closed-market time, and greys holidays", () => {
  // Four weeks of weekday daily bars from Monday 2024-01-01; Monday 2024-01-15 is a holiday.
  const D = 86_400_000;
  const days = Array.from({ length: 26 }, (_, i) => T0 + i * D).filter((t) => {
    const wd = new Date(t).getUTCDay();
    return wd !== 0 && wd !== 6 && t !== T0 + 14 * D;
  });
  const holiday: QualityGap = { start: T0 + 14 * D, end: T0 + 15 * D, missing: 1, kind: "holiday" };
  const fig = qualityTimelineFigure({ ts: days, gaps: [holiday], first: days[0]!, last: days.at(-1)! });
  const svg = parseSvg(fig.svg);
  // Weekends have neither bars nor gaps: nothing expected, so they carry the coverage before
  // them and the area stays one piece at 100%, except the holiday, which drops to 0% (the baseline).
  const d = svg.marks("area")[0]!.getAttribute("d")!;
  assert.equal(d.split("M").length - 1, 1, "one piece");
  assert.equal(pathYs(d).size, 2, "only 100% and 0%");
  assert.equal(svg.marks("rect")[0]?.getAttribute("fill"), "#868e96");
  assert.ok(svg.texts().includes("Holiday"));
  assert.equal(
    svg.texts()[1],
    "19 bars present · 0 gaps, 1 holiday, 0 missing bars (100.0% coverage) · 2024-01-01 → 2024-01-26",
  );
});

Deno.test("qualityTimelineFigure draws a rule for a gap too narrow to see", () => {
  // A year of hourly bars missing one: the gap is 1 h of 8,760 h, about 0.1 px.
  const year = Array.from({ length: 8760 }, (_, i) => T0 + i * H).filter((_, i) => i !== 4000);
  const gap: QualityGap = { start: T0 + 4000 * H, end: T0 + 4001 * H, missing: 1 };
  const svg = parseSvg(qualityTimelineFigure({ ts: year, gaps: [gap], first: T0, last: T0 + 8759 * H }).svg);
  assert.equal(svg.marks("rule").length, 2, "the gap's rule and the base line");
  assert.deepEqual(svg.marks("text").map((t) => t.textContent), ["1 missing"]);
});

Deno.test("qualityTimelineFigure takes report totals when the gaps list is truncated", () => {
  const fig = qualityTimelineFigure({
    ts,
    gaps: gaps.slice(0, 1),
    missing: 11,
    gapCount: 2,
    first: T0,
    last: T0 + 239 * H,
  });
  assert.match(fig.svg, /229 bars present · 2 gaps, 11 missing bars \(95\.4% coverage\)/);
});

Deno.test("qualityTimelineFigure validates its input", () => {
  assert.throws(() => qualityTimelineFigure({ ts, gaps, first: 10, last: 0 }), /last \(0\) is before first \(10\)/);
  assert.throws(
    () => qualityTimelineFigure({ ts, gaps: [{ start: 0, end: NaN, missing: 1 }], first: 0, last: 1 }),
    /gaps\[0\].end must be a finite number, got NaN/,
  );
  assert.throws(
    () => qualityTimelineFigure({ ts, gaps: [{ start: 5, end: 4, missing: 1 }], first: 0, last: 9 }),
    /ends \(4\) before/,
  );
});
