import assert from "node:assert/strict";
import { makeTrade, TRADES } from "./_testdata.ts";
import { maxConsecutiveWins } from "./max_consecutive_wins.ts";

Deno.test("maxConsecutiveWins: longest winning run; break-even ends it", () => {
  const seq = [0.1, 0.2, 0.1, -0.1, -0.2, 0, -0.1, 0.3, 0, 0.1].map((r) => makeTrade({ return: r }));
  assert.equal(maxConsecutiveWins(seq), 3);
  assert.equal(maxConsecutiveWins(TRADES), 1);
  assert.equal(maxConsecutiveWins([]), 0);
});
