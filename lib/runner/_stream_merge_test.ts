import assert from "node:assert/strict";
import { nextStreamStep, type PendingBar, type StreamSymbolState } from "./_stream_merge.ts";

const bar = (symbol: string, ts: number, at: number): PendingBar => ({
  bar: { symbol, timeframe: "1m", ts, open: 1, high: 1, low: 1, close: 1, volume: 1 },
  at,
  eventTime: at,
});
const state = (symbol: string, last: number, pending: PendingBar[] = []): StreamSymbolState => ({
  symbol,
  last,
  seen: pending.at(-1)?.bar.ts ?? last,
  pending,
});

Deno.test("nextStreamStep: waits for a missing symbol from the first receipt, then goes without it", () => {
  const a = state("A", 0, [bar("A", 1, 500)]);
  const b = state("B", 0);
  assert.deepEqual(nextStreamStep([a, b], 599, 100), { kind: "hold", ts: 1, until: 600, missing: ["B"] });
  const step = nextStreamStep([a, b], 600, 100);
  assert.equal(step.kind, "batch");
  assert.ok(step.kind === "batch" && step.late[0] === "B" && step.first === 500 && step.bars.length === 1);
  assert.equal(a.last, 1);
  assert.deepEqual(nextStreamStep([a, b], 600, 100), { kind: "idle" });
});

Deno.test("nextStreamStep: a full batch in state order; the earliest receipt sets the grace; gaps are not waited for", () => {
  const a = state("A", 0, [bar("A", 1, 700), bar("A", 2, 800)]);
  const b = state("B", 0, [bar("B", 1, 650)]);
  const c = state("C", 1, [bar("C", 2, 900)]); // has nothing at 1 but is past it
  const step = nextStreamStep([a, b, c], 0, 10_000);
  assert.ok(step.kind === "batch");
  assert.deepEqual(step.bars.map((p) => p.bar.symbol), ["A", "B"]);
  assert.deepEqual([step.first, step.late], [650, []]);
  // B has nothing pending at 2 and last 1 < 2: held until 800 + grace.
  assert.deepEqual(nextStreamStep([a, b, c], 0, 10), { kind: "hold", ts: 2, until: 810, missing: ["B"] });
  // A later bar pending for B means it skipped 2: no wait.
  b.pending.push(bar("B", 3, 950));
  const next = nextStreamStep([a, b, c], 0, 10);
  assert.ok(next.kind === "batch");
  assert.deepEqual(next.bars.map((p) => p.bar.symbol), ["A", "C"]);
});
