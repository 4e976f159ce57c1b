import assert from "node:assert/strict";
import { DecisionRowSchema, directionOfAction } from "./decision_row.ts";
import { row } from "./_learning_testing.ts";

Deno.test("DecisionRowSchema accepts a row and refuses a direction that contradicts the action", () => {
  assert.equal(DecisionRowSchema.safeParse(row("a", 0, 1, 0.5)).success, true);
  const bad = DecisionRowSchema.safeParse({ ...row("a", 0, 1, 0.5), direction: -1 });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error?.issues[0]?.path, ["direction"]);
  assert.equal(DecisionRowSchema.safeParse({ ...row("a", 0, 0, 0.5), confidence: 1.5 }).success, false);
  assert.deepEqual(
    (["buy", "sell", "hold", "close", "abstain"] as const).map(directionOfAction),
    [1, -1, 0, 0, 0],
  );
});
