import assert from "node:assert/strict";
import { assertClose, makeTrade, TRADES } from "./_testdata.ts";
import { sqn } from "./sqn.ts";

Deno.test("sqn: sqrt(N) x mean / sd of P&L", () => {
  // pnl 10, -5, 20, 0, -10, 5: mean 10/3; squared deviations = sum(v^2) - n mean^2 = 650 - 6 (10/3)^2 = 583.33;
  // sd = sqrt(583.33 / 5) = 10.8012; sqn = sqrt(6) x 3.3333 / 10.8012 = 0.75593 (numpy: 0.7559289460184544)
  assertClose(sqn(TRADES), Math.sqrt(6) * (10 / 3) / Math.sqrt(1750 / 3 / 5), 1e-12);
  assertClose(sqn(TRADES), 0.7559289460184544, 1e-12);
  assert.ok(Number.isNaN(sqn([makeTrade({ return: 0.1 })])));
  assert.ok(Number.isNaN(sqn([makeTrade({ return: 0.1 }), makeTrade({ return: 0.1 })])));
});
