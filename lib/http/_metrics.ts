// The lab's Prometheus endpoint, GET /metrics: per-account gauges and counters derived read-only from each account's
// audit log and status, recomputed only when the log's head moved.
import { Hono } from "hono";
import { Counter, Gauge, Registry } from "prom-client";
import { accountStatus, listAccountConfigs } from "../accounts/mod.ts";
import { AuditLog } from "../audit/mod.ts";
import type { TradingState } from "../types/mod.ts";
import { clientAddress, isLoopback, type LabAuth } from "./_auth.ts";
import { HttpError } from "./_errors.ts";

/** Options of {@link metricsRoutes}. */
export interface MetricsRoutesOptions {
  /** The data dir accounts live under (`<dataDir>/_accounts`). */
  dataDir: string;
  /** The lab's token and its backoff. */
  auth: LabAuth;
  /** The address the lab listens on: loopback serves /metrics openly, anything else needs the Bearer token. */
  host: string;
  /** A log whose head moved is recomputed at most this often (ms); in between its last figures are served. Default 5 s. */
  minRefreshMs?: number;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** Hears each full status rebuild (tests count them). */
  onRebuild?: (account: string) => void;
}

const ORDER_STATES: Record<string, string> = {
  order_submitted: "submitted",
  order_acknowledged: "acknowledged",
  order_partially_filled: "partially_filled",
  order_filled: "filled",
  order_rejected: "rejected",
  order_cancelled: "cancelled",
};
const STATES: readonly TradingState[] = ["active", "reducing", "halted"];

/** What one account's log said at `seq`. */
interface Figures {
  seq: number;
  computedAt: number;
  /** Highest seq folded into the counts below (they grow incrementally). */
  countedSeq: number;
  orders: Map<string, number>;
  denials: Map<string, number>;
  kinds: Map<string, number>;
  status: {
    equity: number;
    cash: number;
    drawdown: number;
    dailyPnl: number;
    openOrders: number;
    tradingState: TradingState;
    chainOk: boolean;
    lastTs: number;
  } | null;
  error: boolean;
}

/**
 * Reads each account's figures, caching them by the log's head seq: a scrape of an unchanged log costs one
 * read-only open and one head read; a changed one folds only the new events into the counts and rebuilds the status
 * (replay and verify) at most every `minRefreshMs`.
 */
class AccountFigures {
  readonly #cache = new Map<string, Figures>();
  readonly #dataDir: string;
  readonly #minRefreshMs: number;
  readonly #now: () => number;
  readonly #onRebuild: ((account: string) => void) | undefined;

  constructor(o: MetricsRoutesOptions) {
    this.#dataDir = o.dataDir;
    this.#minRefreshMs = o.minRefreshMs ?? 5_000;
    this.#now = o.now ?? Date.now;
    this.#onRebuild = o.onRebuild;
  }

  refresh(): Map<string, Figures> {
    const out = new Map<string, Figures>();
    for (const { name } of listAccountConfigs({ dataDir: this.#dataDir })) {
      const f = this.#account(name);
      if (f) out.set(name, f);
    }
    // Accounts removed from disk leave the cache.
    for (const name of this.#cache.keys()) if (!out.has(name)) this.#cache.delete(name);
    return out;
  }

  #account(name: string): Figures | undefined {
    let f = this.#cache.get(name);
    let log: AuditLog;
    try {
      log = AuditLog.open({ dataDir: this.#dataDir, account: name, readOnly: true });
    } catch {
      // No log yet (a config without events) or one that cannot be opened: shown as an error gauge.
      if (f === undefined) {
        f = empty();
        f.error = true;
        this.#cache.set(name, f);
      }
      return f;
    }
    try {
      const seq = log.head().seq;
      if (f !== undefined && f.seq === seq && f.status !== null) return f;
      const now = this.#now();
      if (f !== undefined && f.status !== null && now - f.computedAt < this.#minRefreshMs) return f;
      f ??= empty();
      for (;;) {
        const page = log.query({ afterSeq: f.countedSeq, limit: 5_000 });
        for (const e of page) {
          f.countedSeq = e.seq;
          inc(f.kinds, e.kind);
          const state = ORDER_STATES[e.kind];
          if (state !== undefined) inc(f.orders, state);
          else if (e.kind === "risk_verdict" && !e.payload.ok) inc(f.denials, e.payload.code);
        }
        if (page.length < 5_000) break;
      }
      try {
        const s = accountStatus({ dataDir: this.#dataDir, name });
        this.#onRebuild?.(name);
        f.status = {
          equity: s.equity,
          cash: s.cash,
          drawdown: s.counters.drawdown,
          dailyPnl: s.counters.dailyPnl,
          openOrders: s.openOrders.length,
          tradingState: s.tradingState,
          chainOk: s.audit.ok,
          lastTs: s.lastTs,
        };
        f.error = false;
      } catch {
        f.error = true;
      }
      f.seq = seq;
      f.computedAt = now;
      this.#cache.set(name, f);
      return f;
    } finally {
      log.close();
    }
  }
}

function empty(): Figures {
  return {
    seq: -1,
    computedAt: -Infinity,
    countedSeq: 0,
    orders: new Map(),
    denials: new Map(),
    kinds: new Map(),
    status: null,
    error: false,
  };
}

function inc(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/**
 * `GET /metrics`: the Prometheus text exposition (prom-client, its `contentType`) of every account under the data
 * dir, derived read-only from its audit log and status:
 *
 * | metric | type | labels |
 * | --- | --- | --- |
 * | `sentinel_account_equity`, `sentinel_account_cash`, `sentinel_account_daily_pnl` | gauge | account |
 * | `sentinel_account_drawdown_ratio` | gauge | account |
 * | `sentinel_account_trading_state` | gauge (1 for the state in force) | account, state |
 * | `sentinel_account_open_orders` | gauge | account |
 * | `sentinel_account_orders_total` | counter | account, state |
 * | `sentinel_account_risk_denials_total` | counter | account, rule |
 * | `sentinel_account_audit_events_total` | counter | account, kind |
 * | `sentinel_account_audit_head_seq`, `sentinel_account_last_event_seconds` | gauge | account |
 * | `sentinel_account_audit_chain_ok` | gauge (1 verified, 0 broken) | account |
 * | `sentinel_account_status_error` | gauge (1: the status could not be read) | account |
 *
 * Access: a lab on loopback serves it to anyone on this machine, with no cookie (as its other GET routes); a lab
 * listening beyond loopback (which always has a token) needs `Authorization: Bearer <token>` here, with the login
 * backoff, because these figures are an account's money (Prometheus: `authorization: { credentials_file: ... }`).
 * Labels are account names, states, kinds and rule codes only: webhook URLs, keys and free text never appear.
 */
export function metricsRoutes(options: MetricsRoutesOptions): Hono {
  const figures = new AccountFigures(options);
  const registry = new Registry();
  const registers = [registry];
  const g = (name: string, help: string, labelNames: string[] = ["account"]) =>
    new Gauge({ name, help, labelNames, registers });
  const c = (name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers });
  const equity = g("sentinel_account_equity", "Equity in the account's quote currency, replayed from its audit log.");
  const cash = g("sentinel_account_cash", "Cash in the quote currency, replayed from the audit log.");
  const dailyPnl = g("sentinel_account_daily_pnl", "P&L since the start of the UTC day of the last event.");
  const dd = g("sentinel_account_drawdown_ratio", "Drawdown from the equity peak, a fraction (0.1 = 10 %).");
  const state = g("sentinel_account_trading_state", "1 for the trading state in force.", ["account", "state"]);
  const open = g("sentinel_account_open_orders", "Orders without a final outcome.");
  const orders = c("sentinel_account_orders_total", "Order steps in the audit log by state.", ["account", "state"]);
  const denials = c("sentinel_account_risk_denials_total", "Risk denials in the audit log by rule.", [
    "account",
    "rule",
  ]);
  const kinds = c("sentinel_account_audit_events_total", "Audit events by kind.", ["account", "kind"]);
  const head = g("sentinel_account_audit_head_seq", "Seq of the last audit event.");
  const lastTs = g("sentinel_account_last_event_seconds", "Time of the last audit event, epoch seconds.");
  const chain = g("sentinel_account_audit_chain_ok", "1 when the audit chain verifies, 0 when it is broken.");
  const error = g("sentinel_account_status_error", "1 when the account's status could not be read.");

  const fill = (): void => {
    registry.resetMetrics();
    for (const [account, f] of figures.refresh()) {
      error.set({ account }, f.error ? 1 : 0);
      for (const [k, n] of f.orders) orders.inc({ account, state: k }, n);
      for (const [k, n] of f.denials) denials.inc({ account, rule: k }, n);
      for (const [k, n] of f.kinds) kinds.inc({ account, kind: k }, n);
      if (f.seq >= 0) head.set({ account }, f.seq);
      const s = f.status;
      if (s === null) continue;
      equity.set({ account }, s.equity);
      cash.set({ account }, s.cash);
      dailyPnl.set({ account }, s.dailyPnl);
      dd.set({ account }, s.drawdown);
      open.set({ account }, s.openOrders);
      for (const st of STATES) state.set({ account, state: st }, st === s.tradingState ? 1 : 0);
      chain.set({ account }, s.chainOk ? 1 : 0);
      lastTs.set({ account }, s.lastTs / 1000);
    }
  };

  const open_ = isLoopback(options.host);
  const app = new Hono();
  app.get("/", async (c) => {
    if (!open_) {
      const m = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "");
      if (!m || !(await options.auth.verify(clientAddress(c), m[1]!.trim()))) {
        throw new HttpError(401, "this lab listens beyond loopback: /metrics needs Authorization: Bearer <token>");
      }
    }
    fill();
    return c.body(await registry.metrics(), 200, { "content-type": registry.contentType, "cache-control": "no-store" });
  });
  return app;
}
