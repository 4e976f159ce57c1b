import assert from "node:assert/strict";
import type { DecisionOutcomeRow } from "./decision_row.ts";
import { learnWeights } from "./learn_weights.ts";
import { HOUR, outcomeRow, rng } from "./_learning_testing.ts";

const close = (a: number, b: number, what: string): void =>
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: got ${a}, expected ${b}`);

// Outcomes known at (bar + 2) h. a: 3 hits of 4 (edge 0.25); b: 2 of 4 (edge 0); c: 1 outcome (below the minimum).
const history: DecisionOutcomeRow[] = [
  outcomeRow("a", 0, 1, 0.9, 0.01),
  outcomeRow("a", 1, -1, 0.9, -0.01),
  outcomeRow("a", 2, 1, 0.9, 0.02),
  outcomeRow("a", 3, 1, 0.9, -0.01),
  outcomeRow("a", 4, 0, 0.9, 0.05), // a hold: not an observation
  outcomeRow("b", 0, 1, 0.5, 0.01),
  outcomeRow("b", 1, 1, 0.5, -0.01),
  outcomeRow("b", 2, -1, 0.5, -0.02),
  outcomeRow("b", 3, -1, 0.5, 0.01),
  outcomeRow("c", 3, 1, 0.5, 0.01),
];
const at = 6 * HOUR; // every outcome above closed at or before 5 h

Deno.test("learnWeights: hand-worked weights with shrinkage", () => {
  // N = 3, Q = 2 (a, b); edges 0.25 and 0: learned a = (2/3)·1 = 2/3, b = 0, c keeps 1/3.
  const w = learnWeights(history, { at, shrinkage: 0.5, minObservations: 2 });
  assert.deepEqual(w.personas.map((p) => [p.persona, p.observations, p.hits]), [["a", 4, 3], ["b", 4, 2], [
    "c",
    1,
    1,
  ]]);
  close(w.personas[0]!.edge, 0.25, "edge a");
  assert.ok(Number.isNaN(w.personas[2]!.edge));
  close(w.personas[0]!.learned, 2 / 3, "learned a");
  close(w.weights.a!, 0.5 * 2 / 3 + 0.5 / 3, "a");
  close(w.weights.b!, 0.5 / 3, "b");
  close(w.weights.c!, 1 / 3, "c");
  close(w.weights.a! + w.weights.b! + w.weights.c!, 1, "sum");
});

Deno.test("learnWeights: shrinkage 1 gives equal weights, 0 the learned ones; no edge gives equal weights", () => {
  const equal = learnWeights(history, { at, shrinkage: 1, minObservations: 2 });
  for (const p of equal.personas) close(p.weight, 1 / 3, p.persona);
  const learned = learnWeights(history, { at, shrinkage: 0, minObservations: 2 });
  for (const p of learned.personas) assert.equal(p.weight, p.learned);
  close(learned.weights.a!, 2 / 3, "a");
  assert.equal(learned.weights.b, 0);
  // Nobody qualified: the learned weights are equal too.
  const early = learnWeights(history, { at, shrinkage: 0, minObservations: 100 });
  for (const p of early.personas) close(p.weight, 1 / 3, p.persona);
  assert.throws(() => learnWeights(history, { at, shrinkage: 1.5 }), /shrinkage must be in \[0, 1\].*got 1\.5/);
  assert.throws(() => learnWeights(history, { at, minObservations: 0 }), /minObservations must be an integer >= 1/);
  assert.throws(() => learnWeights(history, { at: NaN }), /at must be an epoch ms time, got NaN/);
});

Deno.test("learnWeights: an outcome closing exactly at `at` is not known yet; lookback drops old ones", () => {
  // a's bar-3 outcome closes at 5 h: at 5 h it is unknown, so a has 3 outcomes (all hits).
  const w = learnWeights(history, { at: 5 * HOUR, shrinkage: 0, minObservations: 1 });
  assert.equal(w.personas[0]!.observations, 3);
  assert.equal(w.personas[0]!.hits, 3);
  // The personas default to those with a row decided at or before `at`.
  assert.deepEqual(w.personas.map((p) => p.persona), ["a", "b", "c"]);
  // lookback 2 h at 6 h: outcomes closed in [4 h, 6 h), bars 2 and 3.
  const recent = learnWeights(history, { at, lookback: 2 * HOUR, minObservations: 1 });
  assert.deepEqual(recent.personas.map((p) => p.observations), [2, 2, 1]);
  const named = learnWeights(history, { at, personas: ["b", "z"] });
  assert.deepEqual(Object.keys(named.weights), ["b", "z"]);
});

Deno.test("learnWeights: no look-ahead (property): outcomes closing at or after `at` never change the weights", () => {
  const next = rng(11);
  const personas = ["p0", "p1", "p2", "p3"];
  for (let trial = 0; trial < 300; trial++) {
    const rows: DecisionOutcomeRow[] = [];
    const bars = 5 + Math.floor(next() * 40);
    for (let bar = 0; bar < bars; bar++) {
      for (const persona of personas) {
        if (next() < 0.2) continue;
        const d = next() < 0.15 ? 0 : next() < 0.5 ? 1 : -1;
        const horizon = 1 + Math.floor(next() * 5);
        const open = next() < 0.1;
        rows.push(outcomeRow(persona, bar, d as 1 | -1 | 0, next(), open ? NaN : next() - 0.5, {
          outcomeTime: open ? NaN : (bar + 1 + horizon) * HOUR,
        }));
      }
    }
    // `at` on a bar close, where outcome times (also on bar closes) often tie with it.
    const at = (1 + Math.floor(next() * (bars + 6))) * HOUR;
    const options = {
      at,
      shrinkage: next(),
      minObservations: 1 + Math.floor(next() * 4),
      ...(next() < 0.3 ? { lookback: (1 + Math.floor(next() * 10)) * HOUR } : {}),
    };
    const before = learnWeights(rows, options);
    let sum = 0;
    for (const p of before.personas) {
      assert.ok(p.weight >= 0, `weights are non-negative (trial ${trial})`);
      sum += p.weight;
    }
    if (before.personas.length > 0) close(sum, 1, `sum (trial ${trial})`);
    // Rewrite every outcome not known at `at`: its return, its sign, its direction, or its time (still >= at).
    const changed = rows.map((r) => {
      if (!(r.outcomeTime >= at) && !Number.isNaN(r.outcomeTime)) return r;
      const u = next();
      return {
        ...r,
        forwardReturn: u < 0.3 ? -r.forwardReturn || 0.1 : u < 0.6 ? next() - 0.5 : r.forwardReturn,
        direction: u >= 0.6 && u < 0.8 ? (r.direction === 1 ? -1 : 1) as 1 | -1 : r.direction,
        outcomeTime: u >= 0.8 ? at + Math.floor(next() * 5) * HOUR : r.outcomeTime,
      };
    });
    assert.deepEqual(learnWeights(changed, options), before, `trial ${trial}`);
  }
});
