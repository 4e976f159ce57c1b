// Live account figures over server-sent events: GET /api/accounts/:name/stream (one account, resumable by
// Last-Event-ID) and GET /api/accounts/_stream (every account's headline figures, for the accounts list). Both read
// the audit log through read-only handles (`AuditLog.tail` / `query`), so they never block the runner's writes.
import { Hono } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import { type AccountConfig, listAccountConfigs, loadAccount } from "../accounts/mod.ts";
import { configSecrets } from "../accounts/_config.ts";
import {
  type AuditEvent,
  AuditLog,
  barsOf,
  hashEvent,
  type OpenOrder,
  openOrderOf,
  redactSecrets,
} from "../audit/mod.ts";
import { type Position, timeframeMs, type TradingState } from "../types/mod.ts";
import { AccountFold } from "./_account_fold.ts";
import { accountsDataDir, eventSummary, knownAccount, type LastBarSeen } from "./_accounts_common.ts";
import { HttpError } from "./_errors.ts";
import type { Lab } from "./_lab.ts";
import { HoldTracker, type ReconciliationHold } from "./_reconciliation_hold.ts";

/** Options of {@link liveAccountsApi}. */
export interface LiveStreamOptions {
  /** Streams served at once (account and list streams together); one more is a 429. Default 16. */
  maxStreams?: number;
  /** A `heartbeat` event after this long without news, ms. Default 15 000. */
  heartbeatMs?: number;
  /** How often a stream looks for new audit events, ms. Default 250. */
  pollMs?: number;
  /** Events in a fresh snapshot's timeline. Default 50. */
  recent?: number;
}

/** The last bar the log holds for one symbol, with the feed lag when its time says it. */
export interface LiveBar extends LastBarSeen {
  /** `seenAt` minus the bar's close time (open + one timeframe); null for a timeframe this build cannot size. */
  lagMs: number | null;
}

/** What an account stream carries after each batch of audit events: the log's figures up to `seq`. */
export interface LiveFigures {
  account: string;
  /** Seq and time of the last event folded (0 and null before any). */
  seq: number;
  ts: number | null;
  equity: number;
  cash: number;
  startingCash: number;
  /** Equity minus equity at the start of the last event's UTC day. */
  dailyPnl: number;
  equityPeak: number;
  /** Below the equity peak, a fraction (0.1 = 10 %). */
  drawdown: number;
  tradingState: TradingState;
  positions: (Position & { mark: number })[];
  openOrders: OpenOrder[];
  /** Per symbol, sorted by symbol. */
  lastBars: LiveBar[];
  /** Submission to the broker's first answer (acknowledged, a fill or a rejection), from the events' times. */
  orderLatency: { lastMs: number; meanMs: number; count: number } | null;
  /** Every event folded was checked: its seq follows, its link is the previous hash, its hash is its content's. */
  chain: { ok: boolean; firstBadSeq: number | null };
  /**
   * Reconciliation reports holding the account in `reducing` until an operator acknowledges them (`POST
   * /api/accounts/:name/ack`, `deno task risk ack`); null when none waits.
   */
  reconciliationHold: ReconciliationHold | null;
}

/** One account's headline figures, as the accounts list shows them. */
export interface LiveSummary {
  account: string;
  seq: number;
  equity: number;
  cash: number;
  dailyPnl: number;
  drawdown: number;
  tradingState: TradingState;
  openOrders: number;
  chainOk: boolean;
  /** Reconciliation reports waiting for an operator's acknowledgement (0: no hold). */
  reconciliationsWaiting: number;
}

const GENESIS = "0".repeat(64);
const LATENCY_WINDOW = 64;
// One SSE message holds at most this many events; a longer backlog (a resume after a long absence) goes out as
// several updates, each with the figures at its last event.
const BATCH = 500;
const PAGE = 5_000;

/** An account folded from its log (AccountFold's money arithmetic) plus what a live page needs beyond /metrics. */
class LiveAccount {
  readonly fold = new AccountFold();
  readonly #hold = new HoldTracker();
  readonly #orders = new Map<string, OpenOrder>();
  readonly #bars = new Map<string, LiveBar>();
  readonly #submitted = new Map<string, number>();
  readonly #latency = new Float64Array(LATENCY_WINDOW);
  #latencyCount = 0;
  #latencyLast = 0;
  #lastHash = GENESIS;
  #firstBad: number | null = null;

  apply(e: AuditEvent): void {
    if (this.#firstBad === null && (e.seq !== this.fold.lastSeq + 1 || e.prevHash !== this.#lastHash)) {
      this.#firstBad = e.seq;
    }
    if (this.#firstBad === null && hashEvent(e) !== e.hash) this.#firstBad = e.seq;
    this.#lastHash = e.hash;
    this.fold.apply(e);
    this.#hold.apply(e);
    // Open orders as replay keeps them (same steps, same statuses), so the stream's list equals replay's.
    switch (e.kind) {
      case "bar":
      case "bars": {
        const tf = e.payload.timeframe;
        let tfMs: number | null = null;
        try {
          tfMs = timeframeMs(tf);
        } catch {
          // A timeframe this build cannot size only loses the lag.
        }
        for (const b of barsOf(e)) {
          this.#bars.set(b.symbol, {
            symbol: b.symbol,
            timeframe: b.timeframe,
            ts: b.ts,
            close: b.close,
            seenAt: e.ts,
            seq: e.seq,
            lagMs: tfMs === null ? null : e.ts - (b.ts + tfMs),
          });
        }
        return;
      }
      case "order_intent": {
        this.#orders.set(e.payload.clientOrderId, openOrderOf(e));
        return;
      }
      case "risk_verdict": {
        const o = this.#orders.get(e.payload.clientOrderId);
        if (!e.payload.ok) this.#orders.delete(e.payload.clientOrderId);
        else if (o && o.status === "intent") o.status = "approved";
        return;
      }
      case "order_submitted": {
        const o = this.#orders.get(e.payload.clientOrderId);
        if (o) o.status = "submitted";
        this.#submitted.set(e.payload.clientOrderId, e.ts);
        return;
      }
      case "order_acknowledged": {
        const o = this.#orders.get(e.payload.clientOrderId);
        if (o) {
          if (o.status !== "partially_filled") o.status = "acknowledged";
          o.exchangeOrderId = e.payload.exchangeOrderId;
        }
        this.#answered(e.payload.clientOrderId, e.ts);
        return;
      }
      case "order_partially_filled":
      case "order_filled": {
        const o = this.#orders.get(e.payload.clientOrderId);
        if (e.kind === "order_filled") this.#orders.delete(e.payload.clientOrderId);
        else if (o) {
          o.filledQty += e.payload.qty;
          o.status = "partially_filled";
        }
        this.#answered(e.payload.clientOrderId, e.ts);
        return;
      }
      case "order_rejected":
      case "order_cancelled":
      case "order_expired":
      case "order_dry_run":
        this.#orders.delete(e.payload.clientOrderId);
        this.#answered(e.payload.clientOrderId, e.ts);
        return;
    }
  }

  #answered(clientOrderId: string, ts: number): void {
    const sent = this.#submitted.get(clientOrderId);
    if (sent === undefined) return;
    // Only the first answer times the round trip; later fills are the market's pace, not the broker's.
    this.#submitted.delete(clientOrderId);
    this.#latencyLast = ts - sent;
    this.#latency[this.#latencyCount % LATENCY_WINDOW] = this.#latencyLast;
    this.#latencyCount++;
  }

  figures(account: string): LiveFigures {
    const f = this.fold;
    const equity = f.equity();
    const n = Math.min(this.#latencyCount, LATENCY_WINDOW);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.#latency[i]!;
    return {
      account,
      seq: f.lastSeq,
      ts: f.lastSeq === 0 ? null : f.lastTs,
      equity,
      cash: f.cash,
      startingCash: f.startingCash,
      dailyPnl: equity - f.dailyStartEquity,
      equityPeak: f.equityPeak,
      drawdown: f.equityPeak > 0 ? Math.max(0, 1 - equity / f.equityPeak) : 0,
      tradingState: f.tradingState,
      positions: f.positions(),
      openOrders: [...this.#orders.values()].map((o) => ({ ...o })),
      lastBars: [...this.#bars.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0)),
      orderLatency: n === 0 ? null : { lastMs: this.#latencyLast, meanMs: sum / n, count: this.#latencyCount },
      chain: { ok: this.#firstBad === null, firstBadSeq: this.#firstBad },
      reconciliationHold: this.#hold.hold(),
    };
  }

  summary(account: string): LiveSummary {
    const f = this.fold;
    const equity = f.equity();
    return {
      account,
      seq: f.lastSeq,
      equity,
      cash: f.cash,
      dailyPnl: equity - f.dailyStartEquity,
      drawdown: f.equityPeak > 0 ? Math.max(0, 1 - equity / f.equityPeak) : 0,
      tradingState: f.tradingState,
      openOrders: f.openOrders,
      chainOk: this.#firstBad === null,
      reconciliationsWaiting: this.fold.waitingReconciliations.length,
    };
  }

  /**
   * Folds the log's events up to `toSeq` (default: its head), giving the event loop a turn between pages: a connect
   * to a long log must not stall the lab's other requests for its whole fold.
   */
  async forward(log: AuditLog, toSeq = Infinity): Promise<void> {
    while (this.fold.lastSeq < toSeq) {
      const limit = Math.min(PAGE, toSeq - this.fold.lastSeq);
      const page = log.query({ afterSeq: this.fold.lastSeq, limit });
      for (const e of page) this.apply(e);
      if (page.length < limit) return;
      await new Promise((r) => setTimeout(r, 0));
    }
  }
}

/**
 * The strings a stream must never carry: the lab token and the account's webhook URLs, their parts and header
 * values (lib/accounts' own list). A config that no longer parses is read leniently for them: a runner cannot use it,
 * but its URLs may still sit in old reason texts.
 */
function streamSecrets(lab: Lab, name: string): string[] {
  const out = lab.token ? [lab.token] : [];
  let config: AccountConfig | null = null;
  try {
    config = loadAccount({ dataDir: accountsDataDir(lab), name }).config;
  } catch {
    try {
      const raw = JSON.parse(Deno.readTextFileSync(`${accountsDataDir(lab)}/_accounts/${name}/account.json`));
      const hooks = Array.isArray(raw?.notify?.webhooks) ? raw.notify.webhooks : [];
      const webhooks = hooks
        .filter((w: unknown) => typeof (w as { url?: unknown })?.url === "string")
        .map((w: { url: string; headers?: unknown }) => ({
          url: w.url,
          headers: typeof w.headers === "object" && w.headers !== null
            ? Object.fromEntries(Object.entries(w.headers).filter(([, v]) => typeof v === "string"))
            : undefined,
        }));
      config = { notify: { webhooks } } as unknown as AccountConfig;
    } catch {
      // Nothing readable: only the token is known.
    }
  }
  if (config) out.push(...configSecrets(config));
  return out.filter((s) => s.length >= 4);
}

/** An event as streams send it: scrubbed of the secrets, with the one-line summary the pages show. */
function timelineItem(e: AuditEvent, secrets: readonly string[]): AuditEvent & { summary: string } {
  const clean = redactSecrets(e, secrets);
  return { ...clean, summary: eventSummary(clean) };
}

/** A promise for the next tail item, raced with a timer that is always cleared (tests check for leaked timers). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<"timeout">((r) => (timer = setTimeout(r, ms, "timeout")))]);
  } finally {
    clearTimeout(timer);
  }
}

class Slots {
  #used = 0;
  constructor(readonly max: number) {}
  take(): void {
    if (this.#used >= this.max) {
      throw new HttpError(
        429,
        `too many live streams: this lab serves at most ${this.max} at once; close a live page (or its tab) and retry`,
        [],
        { retryAfter: 5 },
      );
    }
    this.#used++;
  }
  give(): void {
    this.#used--;
  }
}

/**
 * `GET /:name/stream` and `GET /_stream` under /api/accounts (mounted by `accountsApi`).
 *
 * **Account stream.** A `snapshot` event (id = the seq folded to): the figures ({@link LiveFigures}) and the last
 * `recent` events of the timeline; then one `update` per batch of new audit events (id = its last seq): the figures
 * after it and the events themselves; `heartbeat` events (no id) while nothing happens. A reconnect with
 * `Last-Event-ID: N` (EventSource sends it by itself) gets a `snapshot` at N with `resumedFrom: N` and no events,
 * then every event after N exactly once. An unknown account is a 404 and a malformed name a 400 before any stream.
 *
 * **List stream.** One `accounts` event with every account's {@link LiveSummary}, then one per change (the accounts
 * whose log moved), checked every `pollMs`; `heartbeat` events as above.
 *
 * Cost: a connect folds the account's log from its start (hash-checking each event: 1.6 s for 100k events, measured);
 * afterwards only new events are read. Streams are bounded (`maxStreams`, a 429 naming the bound beyond) because each
 * holds a read-only database handle and a poll timer. A new event reaches the client within `pollMs` (250 ms
 * measured). Payloads are scrubbed of the lab token and the account's webhook URLs (the log's own scrub only knows the
 * secrets of the process that wrote it).
 */
export function liveAccountsApi(lab: Lab, options: LiveStreamOptions = {}): Hono {
  const slots = new Slots(options.maxStreams ?? 16);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const pollMs = options.pollMs ?? 250;
  const recent = options.recent ?? 50;
  const dataDir = accountsDataDir(lab);
  const app = new Hono();

  app.get("/_stream", (c) => {
    slots.take();
    return streamSSE(c, async (stream) => {
      const stop = new AbortController();
      stream.onAbort(() => stop.abort());
      const live = new Map<string, LiveAccount>();
      // Handles stay open between polls (a read-only WAL reader holds no lock between statements).
      const logs = new Map<string, AuditLog>();
      try {
        let first = true;
        let quietSince = Date.now();
        while (!stop.signal.aborted) {
          const changed: LiveSummary[] = [];
          const names = listAccountConfigs({ dataDir }).map((a) => a.name);
          for (const name of live.keys()) {
            if (names.includes(name)) continue;
            live.delete(name);
            logs.get(name)?.close();
            logs.delete(name);
          }
          for (const name of names) {
            let a = live.get(name);
            const fresh = a === undefined;
            if (a === undefined) live.set(name, a = new LiveAccount());
            try {
              let log = logs.get(name);
              if (log === undefined) logs.set(name, log = AuditLog.open({ dataDir, account: name, readOnly: true }));
              const before = a.fold.lastSeq;
              await a.forward(log);
              if (fresh || a.fold.lastSeq !== before) changed.push(a.summary(name));
            } catch {
              // No log yet (or unreadable): the list shows what its page shows, the stream has nothing to add; the
              // next poll opens it afresh.
              logs.get(name)?.close();
              logs.delete(name);
            }
          }
          if (first || changed.length) {
            await stream.writeSSE({ event: "accounts", data: JSON.stringify({ accounts: changed, all: first }) });
            first = false;
            quietSince = Date.now();
          } else if (Date.now() - quietSince >= heartbeatMs) {
            await stream.writeSSE({ event: "heartbeat", data: JSON.stringify({ ts: Date.now() }) });
            quietSince = Date.now();
          }
          await sleep(pollMs, stop.signal);
        }
      } finally {
        for (const log of logs.values()) log.close();
        slots.give();
      }
    });
  });

  app.get("/:name/stream", (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    const lastId = c.req.header("last-event-id");
    const resumeFrom = lastId !== undefined && /^\d{1,15}$/.test(lastId.trim()) ? Number(lastId.trim()) : null;
    // Opened before the stream starts, so an unreadable log is an error answer, not a silently empty stream.
    const log = AuditLog.open({ dataDir, account: name, readOnly: true });
    try {
      slots.take();
    } catch (e) {
      log.close();
      throw e;
    }
    return streamSSE(c, async (stream) => {
      const stop = new AbortController();
      stream.onAbort(() => stop.abort());
      try {
        await accountStream(stream, log, name, resumeFrom, stop.signal);
      } finally {
        stop.abort();
        log.close();
        slots.give();
      }
    });
  });

  async function accountStream(
    stream: SSEStreamingApi,
    log: AuditLog,
    name: string,
    resumeFrom: number | null,
    signal: AbortSignal,
  ): Promise<void> {
    let secrets = streamSecrets(lab, name);
    const a = new LiveAccount();
    // A Last-Event-ID beyond the head (the log was replaced) cannot be resumed: a fresh snapshot instead.
    const resume = resumeFrom !== null && resumeFrom <= log.head().seq ? resumeFrom : null;
    await a.forward(log, resume ?? Infinity);
    const events = resume === null
      ? log.query({ afterSeq: Math.max(0, a.fold.lastSeq - recent), limit: recent })
        .filter((e) => e.seq <= a.fold.lastSeq)
        .map((e) => timelineItem(e, secrets))
      : [];
    await stream.writeSSE({
      event: "snapshot",
      id: String(a.fold.lastSeq),
      data: JSON.stringify({ figures: a.figures(name), events, resumedFrom: resume }),
      retry: 2_000,
    });
    const tail = log.tail({ afterSeq: a.fold.lastSeq, signal, pollMs })[Symbol.asyncIterator]();
    let next = tail.next();
    while (!signal.aborted) {
      const first = await within(next, heartbeatMs);
      if (first === "timeout") {
        await stream.writeSSE({ event: "heartbeat", data: JSON.stringify({ ts: Date.now(), seq: a.fold.lastSeq }) });
        continue;
      }
      if (first.done) return;
      const batch = [first.value];
      next = tail.next();
      // What the tail already read comes through microtasks; a timer turn means it went back to polling.
      const turn = new Promise<"turn">((r) => setTimeout(r, 0, "turn"));
      while (batch.length < BATCH) {
        const got = await Promise.race([next, turn]);
        if (got === "turn" || got.done) break;
        batch.push(got.value);
        next = tail.next();
      }
      await turn;
      let reload = false;
      for (const e of batch) {
        a.apply(e);
        if (e.kind === "config_change" && e.payload.target === "account") reload = true;
      }
      if (reload) secrets = streamSecrets(lab, name);
      await stream.writeSSE({
        event: "update",
        id: String(a.fold.lastSeq),
        data: JSON.stringify({ figures: a.figures(name), events: batch.map((e) => timelineItem(e, secrets)) }),
      });
    }
    // Lets the tail's generator finish (it returns on the aborted signal) so its statement is released.
    await tail.return(undefined);
  }

  return app;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
