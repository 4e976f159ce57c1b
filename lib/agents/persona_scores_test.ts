import assert from "node:assert/strict";
import { personaScores } from "./persona_scores.ts";
import { averageRanks, pearson, spearman } from "./_learning_stats.ts";
import { outcomeRow } from "./_learning_testing.ts";

const close = (a: number, b: number, what: string): void =>
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: got ${a}, expected ${b}`);

// Persona a, hand-worked (c confidence, d direction, r forward return):
//   bar 1: buy 0.8, r +0.02 (b also votes on bar 1: a's P&L share is 1/2)
//   bar 2: buy 0.4, r -0.01 (c also decides on bar 2 but abstains: a's share stays 1)
//   bar 3: sell 0.6, r -0.03
//   bar 4: sell 0.2, r +0.01
//   bar 5: hold 0.5, r +0.005
//   bar 6: buy 1.0, r +0.04
//   bar 7: abstain;  bar 8: buy 0.6 with its window still open (NaN)
const rows = [
  outcomeRow("a", 1, 1, 0.8, 0.02, {
    factors: [{ id: "trend", direction: 1, weight: 0.75 }, { id: "vol", direction: -1, weight: 0.25 }],
  }),
  outcomeRow("b", 1, 1, 0.5, 0.02),
  outcomeRow("a", 2, 1, 0.4, -0.01),
  outcomeRow("c", 2, 0, 0, -0.01, { action: "abstain" }),
  outcomeRow("a", 3, -1, 0.6, -0.03, {
    factors: [{ id: "trend", direction: -1, weight: 2 }, { id: "vol", direction: -1, weight: 2 }],
  }),
  outcomeRow("a", 4, -1, 0.2, 0.01),
  outcomeRow("a", 5, 0, 0.5, 0.005),
  outcomeRow("a", 6, 1, 1.0, 0.04),
  outcomeRow("a", 7, 0, 0, 0.01, { action: "abstain" }),
  outcomeRow("a", 8, 1, 0.6, NaN),
];

Deno.test("personaScores: hit rate, IC, Brier, reliability and P&L of a hand-worked persona", () => {
  const scores = personaScores(rows);
  assert.deepEqual(scores.map((s) => s.persona), ["a", "b", "c"]);
  const a = scores[0]!;
  assert.equal(a.count, 6);
  assert.equal(a.abstained, 1);
  assert.equal(a.pending, 1);
  // Directional rows 1, 2, 3, 4, 6 (the hold is out); hits 1, 3, 6.
  assert.equal(a.directional, 5);
  assert.equal(a.hits, 3);
  assert.equal(a.hitRate, 0.6);
  // Signal c·d = [0.8, 0.4, -0.6, -0.2, 0, 1]: ranks [5, 4, 1, 2, 3, 6]; returns ranks [5, 2, 1, 4, 3, 6].
  // No ties, so Spearman = 1 - 6 Σd² / (n (n² - 1)) with d = [0, 2, 0, -2, 0, 0]: 1 - 48 / 210 = 27 / 35.
  close(a.spearmanIc, 27 / 35, "Spearman");
  // Pearson by the textbook formula on the raw values (an independent reference).
  const s = [0.8, 0.4, -0.6, -0.2, 0, 1], r = [0.02, -0.01, -0.03, 0.01, 0.005, 0.04];
  const ms = s.reduce((x, y) => x + y) / 6, mr = r.reduce((x, y) => x + y) / 6;
  let sxy = 0, sxx = 0, syy = 0;
  s.forEach((v, i) => {
    sxy += (v - ms) * (r[i]! - mr);
    sxx += (v - ms) ** 2;
    syy += (r[i]! - mr) ** 2;
  });
  close(a.pearsonIc, sxy / Math.sqrt(sxx * syy), "Pearson");
  // scipy.stats.spearmanr and pearsonr on the same six pairs give 0.7714285714285715 and 0.8088766144423561.
  close(a.pearsonIc, 0.8088766144423561, "scipy Pearson");
  // p = 0.5 + 0.5 c·d = [0.9, 0.7, 0.2, 0.4, 0.5, 1.0]; up = [1, 0, 0, 1, 1, 1];
  // (p - up)² = 0.01 + 0.49 + 0.04 + 0.36 + 0.25 + 0 = 1.15, over 6.
  close(a.brier, 1.15 / 6, "Brier");
  const bins = a.reliability;
  assert.equal(bins.length, 10);
  assert.deepEqual(bins.map((b) => b.count), [0, 0, 1, 0, 1, 1, 0, 1, 0, 2]);
  close(bins[9]!.meanPredicted, 0.95, "bin 9 mean");
  assert.equal(bins[9]!.observedFrequency, 1);
  assert.equal(bins[7]!.observedFrequency, 0);
  assert.equal(bins[4]!.observedFrequency, 1);
  assert.ok(Number.isNaN(bins[0]!.meanPredicted));
  assert.equal(bins[2]!.lower, 0.2);
  // P&L: 0.02 / 2 - 0.01 + 0.03 - 0.01 + 0 + 0.04 = 0.06.
  close(a.pnl, 0.06, "P&L");
  close(scores[1]!.pnl, 0.01, "b's half of bar 1");
  assert.equal(scores[2]!.count, 0);
  assert.equal(scores[2]!.abstained, 1);
  assert.ok(Number.isNaN(scores[2]!.hitRate) && Number.isNaN(scores[2]!.brier));
});

Deno.test("personaScores: factors are scored as views with their weight shares", () => {
  const [trend, vol] = personaScores(rows)[0]!.factors;
  assert.equal(trend!.factor, "trend");
  assert.equal(trend!.count, 2);
  assert.equal(trend!.hitRate, 1);
  close(trend!.pnl, 0.75 * 0.02 + 0.5 * 0.03, "trend P&L");
  assert.equal(vol!.hitRate, 0.5);
  close(vol!.pnl, -0.25 * 0.02 + 0.5 * 0.03, "vol P&L");
  // p: bullish at 0.8 -> 0.9 (up), bearish at 0.6 -> 0.2 (down): (0.01 + 0.04) / 2.
  close(trend!.brier, 0.025, "trend Brier");
});

Deno.test("spearman: ties take their average rank (Pearson of hand-given ranks)", () => {
  const x = new Float64Array([1, 2, 2, 3, 5]), y = new Float64Array([2, 1, 4, 4, 9]);
  assert.deepEqual([...averageRanks(x)], [1, 2.5, 2.5, 4, 5]);
  // scipy.stats.spearmanr(x, y).statistic (scipy 1.x, run once by hand)
  close(spearman(x, y), 0.7631578947368421, "scipy");
  close(
    spearman(x, y),
    pearson(new Float64Array([1, 2.5, 2.5, 4, 5]), new Float64Array([2, 1, 3.5, 3.5, 5])),
    "tied",
  );
  // Monotone but not linear: Spearman 1, Pearson below 1.
  const u = new Float64Array([1, 2, 3, 4]), v = new Float64Array([1, 10, 100, 1000]);
  assert.equal(spearman(u, v), 1);
  assert.ok(pearson(u, v) < 1);
  assert.ok(Number.isNaN(spearman(new Float64Array([1]), new Float64Array([2]))));
  assert.ok(Number.isNaN(pearson(new Float64Array([1, 1]), new Float64Array([2, 3]))));
});

Deno.test("personaScores: bins option and its error", () => {
  const [a] = personaScores(rows, { bins: 2 });
  assert.deepEqual(a!.reliability.map((b) => b.count), [2, 4]);
  assert.throws(() => personaScores(rows, { bins: 0 }), /bins must be an integer from 1 to 1000, got 0/);
});
