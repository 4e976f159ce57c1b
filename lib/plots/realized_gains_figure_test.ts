import assert from "node:assert/strict";
import { realizedGainsFigure, type RealizedGainsMonth } from "./realized_gains_figure.ts";
import { assertSnapshot, parseSvg } from "./_snapshot.ts";

// A year with gains and losses of both terms; April has a short gain and a long loss (bars of mixed sign).
const months: RealizedGainsMonth[] = [
  { month: "2025-01", short: "1500.00", long: "0.00" },
  { month: "2025-04", short: "250.25", long: "-400.50" },
  { month: "2025-07", short: "-300.00", long: "2200.10" },
  { month: "2025-11", short: "0.00", long: "0.00" },
  { month: "2025-12", short: "-49.99", long: "120.00" },
];

Deno.test("realizedGainsFigure stacks short- and long-term bars per month with the net as a tick", async () => {
  const fig = realizedGainsFigure({ months, year: 2025 });
  const svg = parseSvg(fig.svg);
  // Zero amounts draw no bar: 1 + 2 + 2 + 0 + 2.
  assert.equal(svg.marks("bar").length, 7);
  assert.equal(svg.marks("tick").length, 4, "a net tick for each month with a disposal");
  assert.equal(svg.texts()[0], "Realized gains by month, 2025");
  // short 1500 + 250.25 - 300 - 49.99 = 1400.26; long -400.50 + 2200.10 + 120 = 1919.60; net 3319.86.
  assert.equal(svg.texts()[1], "Short-term +1,400.26 · long-term +1,919.60 · net +3,319.86 USD");
  // All twelve months are on the axis, quiet ones too.
  for (const m of ["Jan", "Feb", "Jun", "Dec"]) assert.ok(svg.texts().includes(m), m);
  for (const t of ["Short-term", "Long-term", "Net", "↑ Gain (USD)"]) assert.ok(svg.texts().includes(t), t);
  // Bars are colored by term (a loss is drawn below zero, not in another color).
  const fills = svg.marks("bar").map((b) => b.getAttribute("fill"));
  assert.deepEqual([...new Set(fills)].sort(), ["#4269d0", "#f08c00"]);
  await assertSnapshot("realized_gains", fig.svg);
});

Deno.test("realizedGainsFigure without a year draws only the months given, labelled with their year", () => {
  const fig = realizedGainsFigure({
    months: [{ month: "2026-02", short: 10, long: 0 }, { month: "2025-12", short: -5, long: 1 }],
    currency: "EUR",
    title: "Gains",
  });
  const svg = parseSvg(fig.svg);
  assert.ok(svg.texts().includes("Dec 2025") && svg.texts().includes("Feb 2026"));
  assert.ok(!svg.texts().includes("Jan 2026"));
  assert.equal(svg.texts()[1], "Short-term +5.00 · long-term +1.00 · net +6.00 EUR");
  assert.ok(svg.texts().includes("↑ Gain (EUR)"));
});

Deno.test("realizedGainsFigure with no disposals says so and still draws the year", () => {
  const fig = realizedGainsFigure({ months: [], year: 2024 });
  const svg = parseSvg(fig.svg);
  assert.equal(svg.marks("bar").length, 0);
  assert.equal(svg.texts()[1], "Short-term 0.00 · long-term 0.00 · net 0.00 USD · no disposals");
  assert.ok(svg.texts().includes("Dec"));
});

Deno.test("realizedGainsFigure rejects bad months and amounts, naming the row and the fix", () => {
  const f = (m: unknown[], year?: number) => () =>
    realizedGainsFigure({ months: m as RealizedGainsMonth[], ...(year === undefined ? {} : { year }) });
  assert.throws(f([{ month: "2025-13", short: 1, long: 1 }]), /months\[0\]\.month must be YYYY-MM .*got "2025-13"/);
  assert.throws(f([{ month: "2024-05", short: 1, long: 1 }], 2025), /2024-05 is not in the year 2025/);
  assert.throws(
    f([{ month: "2025-05", short: "1,000", long: 1 }]),
    /months\[0\]\.short must be a finite number or a decimal text/,
  );
  assert.throws(f([{ month: "2025-05", short: 1, long: NaN }]), /months\[0\]\.long/);
  assert.throws(
    f([{ month: "2025-05", short: 1, long: 1 }, { month: "2025-05", short: 1, long: 1 }]),
    /months\[1\]\.month 2025-05 appears twice/,
  );
  assert.throws(f([], 25), /year must be a four-digit integer/);
  assert.throws(
    () => realizedGainsFigure({ months: "x" as unknown as RealizedGainsMonth[] }),
    /months must be an array/,
  );
});
