// JSON under /api/accounts: the accounts, one account's status, its audit events (paged), its equity curve, the
// runner's state, its promotions, the operator's pause / resume / kill and reconciliation ack, and the live streams. Helpers the pages
// share with this API and the streams are in _accounts_common.ts.
import { Hono } from "hono";
import { z } from "zod";
import {
  accountStatus,
  ackReconciliation,
  killAccount,
  type OperatorResult,
  pauseAccount,
  resumeAccount,
} from "../accounts/mod.ts";
import {
  AUDIT_KINDS,
  type AuditEvent,
  type AuditEventOf,
  type AuditKind,
  AuditLog,
  barsOf,
  type EquitySeries,
  equitySeries,
} from "../audit/mod.ts";
import { decimate } from "../plots/mod.ts";
import { readRunnerLock } from "../runner/mod.ts";
import { timeframeMs } from "../types/mod.ts";
import { accountRows, accountsDataDir, knownAccount, type LastBarSeen } from "./_accounts_common.ts";
import { liveAccountsApi } from "./_accounts_live.ts";
import { HttpError } from "./_errors.ts";
import type { Lab } from "./_lab.ts";
import { HoldTracker, type ReconciliationHold } from "./_reconciliation_hold.ts";
import { zv } from "./_validate.ts";

/** The operator commands the lab offers. */
export type OperatorAction = "pause" | "resume" | "kill";

/** Form and JSON body of the operator commands (one schema: unknown fields refused). */
export const OperatorBodySchema = z.strictObject({
  reason: z.string().trim().max(500).optional().describe("why (recorded in the event)"),
  confirmAccount: z.string().max(100).optional().describe("resume after a kill: the account name typed again"),
  flatten: z.boolean().optional().describe("kill: ask the runner to close every position"),
});

const REASON_NEEDED =
  "a reason is required: say what you checked or did about the reconciliation report (it is recorded as the " +
  "ack's note)";

/** JSON body of the reconciliation acknowledgement (`deno task risk ack`'s flags; unknown fields refused). */
export const AckBodySchema = z.strictObject({
  reason: z.string().trim().min(1, REASON_NEEDED).max(500).describe("what was checked or done (the ack's note)"),
  reconciliationSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe(
    "the reconciliation event acknowledged, with every earlier one waiting (default: the latest waiting)",
  ),
  operator: z.string().trim().min(1).max(128).optional().describe("who acknowledges (a name or handle)"),
});

/** The same fields as an HTML form sends them (text; an empty optional field is absent). */
export const AckFormSchema = z.strictObject({
  reason: z.string().trim().min(1, REASON_NEEDED).max(500),
  reconciliationSeq: z.union([
    z.literal(""),
    z.string().trim().regex(/^[1-9]\d{0,15}$/, "the reconciliation's seq: a whole number >= 1"),
  ]).optional(),
  operator: z.string().trim().max(128).optional(),
});

/**
 * Acknowledges the account's reconciliation hold with lib/accounts' `ackReconciliation` (what `deno task risk ack`
 * calls). Nothing waiting is a 409 (an ack that changes nothing is refused rather than logged); a seq that is not
 * waiting is the library's RangeError (400, naming the ones that are).
 */
export function runAck(lab: Lab, name: string, body: z.output<typeof AckBodySchema>): OperatorResult {
  const r = ackReconciliation({
    dataDir: accountsDataDir(lab),
    name,
    reason: body.reason,
    ...(body.reconciliationSeq !== undefined ? { reconciliationSeq: body.reconciliationSeq } : {}),
    ...(body.operator ? { operator: body.operator } : {}),
  });
  if (!r.changed) {
    const why = r.tradingState === "active"
      ? "it is active"
      : r.tradingState === "halted"
      ? "it is halted by a kill (resume it with its name typed again)"
      : "it is reducing because of a pause (resume lifts that)";
    throw new HttpError(
      409,
      `nothing to acknowledge: no reconciliation of ${name} is waiting for an operator; ${why}. Reload the account ` +
        "page to see its state",
    );
  }
  return r;
}

/** Runs one operator command on a known account. */
export function runOperator(
  lab: Lab,
  name: string,
  action: OperatorAction,
  body: z.output<typeof OperatorBodySchema>,
): OperatorResult {
  const dataDir = accountsDataDir(lab);
  const reason = body.reason ? body.reason : undefined;
  if (action === "pause") return pauseAccount({ dataDir, name, reason });
  if (action === "kill") return killAccount({ dataDir, name, reason, flatten: body.flatten });
  const confirm = body.confirmAccount?.trim();
  return resumeAccount({ dataDir, name, reason, confirmAccount: confirm ? confirm : undefined });
}

const EventsQuerySchema = z.strictObject({
  afterSeq: z.coerce.number().int().min(0).optional().describe("events with seq above this (the paging cursor)"),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe("most events (default 100)"),
  kind: z.enum(AUDIT_KINDS as [AuditKind, ...AuditKind[]]).optional().describe("one event kind"),
});

/**
 * What the audit log and the runner lock say of the account's runner. `running`: a live process holds the account's
 * runner lock (`readRunnerLock`); `crashed`: the last `run_started` has no `run_stopped` and nobody holds the lock
 * (the next start recovers from the log); `stopped`; `never`: no run yet. `stale` flags a running runner whose last
 * event is older than 3 bar intervals.
 */
export interface RunnerState {
  state: "running" | "crashed" | "stopped" | "never";
  /** The last run's id, mode and start. */
  runId: string | null;
  mode: "paper" | "live" | "replay" | null;
  strategy: string | null;
  symbols: string[];
  startedAt: number | null;
  /** The last `run_stopped`'s time and reason (of the last run when stopped, of an earlier one when running). */
  stoppedAt: number | null;
  stopReason: string | null;
  /** The error the last `run_stopped` carried, if any. */
  lastError: string | null;
  lastEventTs: number | null;
  lastEventSeq: number;
  /** Bar interval from the last bar's timeframe (null before the first bar). */
  timeframe: string | null;
  barIntervalMs: number | null;
  /** Running, and the last event is older than 3 bar intervals at `now`: the runner may be stuck or dead. */
  stale: boolean;
  /** Age of the last event at `now`, ms. */
  lastEventAgeMs: number | null;
  now: number;
  /** Per symbol, sorted by symbol. */
  lastBars: LastBarSeen[];
}

/** One `promotion` event of the account, as the pages and the API show it. */
export interface PromotionRow {
  seq: number;
  ts: number;
  runId: string;
  strategy: string;
  codeHash: string;
  params: AuditEventOf<"promotion">["payload"]["params"];
  market: string | null;
  symbol: string | null;
  timeframe: string | null;
  evidenceRunIds: string[];
  /** The checklist's summary recorded with the event (older events carry none). */
  gates: { name: string; ok: boolean; evidence?: string }[] | null;
  payload: AuditEventOf<"promotion">["payload"];
  url: string;
}

/** Everything the account page needs from the log beyond accountStatus, read in one pass. */
export interface AccountTimeline {
  equity: EquitySeries;
  runner: RunnerState;
  promotions: PromotionRow[];
  /** Reconciliation reports waiting for an operator's acknowledgement; null when none waits. */
  hold: ReconciliationHold | null;
}

// A runner not heard from for this many bar intervals is flagged.
const STALE_BARS = 3;

/** A promotion event as a row (the checklist's `gates` when it carries them). */
export function promotionRow(account: string, e: AuditEventOf<"promotion">): PromotionRow {
  const p = e.payload;
  const gates = (p as { gates?: { name: string; ok: boolean; evidence?: string }[] }).gates;
  return {
    seq: e.seq,
    ts: e.ts,
    runId: e.runId,
    strategy: p.strategy,
    codeHash: p.codeHash,
    params: p.params,
    market: p.market ?? null,
    symbol: p.symbol ?? null,
    timeframe: p.timeframe ?? null,
    evidenceRunIds: [...p.evidenceRunIds],
    gates: gates ? gates.map((g) => ({ ...g })) : null,
    payload: p,
    url: `/accounts/${account}/promotions/${e.seq}`,
  };
}

/**
 * The account's equity curve, runner state and promotions from one pass over its audit log. `now` (default the
 * wall clock) is what staleness is measured against.
 */
export function accountTimeline(lab: Lab, name: string, now: number = Date.now()): AccountTimeline {
  using log = AuditLog.open({ dataDir: accountsDataDir(lab), account: name, readOnly: true });
  let lastStart: AuditEventOf<"run_started"> | null = null;
  let lastStop: AuditEventOf<"run_stopped"> | null = null;
  let last: AuditEvent | null = null;
  const bars = new Map<string, LastBarSeen>();
  const promotions: PromotionRow[] = [];
  const hold = new HoldTracker();
  function* tap(events: Iterable<AuditEvent>): Generator<AuditEvent> {
    for (const e of events) {
      last = e;
      hold.apply(e);
      if (e.kind === "run_started") lastStart = e;
      else if (e.kind === "run_stopped") lastStop = e;
      else if (e.kind === "bar" || e.kind === "bars") {
        for (const p of barsOf(e)) {
          const b = bars.get(p.symbol);
          if (b) {
            b.timeframe = p.timeframe;
            b.ts = p.ts;
            b.close = p.close;
            b.seenAt = e.ts;
            b.seq = e.seq;
          } else {
            bars.set(p.symbol, {
              symbol: p.symbol,
              timeframe: p.timeframe,
              ts: p.ts,
              close: p.close,
              seenAt: e.ts,
              seq: e.seq,
            });
          }
        }
      } else if (e.kind === "promotion") promotions.push(promotionRow(name, e));
      yield e;
    }
  }
  const equity = equitySeries(tap(log.events()));
  return {
    equity,
    runner: runnerState(
      lastStart,
      lastStop,
      last,
      bars,
      now,
      readRunnerLock({ dataDir: accountsDataDir(lab), account: name }) !== null,
    ),
    promotions,
    hold: hold.hold(),
  };
}

function runnerState(
  start: AuditEventOf<"run_started"> | null,
  stop: AuditEventOf<"run_stopped"> | null,
  last: AuditEvent | null,
  bars: Map<string, LastBarSeen>,
  now: number,
  locked: boolean,
): RunnerState {
  const open = start !== null && (stop === null || stop.seq < start.seq);
  const running = open && locked;
  const lastBars = [...bars.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  let newest: LastBarSeen | null = null;
  for (const b of lastBars) if (newest === null || b.seq > newest.seq) newest = b;
  let barIntervalMs: number | null = null;
  try {
    barIntervalMs = newest ? timeframeMs(newest.timeframe) : null;
  } catch {
    // A timeframe this build cannot size (a broker's own word) only loses the staleness hint.
  }
  const age = last === null ? null : now - last.ts;
  return {
    state: running ? "running" : open ? "crashed" : start === null ? "never" : "stopped",
    runId: start?.runId ?? null,
    mode: start?.payload.mode ?? null,
    strategy: start?.payload.strategy ?? null,
    symbols: start?.payload.symbols ? [...start.payload.symbols] : [],
    startedAt: start?.ts ?? null,
    stoppedAt: stop?.ts ?? null,
    stopReason: stop?.payload.reason ?? null,
    lastError: stop?.payload.error ?? null,
    lastEventTs: last?.ts ?? null,
    lastEventSeq: last?.seq ?? 0,
    timeframe: newest?.timeframe ?? null,
    barIntervalMs,
    stale: running && age !== null && barIntervalMs !== null && age > STALE_BARS * barIntervalMs,
    lastEventAgeMs: age,
    now,
    lastBars,
  };
}

/** The account's equity curve with its drawdown (on the full series), decimated (M4) to about `points` points. */
export interface EquityJson {
  /** Points in the full series. */
  points: number;
  /** Whether the arrays below are decimated. */
  decimated: boolean;
  ts: number[];
  equity: number[];
  cash: number[];
  /** Drawdown below the running peak as a negative fraction (0 at a high). */
  drawdown: number[];
}

/** Drawdown below the running peak of equity, as a negative fraction. */
export function drawdownOf(equity: Float64Array): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    const v = equity[i]!;
    if (v > peak) peak = v;
    out[i] = peak > 0 && v < peak ? v / peak - 1 : 0;
  }
  return out;
}

/** Whether times are non-decreasing (the figures and M4 decimation need them so). */
export function ordered(ts: Float64Array): boolean {
  for (let i = 1; i < ts.length; i++) if (!(ts[i]! >= ts[i - 1]!)) return false;
  return true;
}

/** The equity series as JSON, decimated to at most `4 * ceil(points / 4)` points when longer. */
export function equityJson(s: EquitySeries, points: number): EquityJson {
  const dd = drawdownOf(s.equity);
  const n = s.ts.length;
  // M4 keeps 4 points per bucket; unordered times (two runs whose clocks disagree) are served whole.
  const idx = n > points && ordered(s.ts) ? decimate(s.ts, s.equity, { buckets: Math.ceil(points / 4) }) : null;
  const pick = (a: Float64Array): number[] => idx ? Array.from(idx, (i) => a[i]!) : Array.from(a);
  return {
    points: n,
    decimated: idx !== null,
    ts: pick(s.ts),
    equity: pick(s.equity),
    cash: pick(s.cash),
    drawdown: pick(dd),
  };
}

const EquityQuerySchema = z.strictObject({
  points: z.coerce.number().int().min(16).max(100_000).optional().describe(
    "most points served (M4-decimated beyond; default 2000)",
  ),
});

/** The account's promotions, oldest first (the log's promotion events only: no full pass). */
export function accountPromotions(lab: Lab, name: string): PromotionRow[] {
  using log = AuditLog.open({ dataDir: accountsDataDir(lab), account: name, readOnly: true });
  const out: PromotionRow[] = [];
  let after = 0;
  while (true) {
    const page = log.query({ kind: "promotion", afterSeq: after, limit: 1_000 });
    for (const e of page) if (e.kind === "promotion") out.push(promotionRow(name, e));
    if (page.length < 1_000) return out;
    after = page[page.length - 1]!.seq;
  }
}

const PromotionSeqSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** The promotion event at `seq`, or a 404 naming the account's promotions. */
export function promotionAt(lab: Lab, name: string, seqText: string): PromotionRow {
  const r = PromotionSeqSchema.safeParse(seqText);
  if (!r.success) {
    throw new HttpError(400, `invalid promotion seq ${JSON.stringify(seqText)}`, [{
      path: ["seq"],
      message: "the seq of a promotion event: a whole number >= 1",
    }]);
  }
  using log = AuditLog.open({ dataDir: accountsDataDir(lab), account: name, readOnly: true });
  const [e] = log.query({ afterSeq: r.data - 1, limit: 1 });
  if (e?.seq === r.data && e.kind === "promotion") return promotionRow(name, e);
  const seqs = log.query({ kind: "promotion", limit: 1_000 }).map((p) => p.seq);
  throw new HttpError(
    404,
    `account ${name} has no promotion at seq ${r.data}; its promotions are at seq ${
      seqs.length ? seqs.join(", ") : "none (promote with `deno task promote`)"
    }`,
  );
}

/** JSON under /api/accounts, and the live streams (`/_stream`, `/:name/stream`: see _accounts_live.ts). */
export function accountsApi(lab: Lab): Hono {
  const app = new Hono();
  app.route("/", liveAccountsApi(lab));

  app.get("/", (c) =>
    c.json({
      accounts: accountRows(lab).map((r) => ({
        name: r.summary.name,
        kind: r.summary.kind ?? null,
        quote: r.summary.quote ?? null,
        tradingState: r.status?.tradingState ?? null,
        equity: r.status?.equity ?? null,
        cash: r.status?.cash ?? null,
        chainOk: r.status ? r.status.audit.ok : null,
        error: r.error ?? r.summary.error ?? null,
        url: `/accounts/${r.summary.name}`,
      })),
    }));

  app.get("/:name", (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    return c.json(accountStatus({ dataDir: accountsDataDir(lab), name }));
  });

  app.get("/:name/events", zv("query", EventsQuerySchema), (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    const q = c.req.valid("query");
    const limit = q.limit ?? 100;
    using log = AuditLog.open({ dataDir: accountsDataDir(lab), account: name, readOnly: true });
    // One more than asked tells whether there is a next page.
    const got = log.query({ afterSeq: q.afterSeq ?? 0, limit: limit + 1, ...(q.kind ? { kind: q.kind } : {}) });
    const events = got.slice(0, limit);
    const more = got.length > limit;
    return c.json({ events, nextAfterSeq: more ? events[events.length - 1]!.seq : null });
  });

  app.get("/:name/equity", zv("query", EquityQuerySchema), (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    return c.json(equityJson(accountTimeline(lab, name).equity, c.req.valid("query").points ?? 2_000));
  });

  app.get("/:name/runner", (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    return c.json(accountTimeline(lab, name).runner);
  });

  app.get("/:name/promotions", (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    return c.json({ promotions: accountPromotions(lab, name) });
  });

  app.get("/:name/promotions/:seq", (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    return c.json(promotionAt(lab, name, c.req.param("seq")));
  });

  for (const action of ["pause", "resume", "kill"] as const) {
    app.post(`/:name/${action}`, zv("json", OperatorBodySchema), (c) => {
      const name = knownAccount(lab, c.req.param("name"));
      return c.json(runOperator(lab, name, action, c.req.valid("json")));
    });
  }

  app.post("/:name/ack", zv("json", AckBodySchema), (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    return c.json(runAck(lab, name, c.req.valid("json")));
  });
  return app;
}
