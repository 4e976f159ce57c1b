// The audit log's replay and the risk engine's in-memory state agree on positions and cash for the same fills:
// the runner updates the risk state fill by fill and rebuilds it from the log on restart, so both must be equal.
import assert from "node:assert/strict";
import { AuditLog, replay } from "../lib/audit/mod.ts";
import { createRiskState, recordFill } from "../lib/risk/mod.ts";
import type { Fill } from "../lib/types/mod.ts";
import { mulberry32 } from "../lib/testing/mod.ts";

Deno.test("replay(log) equals lib/risk's recordFill state over 20 random sessions of buys, sells, shorts and flips", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "audit-parity-" });
  try {
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = mulberry32(seed);
      const account = `acct-${seed}`;
      using log = AuditLog.open({ dataDir, account });
      const risk = createRiskState({ account, cash: 10_000, now: 0 });
      log.append({ kind: "run_started", runId: "r", ts: 0, payload: { mode: "replay", startingCash: 10_000 } });
      const symbols = ["BTC/USDT", "ETH/USDT"];
      for (let i = 0; i < 60; i++) {
        const symbol = symbols[Math.floor(rnd() * 2)]!;
        // Quantities with decimals (dust-prone), occasionally exactly the open position (a close).
        const open = risk.positions.get(symbol)?.qty ?? 0;
        const qty = open !== 0 && rnd() < 0.2 ? Math.abs(open) : Math.round(rnd() * 300) / 100 + 0.01;
        const side = open !== 0 && rnd() < 0.2 ? (open > 0 ? "sell" : "buy") : rnd() < 0.5 ? "buy" : "sell";
        const fill: Fill = {
          clientOrderId: `${account}-${i}`,
          symbol,
          side,
          qty,
          price: Math.round((50 + rnd() * 100) * 100) / 100,
          fee: Math.round(rnd() * 50) / 100,
          ts: i * 60_000,
        };
        recordFill(risk, fill);
        log.append({
          kind: rnd() < 0.3 ? "order_partially_filled" : "order_filled",
          runId: "r",
          ts: fill.ts,
          payload: fill,
        });
      }
      const s = replay(log.events());
      assert.ok(Math.abs(s.cash - risk.cash) < 1e-6, `seed ${seed}: cash ${s.cash} vs ${risk.cash}`);
      const riskPositions = [...risk.positions.values()].filter((p) => p.qty !== 0).map((p) => ({
        symbol: p.symbol,
        qty: p.qty,
        avgPrice: p.avgPrice,
      })).sort((a, b) => a.symbol < b.symbol ? -1 : 1);
      assert.equal(s.positions.length, riskPositions.length, `seed ${seed}: positions`);
      s.positions.forEach((p, k) => {
        const r = riskPositions[k]!;
        assert.equal(p.symbol, r.symbol);
        assert.ok(Math.abs(p.qty - r.qty) < 1e-9, `seed ${seed} ${p.symbol}: qty ${p.qty} vs ${r.qty}`);
        assert.ok(
          Math.abs(p.avgPrice - r.avgPrice) < 1e-9,
          `seed ${seed} ${p.symbol}: avg ${p.avgPrice} vs ${r.avgPrice}`,
        );
      });
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
