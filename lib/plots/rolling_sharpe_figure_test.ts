import assert from "node:assert/strict";
import { rollingSharpeFigure } from "./rolling_sharpe_figure.ts";
import { assertSnapshot, parseSvg } from "./_snapshot.ts";
import { N, ts } from "./_fixtures.ts";

// Warm-up of 5 NaN bars, then a sine swinging between -1.5 and +1.5.
const values = Float64Array.from({ length: N }, (_, i) => i < 5 ? NaN : 1.5 * Math.sin(i / 3));

Deno.test("rollingSharpeFigure draws the line, sign-shaded areas and reference rules", async () => {
  const fig = rollingSharpeFigure({ ts, values, window: 5 });
  const svg = parseSvg(fig.svg);
  assert.equal(fig.title, "Rolling Sharpe (5 bars)");
  assert.equal(svg.marks("line").length, 1);
  assert.equal(svg.marks("area").length, 2, "positive and negative shading");
  assert.equal(svg.marks("rule").length, 2, "0 and 1");
  // Latest: 1.5 sin(29/3) = -1.5 sin(29/3 - 3π) = -1.5 sin(0.24189) = -1.5 × 0.23954 = -0.359.
  assert.equal(svg.texts()[1], "Latest −0.359");
  await assertSnapshot("rolling_sharpe", fig.svg);
});

Deno.test("rollingSharpeFigure takes a window label and rejects a bad window", () => {
  assert.equal(rollingSharpeFigure({ ts, values, window: "90d" }).title, "Rolling Sharpe (90d)");
  assert.throws(() => rollingSharpeFigure({ ts, values, window: 0 }), /window must be a positive bar count.*got 0/);
});
