import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { AgentJournal } from "../agents/mod.ts";
import type { Trade } from "../types/mod.ts";
import { openLab } from "../../tests/_http_fixture.ts";
import {
  callsOf,
  type DecisionEvent,
  factLines,
  foldBars,
  llmStorePath,
  parseDecisions,
  readCalls,
  tradesAfter,
} from "./_agents_common.ts";
import { HttpError } from "./_errors.ts";
import { Lab } from "./_lab.ts";

const H = "ab".repeat(32);

function journal(): DecisionEvent[] {
  const j = new AgentJournal();
  const base = { reasoning: "", factors: [], targetWeights: {}, symbol: "X" };
  const add = (barTs: number, agent: string, action: "buy" | "sell" | "abstain", round: number, final: boolean) =>
    j.append({
      kind: "decision",
      runId: "r",
      ts: barTs + 10,
      payload: {
        ...base,
        agent,
        action,
        confidence: action === "abstain" ? 0 : 0.5,
        barTs,
        decisionTime: barTs + 10,
        round,
        final,
        ...(action === "abstain" ? { abstainReason: "refusal" as const, validation: "refusal" as const } : {}),
      },
    });
  add(100, "a", "buy", 0, false);
  add(100, "b", "abstain", 0, true);
  add(100, "a", "sell", 1, true);
  j.append({
    kind: "decision",
    runId: "r",
    ts: 110,
    payload: {
      ...base,
      agent: "vote",
      action: "sell",
      confidence: 0.5,
      barTs: 100,
      round: 1,
      final: true,
      vote: {
        rule: "weighted_vote",
        weights: { a: 0.5, b: 0.5 },
        net: -0.5,
        disagreement: 0,
        dissent: [],
        abstained: ["b"],
        rounds: 2,
      },
    },
  });
  add(50, "a", "buy", 0, true);
  return j.decisions();
}

Deno.test("foldBars groups by bar, keeps each persona's final round and the vote, in time order", () => {
  const bars = foldBars(journal());
  assert.deepEqual(bars.map((b) => b.barTs), [50, 100]);
  const b = bars[1]!;
  assert.equal(b.vote?.payload.action, "sell");
  assert.deepEqual(b.finals.map((e) => `${e.payload.agent}:${e.payload.action}`), ["a:sell", "b:abstain"]);
  assert.equal(b.rounds, 2);
  assert.deepEqual(b.abstained, [{ persona: "b", reason: "refusal" }]);
  assert.equal(b.decisionTime, 110);
  assert.equal(bars[0]!.vote, undefined);
});

Deno.test("parseDecisions reads one stored event a line and names a bad line", () => {
  const events = journal();
  const text = events.map((e) => JSON.stringify(e)).join("\n") + "\n";
  assert.equal(parseDecisions(text, "r").length, events.length);
  assert.throws(() => parseDecisions(`${JSON.stringify(events[0])}\n{oops`, "r"), (e: unknown) => {
    assert.ok(e instanceof HttpError);
    assert.match(e.message, /line 2 is not JSON/);
    return true;
  });
  assert.throws(() => parseDecisions(`{"kind":"decision"}`, "r"), /line 1 is not an audit event/);
});

Deno.test("factLines takes the list under the prompt's Facts heading", () => {
  const user =
    "Asset: A, 1d bars.\n\nFacts (id = value unit | meaning | when):\n- ret_5 = 1.2 % | r | known 0 bars ago\n" +
    "- rsi = 55 | rsi | known 0 bars ago\n\nSteps";
  assert.deepEqual(factLines(user), ["ret_5 = 1.2 % | r | known 0 bars ago", "rsi = 55 | rsi | known 0 bars ago"]);
  assert.deepEqual(factLines("no facts"), []);
});

Deno.test("callsOf falls back to the final request hash; tradesAfter keeps fills up to the next decision", () => {
  const e = journal()[0]!;
  assert.deepEqual(callsOf(e), []);
  const withHash = { ...e, payload: { ...e.payload, requestHash: H } } as DecisionEvent;
  assert.deepEqual(callsOf(withHash), [{ requestHash: H, responseHash: "" }]);
  const trade = (entryTs: number, exitTs: number) => ({ entryTs, exitTs }) as Trade;
  const trades = [trade(5, 20), trade(11, 30), trade(2, 12), trade(25, NaN)];
  assert.deepEqual(tradesAfter(trades, 10, 20), [trades[0], trades[1], trades[2]]);
  assert.deepEqual(tradesAfter(trades, 20, Infinity), [trades[1], trades[3]]);
});

Deno.test("readCalls never creates a store that does not exist", async () => {
  const fixture = await openLab();
  try {
    const lab = new Lab(fixture.deps);
    assert.equal(readCalls(lab, [H]).size, 0);
    assert.equal(existsSync(llmStorePath(lab)), false);
  } finally {
    await fixture.close();
  }
});
