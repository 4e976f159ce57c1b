import assert from "node:assert/strict";
import type { AuditEventInput } from "../audit/audit_event.ts";
import { AuditLog } from "../audit/audit_log.ts";
import { decisionRowsFromAudit } from "./decision_rows_from_audit.ts";

const H = 3_600_000;
const HASH = "b".repeat(64);

function decision(
  agent: string,
  action: "buy" | "sell" | "hold" | "close" | "abstain",
  extra: Record<string, unknown> = {},
  runId = "bt-1",
): AuditEventInput {
  return {
    kind: "decision",
    runId,
    ts: 2 * H,
    correlationId: "c1",
    payload: {
      agent,
      action,
      confidence: action === "abstain" ? 0 : 0.7,
      reasoning: "",
      factors: [
        { name: "trend", weight: 0.6, direction: "bullish" },
        { name: "vol", weight: 0.4, direction: "neutral" },
      ],
      targetWeights: {},
      symbol: "BTC/USDT",
      barTs: H,
      decisionTime: 2 * H,
      ...extra,
    },
  } as AuditEventInput;
}

Deno.test("decisionRowsFromAudit: final rounds of a debate logged through AuditLog, vote skipped", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    using log = AuditLog.open({ dataDir, account: "paper-1" });
    log.appendMany([
      {
        kind: "bar",
        runId: "bt-1",
        ts: 2 * H,
        payload: {
          symbol: "BTC/USDT",
          timeframe: "1h",
          ts: H,
          open: 1,
          high: 1,
          low: 1,
          close: 1,
          volume: 1,
          dataHash: HASH,
        },
      },
      decision("trend_follower", "buy", { round: 0 }),
      decision("mean_reverter", "sell", { round: 0 }),
      decision("trend_follower", "hold", { round: 1 }),
      decision("mean_reverter", "abstain", { round: 1, abstainReason: "refusal", validation: "refusal" }),
      // The final flag wins over a higher round logged later.
      decision("risk_officer", "close", { round: 1, final: true }),
      decision("risk_officer", "buy", { round: 2 }),
      decision("vote", "buy", { round: 1 }),
      decision("trend_follower", "sell", { round: 0, barTs: 2 * H, decisionTime: 3 * H }),
    ]);
    const events = log.query();
    const rows = decisionRowsFromAudit(events, { source: "paper" });
    assert.deepEqual(rows.map((r) => [r.decisionTime, r.persona, r.action, r.direction]), [
      [2 * H, "mean_reverter", "abstain", 0],
      [2 * H, "risk_officer", "close", 0],
      [2 * H, "trend_follower", "hold", 0],
      [3 * H, "trend_follower", "sell", -1],
    ]);
    assert.deepEqual(rows[1], {
      persona: "risk_officer",
      symbol: "BTC/USDT",
      decisionTime: 2 * H,
      barTs: H,
      action: "close",
      confidence: 0.7,
      direction: 0,
      factors: [{ id: "trend", direction: 1, weight: 0.6 }, { id: "vol", direction: 0, weight: 0.4 }],
      source: "paper",
      runId: "bt-1",
    });
    const withVote = decisionRowsFromAudit(events, {
      includeVote: true,
      source: (e) => e.account === "paper-1" ? "live" : "backtest",
    });
    assert.deepEqual(withVote.filter((r) => r.persona === "vote").map((r) => [r.action, r.source]), [["buy", "live"]]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("decisionRowsFromAudit: rule strategies' decisions, runs kept apart, missing symbol named", () => {
  let seq = 0;
  const stored = (input: AuditEventInput) => ({ ...input, seq: ++seq, ts: input.ts ?? 0, account: "a" });
  const rule = stored({
    kind: "decision",
    runId: "r9",
    ts: 5 * H,
    payload: {
      agent: "sma_cross",
      action: "sell",
      confidence: 0.6,
      reasoning: "",
      factors: [{ name: "trend", weight: 1 }],
      targetWeights: { "ETH/USDT": -1 },
    },
  });
  const rows = decisionRowsFromAudit([
    rule,
    stored(decision("x", "buy", {}, "r1")),
    stored(decision("x", "sell", {}, "r2")),
  ]);
  assert.deepEqual(rows.map((r) => [r.runId, r.symbol, r.decisionTime, r.barTs, r.direction, r.source]), [
    ["r1", "BTC/USDT", 2 * H, H, 1, "backtest"],
    ["r2", "BTC/USDT", 2 * H, H, -1, "backtest"],
    ["r9", "ETH/USDT", 5 * H, 5 * H, -1, "backtest"],
  ]);
  assert.deepEqual(rows[2]!.factors, [{ id: "trend", direction: 0, weight: 1 }]);
  const none = { ...rule, payload: { ...rule.payload, targetWeights: {} } };
  assert.throws(() => decisionRowsFromAudit([none]), /sma_cross in run r9 .* names no symbol .*pass options\.symbol/);
  assert.equal(decisionRowsFromAudit([none], { symbol: "SOL/USDT" })[0]!.symbol, "SOL/USDT");
});
