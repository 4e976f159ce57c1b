import assert from "node:assert/strict";
import { AuditLog } from "../audit/mod.ts";
import { smaCross, strategyCodeHash } from "../strategies/mod.ts";
import { loadPromotedSleeves } from "./load_promoted_sleeves.ts";

Deno.test("loadPromotedSleeves: each sleeve carries its promotion market's exchange; none without a market", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const log = AuditLog.open({ dataDir, account: "live-1" });
    const codeHash = await strategyCodeHash(smaCross);
    const base = { strategy: "sma_cross", codeHash, params: { fast: 5, slow: 30 }, evidenceRunIds: [] };
    log.append({
      kind: "promotion",
      runId: "p",
      payload: { ...base, market: "kraken:ETH/USD:1h", symbol: "ETH/USD", timeframe: "1h" },
    });
    log.append({
      kind: "promotion",
      runId: "p",
      payload: { ...base, market: "binance:BTC/USDT:1h", timeframe: "1h" },
    });
    log.append({ kind: "promotion", runId: "p", payload: { ...base, symbol: "SOL/USDT" } });
    log.close();
    const sleeves = await loadPromotedSleeves({ dataDir, account: "live-1" });
    assert.deepEqual(sleeves.map((s) => [s.id, s.symbol, s.exchange]), [
      ["sma_cross@ETH/USD", "ETH/USD", "kraken"],
      ["sma_cross@BTC/USDT", "BTC/USDT", "binance"],
      ["sma_cross@SOL/USDT", "SOL/USDT", undefined],
    ]);
    assert.equal("exchange" in sleeves[2]!, false);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
