import assert from "node:assert/strict";
import { busyState, intent, MON_NOON } from "./_testing.ts";
import { DEFAULT_RISK_CONFIG } from "./default_risk_config.ts";
import { pause } from "./pause.ts";
import { recordTradeClosed } from "./record_trade_closed.ts";
import { RiskEngine } from "./risk_engine.ts";
import { riskStateFromJSON } from "./risk_state_from_json.ts";
import { riskStateToJSON } from "./risk_state_to_json.ts";

Deno.test("a snapshot round-trips through JSON text and gives the same verdicts", () => {
  const e = new RiskEngine(DEFAULT_RISK_CONFIG);
  const s = pause(recordTradeClosed(busyState(MON_NOON, 150, e.ringCapacity), -3), "operator");
  const text = JSON.stringify(riskStateToJSON(s));
  const back = riskStateFromJSON(JSON.parse(text));
  assert.equal(JSON.stringify(riskStateToJSON(back)), text);
  assert.equal(back.orders.capacity, e.ringCapacity);
  assert.deepEqual([back.tradingState, back.reason, back.consecutiveLosses], ["reducing", "operator", 1]);
  for (const i of [intent({ symbol: "SYM1" }), intent({ symbol: "SYM1", side: "sell", qty: 1, reduceOnly: true })]) {
    for (const dt of [0, 1, 60_000, 3_600_000]) {
      assert.deepEqual(e.check(i, back, MON_NOON + dt), e.check(i, s, MON_NOON + dt));
    }
  }
});

Deno.test("riskStateFromJSON refuses a malformed snapshot naming the field", () => {
  const good = riskStateToJSON(busyState(MON_NOON, 5, 10));
  assert.throws(() => riskStateFromJSON({ ...good, tradingState: "paused" }), /risk state snapshot: tradingState: /);
  assert.throws(() => riskStateFromJSON({ ...good, equity: "1" }), /equity: /);
  assert.throws(() => riskStateFromJSON({ ...good, extra: 1 }), /unknown field "extra"/);
  assert.throws(
    () => riskStateFromJSON({ ...good, orders: { capacity: 10, timestamps: [1.5] } }),
    /orders\.timestamps\.0: /,
  );
});
