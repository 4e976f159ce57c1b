import { createHash } from "node:crypto";
import type { AuditEventInput, AuditEventOf } from "../audit/mod.ts";
import type { RiskSession, Verdict } from "../risk/mod.ts";
import type { FeedBar } from "./feed.ts";

/** A sleeve's deterministic key (the prefix of its client ids): the same account and sleeve id give the same key. */
export function sleeveKey(account: string, sleeveId: string): string {
  return createHash("sha256").update(`${account}\0${sleeveId}`).digest("hex").slice(0, 10);
}

/** A batch's bars sorted by symbol (the order every runner decides in, so a replay decides alike). */
export function sortBatch(bars: readonly FeedBar[]): FeedBar[] {
  return [...bars].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

/**
 * Checks a whole batch before anything changes: one open time and timeframe, each bar after the last one processed
 * for its symbol, finite prices. A bad bar throws with its reason and leaves the runner (and the log) as it was after
 * the last good batch, so a fixed feed can resume there.
 */
export function checkBatch(sorted: readonly FeedBar[], lastTs: ReadonlyMap<string, number>): void {
  const first = sorted[0];
  if (first === undefined) return;
  for (const bar of sorted) {
    if (bar.ts !== first.ts || bar.timeframe !== first.timeframe) {
      throw new RangeError(
        `a feed batch mixes bars of ${first.symbol} at ${first.ts} (${first.timeframe}) and ${bar.symbol} at ${bar.ts} ` +
          `(${bar.timeframe}): a batch holds the bars of one open time and timeframe`,
      );
    }
    const last = lastTs.get(bar.symbol);
    if (last !== undefined && bar.ts <= last) {
      throw new RangeError(
        `bar ${bar.symbol} at ${new Date(bar.ts).toISOString()} is not after the last one processed (${
          new Date(last).toISOString()
        }): feeds must not repeat or reorder bars`,
      );
    }
    for (const k of ["open", "high", "low", "close", "volume"] as const) {
      if (!Number.isFinite(bar[k])) {
        throw new RangeError(
          `bar ${bar.symbol} at ${new Date(bar.ts).toISOString()} has ${k} ${
            bar[k]
          }: the runner takes finite prices only; ` +
            `fix or drop the bar at the feed (or the CSV) and start again`,
        );
      }
    }
  }
}

/**
 * Records a checked batch: per symbol the last bar time and the rolling SHA-256 of every bar it has seen (so the log
 * proves which data a decision saw), the bar in the risk session; answers the batch's `bars` event.
 */
export function recordBatch(
  sorted: readonly FeedBar[],
  state: { lastTs: Map<string, number>; dataHash: Map<string, string>; risk: RiskSession; tfMs: number },
  runId: string,
  now: number,
  correlationId: string,
): AuditEventInput {
  const first = sorted[0]!;
  const logged = [];
  for (const bar of sorted) {
    state.lastTs.set(bar.symbol, bar.ts);
    const dataHash = createHash("sha256").update(state.dataHash.get(bar.symbol) ?? "").update(
      `${bar.ts},${bar.open},${bar.high},${bar.low},${bar.close},${bar.volume}`,
    ).digest("hex");
    state.dataHash.set(bar.symbol, dataHash);
    const { open, high, low, close, volume } = bar;
    logged.push({ symbol: bar.symbol, open, high, low, close, volume, dataHash });
    state.risk.onBar({
      symbol: bar.symbol,
      openTime: bar.ts,
      closeTime: bar.ts + state.tfMs,
      open,
      high,
      low,
      close,
    });
  }
  return {
    kind: "bars",
    runId,
    ts: now,
    correlationId,
    payload: {
      timeframe: first.timeframe,
      ...(first.exchange ? { exchange: first.exchange } : {}),
      ts: first.ts,
      bars: logged,
    },
  };
}

/** The `signal` event of a sleeve's strategy on a bar. */
export function signalEvent(
  strategy: string,
  bar: FeedBar,
  action: "enter_long" | "exit_long" | "enter_short" | "exit_short",
  runId: string,
  now: number,
  correlationId: string,
): AuditEventInput {
  return {
    kind: "signal",
    runId,
    ts: now,
    correlationId,
    payload: { strategy, symbol: bar.symbol, barTs: bar.ts, action },
  };
}

/** A logged `bars` event as the feed gave it: what a runner re-executes when it rebuilds itself from the log. */
export function feedBarsOf(e: AuditEventOf<"bars">): FeedBar[] {
  const p = e.payload;
  return p.bars.map((b) => ({
    symbol: b.symbol,
    timeframe: p.timeframe,
    ...(p.exchange ? { exchange: p.exchange } : {}),
    ts: p.ts,
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.volume,
  }));
}

/**
 * The verdict on the kill switch's own closing orders: the engine denies everything while halted, so the runner's
 * flatten bypasses the check, and is logged as such.
 */
export const FLATTEN_ON_KILL: Verdict = {
  ok: true,
  code: "flatten_on_kill",
  level: "warning",
  detail: "closing every position after a kill (flattenOnKill)",
};

/** The `risk_verdict` event of an intent. */
export function verdictEvent(
  clientOrderId: string,
  v: Verdict,
  runId: string,
  now: number,
  correlationId: string | undefined,
): AuditEventInput {
  return {
    kind: "risk_verdict",
    runId,
    ts: now,
    ...(correlationId !== undefined ? { correlationId } : {}),
    payload: { clientOrderId, ok: v.ok, code: v.code, level: v.level, detail: v.detail.slice(0, 1_000) },
  };
}

/** Sleeves by traded symbol, each list in sleeve-id order (the order every runner decides in). */
export function sleevesBySymbol<S extends { spec: { id: string; symbol: string } }>(
  sleeves: readonly S[],
): Map<string, S[]> {
  const out = new Map<string, S[]>();
  for (const s of [...sleeves].sort((a, b) => (a.spec.id < b.spec.id ? -1 : 1))) {
    const list = out.get(s.spec.symbol) ?? [];
    list.push(s);
    out.set(s.spec.symbol, list);
  }
  return out;
}

/** `run_stopped` reason of a run an LLM budget (`--llm-budget`) stopped; the stop's message is its `error`. */
export const LLM_BUDGET_REASON = "llm budget reached";

/**
 * An agent strategy's `AgentBudgetStop` (lib/agents), told by its name so the runners need not import the agents: a
 * clean stop, not a failure.
 */
export function isBudgetStop(e: unknown): e is Error {
  return e instanceof Error && e.name === "AgentBudgetStop";
}
