import { type AuditEvent, AuditLog, barsOf, type OpenOrder, replay } from "../audit/mod.ts";
import { hash } from "node:crypto";
import type { RiskRules } from "../risk/mod.ts";
import { canonicalJson, type Position, type TradingState } from "../types/mod.ts";
import type { AccountKind } from "./account_config.ts";
import { redactConfig } from "./_config.ts";
import { accountFiles, exists, resolveDataDir } from "./_paths.ts";
import { loadAccount } from "./load_account.ts";

/** Options of {@link accountStatus}. */
export interface AccountStatusOptions {
  /** Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
  name: string;
}

/** The last bar the account saw for one symbol. */
export interface LastBar {
  symbol: string;
  timeframe: string;
  /** Bar open time, epoch ms UTC. */
  ts: number;
  close: number;
  /** Seq of its `bar` event. */
  seq: number;
}

/** An account's state as rebuilt from its audit log and account.json. Money is in `quote`. */
export interface AccountStatus {
  account: string;
  kind: AccountKind | null;
  quote: string | null;
  tradingState: TradingState;
  /** Why it is not active (the reason of the last pause or kill), "" when active. */
  reason: string;
  startingCash: number;
  cash: number;
  equity: number;
  realizedPnl: number;
  unrealizedPnl: number;
  fees: number;
  positions: Position[];
  openOrders: OpenOrder[];
  /** The last bar seen per symbol, sorted by symbol. */
  lastBars: LastBar[];
  /**
   * The risk counters as of the UTC day of the last event (`day`, ISO date; null when there are no events): orders
   * submitted that day, P&L since the day's start equity, the equity peak and the drawdown from it (a fraction).
   */
  counters: {
    day: string | null;
    ordersToday: number;
    dailyPnl: number;
    equityPeak: number;
    drawdown: number;
    consecutiveLosses: number;
  };
  /** The audit chain: `ok` with its head, or the first bad seq and why. */
  audit:
    | { ok: true; events: number; headSeq: number; headHash: string; warnings: string[] }
    | { ok: false; events: number; firstBadSeq: number; reason: string; warnings: string[] };
  /** The risk limits in force (from account.json) with their hash; null when account.json cannot be loaded. */
  risk: { configHash: string; flattenOnKill: boolean; rules: RiskRules; strategies: Record<string, unknown> } | null;
  /** The account config's hash (the one the last `config_change` event should carry). */
  configHash: string | null;
  /** Why account.json cannot be loaded (the status still shows the log's state). */
  configError: string | null;
  /** Seq and time of the last event (0 when none). */
  lastSeq: number;
  lastTs: number;
}

/**
 * An account's status from a read-only look (never blocks a runner): `replay` of its audit log (trading state,
 * positions, cash, equity, open orders, last bar seen per symbol, the risk counters), `verify` of the chain, and the
 * risk limits in force from account.json with their hash. A broken or missing account.json is reported in
 * `configError`, not thrown: the state of the log is what an operator needs first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accountStatus, createAccount, pauseAccount } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
 * pauseAccount({ dataDir, name: "paper-1", reason: "news" });
 * const s = accountStatus({ dataDir, name: "paper-1" });
 * assert.equal(s.tradingState, "reducing");
 * assert.equal(s.reason, "news");
 * assert.equal(s.equity, 10_000);
 * assert.equal(s.audit.ok, true);
 * assert.equal(s.risk?.rules.maxDrawdown.limit, 0.2);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function accountStatus(options: AccountStatusOptions): AccountStatus {
  const dataDir = resolveDataDir(options.dataDir);
  const files = accountFiles(dataDir, options.name);
  let account: ReturnType<typeof loadAccount> | null = null;
  let configError: string | null = null;
  try {
    account = loadAccount({ dataDir, name: options.name });
  } catch (e) {
    // A broken or missing account.json is reported; the log's state is what an operator needs first.
    const noConfig = e instanceof Error && (e.name === "ConfigError" || e instanceof RangeError);
    if (!noConfig || !exists(files.log)) throw e;
    configError = e.message;
  }
  if (!exists(files.log)) {
    throw new RangeError(
      `account ${JSON.stringify(options.name)} has no audit log at ${files.log}; create the account with ` +
        `\`deno task account create --name ${options.name}\``,
    );
  }
  using log = AuditLog.open({ dataDir, account: options.name, readOnly: true });
  const bars = new Map<string, LastBar>();
  let reason = "";
  function* tap(events: Iterable<AuditEvent>): Generator<AuditEvent> {
    for (const e of events) {
      if (e.kind === "bar" || e.kind === "bars") {
        for (const p of barsOf(e)) {
          bars.set(p.symbol, { symbol: p.symbol, timeframe: p.timeframe, ts: p.ts, close: p.close, seq: e.seq });
        }
      } else if (e.kind === "pause" || e.kind === "kill") reason = e.payload.reason;
      yield e;
    }
  }
  const s = replay(tap(log.events()));
  const v = log.verify();
  const c = s.counters;
  let risk: AccountStatus["risk"] = null;
  if (account) {
    const r = redactConfig(account.config).risk;
    risk = {
      // The same digest as lib/risk's riskConfigHash (tested equal), computed synchronously.
      configHash: hash("sha256", canonicalJson(account.config.risk), "hex"),
      flattenOnKill: r.flattenOnKill,
      rules: r.rules,
      strategies: r.strategies,
    };
  }
  return {
    account: options.name,
    kind: account?.config.kind ?? null,
    quote: account?.config.quote ?? null,
    tradingState: s.tradingState,
    reason: s.tradingState === "active" ? "" : reason,
    startingCash: s.startingCash,
    cash: s.cash,
    equity: s.equity,
    realizedPnl: s.realizedPnl,
    unrealizedPnl: s.unrealizedPnl,
    fees: s.fees,
    positions: s.positions,
    openOrders: s.openOrders,
    lastBars: [...bars.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0)),
    counters: {
      day: s.lastSeq === 0 ? null : new Date(c.dayStart).toISOString().slice(0, 10),
      ordersToday: c.ordersToday,
      dailyPnl: s.equity - c.dailyStartEquity,
      equityPeak: c.equityPeak,
      drawdown: c.equityPeak > 0 ? Math.max(0, 1 - s.equity / c.equityPeak) : 0,
      consecutiveLosses: c.consecutiveLosses,
    },
    audit: v.ok
      ? { ok: true, events: v.events, headSeq: v.head.seq, headHash: v.head.hash, warnings: v.warnings }
      : { ok: false, events: v.events, firstBadSeq: v.firstBadSeq, reason: v.reason, warnings: v.warnings },
    risk,
    configHash: account?.configHash ?? null,
    configError,
    lastSeq: s.lastSeq,
    lastTs: s.lastTs,
  };
}
