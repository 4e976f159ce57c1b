import assert from "node:assert/strict";
import { assertClose, makeTrade, TRADES } from "./_testdata.ts";
import { avgLoss } from "./avg_loss.ts";

Deno.test("avgLoss: mean of losing returns, negative", () => {
  assertClose(avgLoss(TRADES), -0.075, 1e-15); // (-0.05 - 0.1) / 2
  assert.ok(Number.isNaN(avgLoss([makeTrade({ return: 0.1 })])));
});
