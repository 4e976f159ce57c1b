// The lab's Prometheus endpoint, GET /metrics: per-account gauges and counters derived read-only from each account's
// audit log, moved forward by the events appended since the last scrape.
import { Hono } from "hono";
import { Counter, Gauge, Registry } from "prom-client";
import { listAccountConfigs } from "../accounts/mod.ts";
import { AuditLog, hashEvent } from "../audit/mod.ts";
import { AccountFold } from "./_account_fold.ts";
import { clientAddress, isLoopback, type LabAuth } from "./_auth.ts";
import { HttpError } from "./_errors.ts";
import { ORDER_STATE_OF_KIND as ORDER_STATES, TRADING_STATES as STATES } from "../monitor/mod.ts";

/** Options of {@link metricsRoutes}. */
export interface MetricsRoutesOptions {
  /** The data dir accounts live under (`<dataDir>/_accounts`). */
  dataDir: string;
  /** The lab's token and its backoff. */
  auth: LabAuth;
  /** The address the lab listens on: loopback serves /metrics openly, anything else needs the Bearer token. */
  host: string;
  /**
   * A full `verify` of each chain (history edits, the head anchor) at most this often (ms); between two, each new
   * event's link and hash are checked as it is folded. Default 10 minutes.
   */
  verifyEveryMs?: number;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** Hears each full verify (tests count them). */
  onVerify?: (account: string) => void;
}

const GENESIS = "0".repeat(64);

/** What one account's log said up to `fold.lastSeq`. */
interface Figures {
  fold: AccountFold;
  orders: Map<string, number>;
  denials: Map<string, number>;
  kinds: Map<string, number>;
  /** Hash of the last event folded (the next one's prevHash). */
  lastHash: string;
  chainOk: boolean;
  verifiedAt: number;
  /** The log could not be opened or read. */
  error: boolean;
}

/**
 * Each account's figures, kept between scrapes and moved forward by the events appended since: a scrape of an
 * unchanged log costs a read-only open and a head read; a moved one reads, checks (link and hash) and folds only the
 * new events. A full verify runs on the first scrape and then every `verifyEveryMs`.
 */
class AccountFigures {
  readonly #cache = new Map<string, Figures>();
  readonly #dataDir: string;
  readonly #verifyEveryMs: number;
  readonly #now: () => number;
  readonly #onVerify: ((account: string) => void) | undefined;

  constructor(o: MetricsRoutesOptions) {
    this.#dataDir = o.dataDir;
    this.#verifyEveryMs = o.verifyEveryMs ?? 600_000;
    this.#now = o.now ?? Date.now;
    this.#onVerify = o.onVerify;
  }

  refresh(): Map<string, Figures> {
    const out = new Map<string, Figures>();
    for (const { name } of listAccountConfigs({ dataDir: this.#dataDir })) out.set(name, this.#account(name));
    // Accounts removed from disk leave the cache.
    for (const name of this.#cache.keys()) if (!out.has(name)) this.#cache.delete(name);
    return out;
  }

  #account(name: string): Figures {
    let f = this.#cache.get(name);
    if (f === undefined) {
      f = {
        fold: new AccountFold(),
        orders: new Map(),
        denials: new Map(),
        kinds: new Map(),
        lastHash: GENESIS,
        chainOk: true,
        verifiedAt: -Infinity,
        error: false,
      };
      this.#cache.set(name, f);
    }
    let log: AuditLog;
    try {
      log = AuditLog.open({ dataDir: this.#dataDir, account: name, readOnly: true });
    } catch {
      // No log (a config without events) or one that cannot be opened: the error gauge says so.
      f.error = true;
      return f;
    }
    try {
      const now = this.#now();
      const verifyNow = now - f.verifiedAt >= this.#verifyEveryMs;
      // A full verify below rehashes every event anyway: the new ones are not hashed twice.
      if (log.head().seq !== f.fold.lastSeq) this.#forward(f, log, !verifyNow);
      if (verifyNow) {
        f.verifiedAt = now;
        this.#onVerify?.(name);
        if (!log.verify().ok) f.chainOk = false;
      }
      f.error = false;
    } catch {
      f.error = true;
    } finally {
      log.close();
    }
    return f;
  }

  #forward(f: Figures, log: AuditLog, hashes: boolean): void {
    for (;;) {
      const page = log.query({ afterSeq: f.fold.lastSeq, limit: 5_000 });
      for (const e of page) {
        // A broken link or hash among the new events is a broken chain now, not at the next full verify.
        if (e.prevHash !== f.lastHash || (hashes && hashEvent(e) !== e.hash)) f.chainOk = false;
        f.lastHash = e.hash;
        f.fold.apply(e);
        inc(f.kinds, e.kind);
        const state = ORDER_STATES[e.kind];
        if (state !== undefined) inc(f.orders, state);
        else if (e.kind === "risk_verdict" && !e.payload.ok) inc(f.denials, e.payload.code);
      }
      if (page.length < 5_000) return;
    }
  }
}

function inc(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/**
 * `GET /metrics`: the Prometheus text exposition (prom-client, its `contentType`) of every account under the data
 * dir, derived read-only from its audit log (the figures are `accountStatus`'s: replay's arithmetic, folded
 * incrementally; tested equal):
 *
 * | metric | type | labels |
 * | --- | --- | --- |
 * | `sentinel_account_equity`, `sentinel_account_cash`, `sentinel_account_daily_pnl` | gauge | account |
 * | `sentinel_account_drawdown_ratio` | gauge | account |
 * | `sentinel_account_trading_state` | gauge (1 for the state in force) | account, state |
 * | `sentinel_account_open_orders` | gauge | account |
 * | `sentinel_account_reconciliations_waiting` | gauge (reports holding the account until an operator_ack) | account |
 * | `sentinel_account_orders_total` | counter | account, state |
 * | `sentinel_account_risk_denials_total` | counter | account, rule |
 * | `sentinel_account_audit_events_total` | counter | account, kind |
 * | `sentinel_account_audit_head_seq`, `sentinel_account_last_event_seconds` | gauge | account |
 * | `sentinel_account_audit_chain_ok` | gauge (1 verified, 0 broken) | account |
 * | `sentinel_account_status_error` | gauge (1: the log could not be opened or read) | account |
 *
 * Cost: kept between scrapes per account; an unchanged log costs a read-only open and a head read (about 1 ms for
 * the whole answer), a moved one reads, checks and folds only its new events; a full `verify` (seconds per 100k
 * events) runs on the first scrape and every `verifyEveryMs` (10 min), while each new event's link and hash are
 * checked as it is folded.
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
  const waiting = g(
    "sentinel_account_reconciliations_waiting",
    "Reconciliation reports holding the account in reducing until an operator acknowledges them.",
  );
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
      const a = f.fold;
      error.set({ account }, f.error ? 1 : 0);
      for (const [k, n] of f.orders) orders.inc({ account, state: k }, n);
      for (const [k, n] of f.denials) denials.inc({ account, rule: k }, n);
      for (const [k, n] of f.kinds) kinds.inc({ account, kind: k }, n);
      if (a.lastSeq === 0) continue;
      head.set({ account }, a.lastSeq);
      lastTs.set({ account }, a.lastTs / 1000);
      chain.set({ account }, f.chainOk ? 1 : 0);
      const e = a.equity();
      equity.set({ account }, e);
      cash.set({ account }, a.cash);
      dailyPnl.set({ account }, e - a.dailyStartEquity);
      dd.set({ account }, a.equityPeak > 0 ? Math.max(0, 1 - e / a.equityPeak) : 0);
      open.set({ account }, a.openOrders);
      waiting.set({ account }, a.waitingReconciliations.length);
      for (const st of STATES) state.set({ account, state: st }, st === a.tradingState ? 1 : 0);
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
