import type { AuditEventOf } from "../audit/audit_event.ts";
import { type DecisionRow, type DecisionSource, directionOfAction } from "./decision_row.ts";

/**
 * The parts of an audit event `decisionRowsFromAudit` reads: any stored `AuditEvent` fits (events of other kinds
 * are skipped). The decision payload's agent fields (`symbol`, `barTs`, `decisionTime`, `round`,
 * `final`, factor `direction`) are optional, so decisions logged by rule strategies also pass through.
 */
export interface DecisionEventLike {
  kind: string;
  ts: number;
  runId: string;
  account?: string;
  payload: unknown;
}

/** Options of {@link decisionRowsFromAudit}. */
export interface DecisionRowsFromAuditOptions {
  /** Where the events come from; a function to tell runs apart (by `runId` or `account`). Default `"backtest"`. */
  source?: DecisionSource | ((event: DecisionEventLike) => DecisionSource);
  /** Keep the debate's final vote rows (`agent === "vote"`, persona `vote`). Default false. */
  includeVote?: boolean;
  /** Symbol for a decision that names none and whose `targetWeights` hold more or fewer than one symbol. */
  symbol?: string;
}

type DecisionPayload = AuditEventOf<"decision">["payload"];

const ACTIONS = new Set(["buy", "sell", "hold", "close", "abstain"]);
const FACTOR_DIRECTION: Record<string, 1 | -1 | 0> = { bullish: 1, bearish: -1, neutral: 0 };

/**
 * Decision rows from an audit log's events: one row per persona, symbol and decision bar, from its final round.
 * A debate logs one `decision` per persona per round; the row is the one marked `final: true`, else the highest
 * `round` (an event without `round` is round 0; on a tie the later event wins). The vote (`agent === "vote"`) is
 * skipped unless `includeVote`.
 *
 * Field mapping: `persona` is `payload.agent`; `symbol` is `payload.symbol`, else the single key
 * of `targetWeights`, else `options.symbol`; `decisionTime` is `payload.decisionTime ?? event.ts`; `barTs` is
 * `payload.barTs`, else `decisionTime` (a decision logged without its bar, which `attachOutcomes` will not find);
 * factor `direction` bullish +1, bearish -1, neutral or absent 0. Rows come sorted by decision time, symbol and
 * persona.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decisionRowsFromAudit } from "./decision_rows_from_audit.ts";
 * const ev = (round: number, action: string) => ({
 *   kind: "decision", ts: 7_200_000, runId: "r1",
 *   payload: {
 *     agent: "bear", action, confidence: 0.6, reasoning: "", targetWeights: {}, symbol: "BTC/USDT",
 *     barTs: 3_600_000, decisionTime: 7_200_000, round,
 *     factors: [{ name: "drawdown", weight: 1, direction: "bearish" }],
 *   },
 * });
 * const rows = decisionRowsFromAudit([ev(0, "buy"), ev(1, "sell")]);
 * assert.equal(rows.length, 1);
 * assert.equal(rows[0]!.action, "sell");
 * assert.deepEqual(rows[0]!.factors, [{ id: "drawdown", direction: -1, weight: 1 }]);
 * ```
 */
export function decisionRowsFromAudit(
  events: Iterable<DecisionEventLike>,
  options: DecisionRowsFromAuditOptions = {},
): DecisionRow[] {
  const best = new Map<string, { final: boolean; round: number; row: DecisionRow }>();
  for (const event of events) {
    if (event.kind !== "decision") continue;
    const p = event.payload as DecisionPayload;
    if (p.agent === "vote" && !options.includeVote) continue;
    if (!ACTIONS.has(p.action)) {
      throw new TypeError(
        `decisionRowsFromAudit: event of run ${event.runId} at ${event.ts} has action ${
          JSON.stringify(p.action)
        }; expected buy, sell, hold, close or abstain (is this an audit decision event?)`,
      );
    }
    const action = p.action as DecisionRow["action"];
    const symbol = p.symbol ?? soleKey(p.targetWeights) ?? options.symbol;
    if (symbol === undefined) {
      throw new TypeError(
        `decisionRowsFromAudit: the decision of ${p.agent} in run ${event.runId} at ${event.ts} names no symbol ` +
          `(no payload.symbol and targetWeights has ${Object.keys(p.targetWeights ?? {}).length} symbols); ` +
          `pass options.symbol`,
      );
    }
    const decisionTime = p.decisionTime ?? event.ts;
    const source = typeof options.source === "function" ? options.source(event) : options.source ?? "backtest";
    const row: DecisionRow = {
      persona: p.agent,
      symbol,
      decisionTime,
      barTs: p.barTs ?? decisionTime,
      action,
      confidence: p.confidence,
      direction: directionOfAction(action),
      factors: p.factors.map((f) => ({
        id: f.name,
        direction: FACTOR_DIRECTION[f.direction ?? "neutral"] ?? 0,
        weight: f.weight,
      })),
      source,
      runId: event.runId,
    };
    const final = p.final === true;
    const round = p.round ?? 0;
    const key = `${event.runId}\u0000${row.persona}\u0000${symbol}\u0000${decisionTime}`;
    const prev = best.get(key);
    // Final beats any round, then the highest round; on a tie the later event (events come in log order).
    const wins = prev === undefined || (final !== prev.final ? final : round >= prev.round);
    if (wins) best.set(key, { final, round, row });
  }
  const rows = [...best.values()].map((b) => b.row);
  rows.sort((a, b) =>
    a.decisionTime - b.decisionTime || cmp(a.symbol, b.symbol) || cmp(a.persona, b.persona) || cmp(a.runId, b.runId)
  );
  return rows;
}

function soleKey(record: Record<string, number> | undefined): string | undefined {
  if (record === undefined) return undefined;
  const keys = Object.keys(record);
  return keys.length === 1 ? keys[0] : undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
