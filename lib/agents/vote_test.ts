import assert from "node:assert/strict";
import { abstainOutcome, decisionOutcome as d } from "./_debate_test_fixtures.ts";
import { VoteResultSchema } from "./debate_record.ts";
import { disagreement, dissent, vote } from "./vote.ts";

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} != ${b}`);

Deno.test("vote: equal weights, plurality of weighted confidence, scores over the voters' weight", () => {
  // w = 1/3 each: buy = (0.9 + 0.3) / 3 = 0.4, sell = 0.6 / 3 = 0.2
  const result = vote([d("a", "buy", 0.9), d("b", "sell", 0.6), d("c", "buy", 0.3)]);
  assert.equal(result.action, "buy");
  near(result.scores.buy, 0.4, "buy");
  near(result.scores.sell, 0.2, "sell");
  near(result.confidence, 0.4, "confidence");
  near(result.net, 0.2, "net");
  assert.equal(result.rule, "weighted_vote");
  assert.deepEqual(result.abstained, []);
  near(result.weights.a!, 1 / 3, "weight a");
  VoteResultSchema.parse(result);
});

Deno.test("vote: weights change the winner", () => {
  // w = 0.2, 0.6, 0.2: buy = 0.2*0.9 + 0.2*0.3 = 0.24, sell = 0.6*0.6 = 0.36
  const result = vote([d("a", "buy", 0.9), d("b", "sell", 0.6), d("c", "buy", 0.3)], { a: 1, b: 3, c: 1 });
  assert.equal(result.action, "sell");
  near(result.confidence, 0.36, "confidence");
  near(result.net, -0.12, "net");
  assert.deepEqual(result.weights, { a: 0.2, b: 0.6, c: 0.2 });
});

Deno.test("vote: a tie for the top is hold, with hold's own score as confidence", () => {
  const tie = vote([d("a", "buy", 0.6), d("b", "sell", 0.6)]);
  assert.equal(tie.action, "hold");
  assert.equal(tie.confidence, 0);
  assert.equal(tie.net, 0);
  // 0.1 + 0.2 vs 0.3 differ in the last bit: still a tie
  const fp = vote([d("a", "buy", 0.1), d("b", "buy", 0.2), d("c", "close", 0.3), d("e", "hold", 0.15)]);
  assert.equal(fp.action, "hold");
  near(fp.confidence, 0.15 / 4, "hold score");
  // every voter at confidence 0: all scores tie at 0
  assert.equal(vote([d("a", "buy", 0), d("b", "sell", 0)]).action, "hold");
});

Deno.test("vote: close wins only with strictly the largest score", () => {
  // w = 1/4: close = (0.8 + 0.7) / 4 = 0.375, buy = 0.9 / 4 = 0.225, sell = 0.5 / 4 = 0.125
  const result = vote([d("a", "close", 0.8), d("b", "close", 0.7), d("c", "buy", 0.9), d("e", "sell", 0.5)]);
  assert.equal(result.action, "close");
  near(result.confidence, 0.375, "confidence");
  near(result.net, 0.1, "net");
});

Deno.test("vote: abstentions are left out of the denominator; all abstaining is abstain", () => {
  // a abstains: b and c have weight 1/3 each, voter weight 2/3; buy = (1/3 * 0.8) / (2/3) = 0.4
  const result = vote([abstainOutcome("a"), d("b", "buy", 0.8), d("c", "hold", 0.2)]);
  assert.equal(result.action, "buy");
  near(result.confidence, 0.4, "confidence");
  near(result.scores.hold, 0.1, "hold");
  assert.deepEqual(result.abstained, ["a"]);
  const none = vote([abstainOutcome("a"), abstainOutcome("b", "api_error")]);
  assert.equal(none.action, "abstain");
  assert.equal(none.confidence, 0);
  assert.deepEqual(none.scores, { buy: 0, sell: 0, hold: 0, close: 0 });
  assert.deepEqual(none.abstained, ["a", "b"]);
  // the only voter has weight 0: no quorum either
  assert.equal(vote([abstainOutcome("a"), d("b", "buy", 1)], { a: 1, b: 0 }).action, "abstain");
  VoteResultSchema.parse(none);
});

Deno.test("vote: bad weights are RangeErrors naming the persona and the fix", () => {
  assert.throws(() => vote([d("a", "buy", 1)], { b: 1 }), /weight of persona "a" is undefined; give every persona/);
  assert.throws(() => vote([d("a", "buy", 1)], { a: -1 }), /weight of persona "a" is -1/);
  assert.throws(() => vote([d("a", "buy", 1)], { a: NaN }), /weight of persona "a" is NaN/);
  assert.throws(() => vote([d("a", "buy", 1)], { a: 0 }), /all 0/);
  assert.throws(() => vote([d("a", "buy", 1), d("a", "sell", 1)]), /two outcomes/);
});

Deno.test("disagreement: normalised entropy of the weighted action shares, hand-worked", () => {
  assert.equal(disagreement(vote([d("a", "buy", 0.9), d("b", "buy", 0.3)])), 0);
  near(disagreement(vote([d("a", "buy", 0.6), d("b", "sell", 0.6)])), 0.5, "two equal camps");
  near(
    disagreement(vote([d("a", "buy", 0.5), d("b", "sell", 0.5), d("c", "hold", 0.5), d("e", "close", 0.5)])),
    1,
    "even over four",
  );
  // shares 0.75 / 0.25: H = -(0.75 ln 0.75 + 0.25 ln 0.25) / ln 4 = 0.405639...
  const h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)) / Math.log(4);
  near(disagreement(vote([d("a", "buy", 0.9), d("b", "sell", 0.3)])), h, "0.75/0.25");
  near(h, 0.4056390622295664, "hand value");
  assert.equal(disagreement(vote([abstainOutcome("a")])), 0);
});

Deno.test("dissent: another action at or above the threshold, in the outcomes' order", () => {
  // voters b..f (a abstains), w = 1/5 each, voter weight 4/5: sell = (0.6 + 0.7) / 4 = 0.325, buy = 0.225
  const outcomes = [
    abstainOutcome("a"),
    d("b", "sell", 0.6),
    d("c", "buy", 0.9),
    d("e", "hold", 0.59),
    d("f", "sell", 0.7),
  ];
  const result = vote(outcomes);
  assert.equal(result.action, "sell");
  near(result.confidence, 0.325, "confidence");
  assert.deepEqual(dissent(outcomes, result), [{ persona: "c", action: "buy", confidence: 0.9, voteAction: "sell" }]);
  // the threshold is inclusive
  assert.deepEqual(dissent(outcomes, result, 0.59).map((r) => r.persona), ["c", "e"]);
  assert.deepEqual(dissent(outcomes, result, 0.95), []);
  // nobody voted: nobody dissents
  assert.deepEqual(dissent([abstainOutcome("a")], vote([abstainOutcome("a")])), []);
  assert.throws(() => dissent(outcomes, result, 1.5), /threshold 1.5 is outside \[0, 1\]/);
});
