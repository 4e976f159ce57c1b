import assert from "node:assert/strict";
import { DEFAULT_RISK_CONFIG, type RiskConfig, riskConfigHash, type RiskRules } from "../risk/mod.ts";
import { runBacktest } from "./backtest.ts";
import { randomFrame } from "./_testing.ts";

function rulesOff(): RiskConfig {
  const rules = structuredClone(DEFAULT_RISK_CONFIG.rules) as RiskRules;
  for (const k of Object.keys(rules) as (keyof RiskRules)[]) rules[k].enabled = false;
  return { version: 1, flattenOnKill: false, rules, strategies: {} };
}

Deno.test("runBacktest with risk: permissive limits change nothing but the manifest; denials are listed", async () => {
  const frame = randomFrame(2_000, 3);
  const input = { frame, strategy: "sma_cross", params: { fast: 5, slow: 20 }, options: { fee: 0.001 } } as const;
  const plain = await runBacktest(input);
  const off = rulesOff();
  const risky = await runBacktest({ ...input, risk: off });
  assert.deepEqual(risky.stats, plain.stats);
  assert.deepEqual(risky.orders, plain.orders);
  assert.deepEqual([...risky.sim.equity], [...plain.sim.equity]);
  assert.deepEqual(risky.denied, []);
  assert.equal(risky.sim.skipped.risk, 0);
  assert.equal("risk" in plain.manifest, false);
  assert.equal(plain.denied.length, 0);
  assert.deepEqual(risky.manifest.risk, off);
  assert.equal(risky.manifest.riskConfigHash, await riskConfigHash(off));
  assert.notEqual(risky.manifest.id, plain.manifest.id);
  assert.deepEqual(risky.toJSON().denied, []);
  assert.equal("denied" in plain.toJSON(), false);

  // One order a UTC day (the frame's minute bars span ~33 hours): the first entry and the day-2 order pass.
  const daily = structuredClone(off);
  daily.rules.orderRate = { enabled: true, perMinute: 10, perHour: 10, perDay: 1, level: "warning" };
  const r = await runBacktest({ ...input, risk: daily });
  assert.ok(r.denied.length > 10);
  assert.equal(r.sim.skipped.risk, r.denied.length);
  assert.ok(r.denied.every((d) => d.code === "order_rate_day"));
  assert.equal(r.orders.filter((o) => o.reason !== "end").length, 2);
  // Intents carry the bar's close time (open + 1 minute): denial times are bar open times.
  assert.equal(r.denied[0]!.ts, frame.ts[r.denied[0]!.bar]);
});
