import { Counter, type Registry } from "prom-client";
import type { AlertConfig } from "../accounts/mod.ts";
import { MultiNotifier, type Notification, type Notifier, redact } from "../notify/mod.ts";
import type { EventBus } from "../runner/mod.ts";
import { timeframeMs } from "../types/mod.ts";
import type { AccountSnapshot } from "./account_snapshot.ts";
import type { Alert, AlertRule } from "./alert.ts";
import { subscribeAll } from "./_bus.ts";
import type { MonitorEvent } from "./monitor_event.ts";
import { RateLimitedNotifier } from "./rate_limited_notifier.ts";
import { drawdown } from "./runner_metrics.ts";

/** Options of {@link AlertEngine}. */
export interface AlertEngineOptions {
  account: string;
  /** The account config's `alerts` block (lib/accounts' `AlertConfigSchema`, parsed); undefined: no rule. */
  config: AlertConfig | undefined;
  /** The account's notifier (lib/notify's `createNotifier`): each of its sinks gets its own rate limit. */
  notifier: Notifier;
  /** Equity, peak and day-start equity now: needed by `drawdown` and `dailyLoss`. */
  snapshot?: () => AccountSnapshot;
  /** Wall clock for deduplication, rate limits and staleness (epoch ms). Default `Date.now`. */
  clock?: () => number;
  /** Strings masked in every alert (keys, tokens); the sinks also mask their own (webhook URLs). */
  secrets?: readonly string[];
  /** Registers `sentinel_alerts_total` and `sentinel_alerts_suppressed_total` here (e.g. the runner's registry). */
  registry?: Registry;
  /** Hears every alert sent (after deduplication): e.g. a log owner's audit append. */
  onAlert?: (alert: Alert) => void;
}

/** Counters of an {@link AlertEngine}. */
export interface AlertStats {
  /** Alerts sent to the sinks (each sink then applies its rate limit). */
  fired: number;
  /** Alerts not sent: the same rule, account and key fired within the deduplication window. */
  duplicates: number;
  /** Deliveries dropped by a sink's rate limit (one alert dropped by two sinks counts 2). */
  rateLimited: number;
}

const MAX_KEYS = 10_000;

/** What {@link AlertEngine.reconciliation} reads of a report (lib/runner's `ReconcileReport`, or a logged one). */
interface ReconciliationReport {
  ok: boolean;
  messages: readonly string[];
  balanceMismatches: readonly { asset: string; expected: number; actual: number }[];
  unknownOpenOrders: readonly unknown[];
}

/**
 * Evaluates an account's alert rules ({@link AlertConfig}) on the runner's bus events and sends each alert to the
 * account's notifier sinks as a notification of kind `alert_<rule>`:
 *
 * - `drawdown` / `dailyLoss`: after each bar and fill, from the snapshot (`1 - equity / peak`,
 *   `1 - equity / dayStartEquity`) against `above`; key `account`.
 * - `feedStale`: {@link tick} (a timer; the engine's clock) finds a symbol whose next bar is `seconds` overdue (the
 *   last bar's open + 2 timeframes, i.e. the next bar's close); a `feed_stale` event, or the streaming feed's
 *   `stale` status ({@link feedStatus}), silent for at least that long fires it at once; key: the symbol (or
 *   `stream`).
 * - `orderRejected`: each `order_rejected` (key: the client order id), never an `order_dry_run` (an unarmed
 *   account's order was not refused by anyone); `reconciliationMismatch`: each
 *   `reconciliation_mismatch` event (key: what, and the symbol or order), or a failed reconciliation report
 *   ({@link reconciliation}); `killSwitch`: each `kill` (key `kill`).
 *
 * Deduplication: the same rule, account and key fires once per `dedupSeconds` (later ones are counted, not sent).
 * Rate limit: each sink passes `perSinkPerMinute` alerts a minute ({@link RateLimitedNotifier}); a console sink
 * and a webhook are limited apart, so a slow chat channel never silences the console.
 *
 * Not audit events: this engine also runs where it does not own the log (a lab, a second process), and the facts an
 * alert is about (the kill, the rejection, the verdict, the bars) are already in the log; an alert names their `seq`
 * and `correlationId`. A runner that owns its log and wants alerts there passes `onAlert`.
 *
 * Secrets: the detail of an alert is built from numbers, symbols and the event's own text (a rejection reason),
 * masked with `secrets`; every sink masks its own (webhook URLs and headers) again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConsoleSink } from "../notify/mod.ts";
 * import { AlertEngine } from "./mod.ts";
 * const lines: string[] = [];
 * let now = 0;
 * const engine = new AlertEngine({
 *   account: "paper-1",
 *   config: { dedupSeconds: 60, perSinkPerMinute: 10, killSwitch: { enabled: true, level: "kill" } },
 *   notifier: new ConsoleSink({ write: (l) => lines.push(l) }),
 *   clock: () => now,
 * });
 * const kill = {
 *   seq: 9, ts: 0, account: "paper-1", runId: "r", kind: "kill" as const, prevHash: "", hash: "",
 *   payload: { by: "operator" as const, reason: "exchange incident", flatten: false },
 * };
 * engine.observe(kill);
 * engine.observe({ ...kill, seq: 10 }); // the same alert within a minute: deduplicated
 * now = 61_000;
 * engine.observe({ ...kill, seq: 11 });
 * assert.equal(lines.length, 2);
 * assert.match(lines[0]!, /KILL paper-1 alert_kill_switch kill switch fired \(operator\): exchange incident/);
 * assert.deepEqual(engine.stats(), { fired: 2, duplicates: 1, rateLimited: 0 });
 * ```
 */
export class AlertEngine {
  readonly account: string;
  readonly config: AlertConfig | undefined;
  readonly notifier: Notifier;
  readonly #clock: () => number;
  readonly #snapshot: (() => AccountSnapshot) | undefined;
  readonly #secrets: readonly string[];
  readonly #onAlert: ((a: Alert) => void) | undefined;
  readonly #last = new Map<string, number>();
  readonly #feeds = new Map<string, { openMs: number; tfMs: number }>();
  readonly #tfMs = new Map<string, number>();
  readonly #recent: Alert[] = [];
  readonly #fired: Counter<"account" | "rule"> | undefined;
  readonly #suppressed: Counter<"account" | "rule" | "reason"> | undefined;
  #stats: AlertStats = { fired: 0, duplicates: 0, rateLimited: 0 };

  constructor(options: AlertEngineOptions) {
    const c = options.config;
    this.account = options.account;
    this.config = c;
    this.#clock = options.clock ?? Date.now;
    this.#snapshot = options.snapshot;
    this.#secrets = options.secrets ?? [];
    this.#onAlert = options.onAlert;
    if ((c?.drawdown?.enabled || c?.dailyLoss?.enabled) && options.snapshot === undefined) {
      throw new TypeError(
        `account ${options.account}: the drawdown and dailyLoss alerts need the runner's equity: pass snapshot`,
      );
    }
    if (options.registry) {
      this.#fired = new Counter({
        name: "sentinel_alerts_total",
        help: "Alerts sent to the notifier sinks, by rule.",
        labelNames: ["account", "rule"] as const,
        registers: [options.registry],
      });
      this.#suppressed = new Counter({
        name: "sentinel_alerts_suppressed_total",
        help: "Alerts not delivered: duplicate (same rule and key within the window) or rate_limited (per sink).",
        labelNames: ["account", "rule", "reason"] as const,
        registers: [options.registry],
      });
    }
    const sinks = options.notifier instanceof MultiNotifier ? options.notifier.sinks : [options.notifier];
    const perMinute = c?.perSinkPerMinute ?? 10;
    this.notifier = new MultiNotifier(sinks.map((s) =>
      new RateLimitedNotifier(s, {
        perMinute,
        clock: this.#clock,
        onDrop: (n) => {
          this.#stats.rateLimited++;
          this.#suppressed?.inc({ account: this.account, rule: n.kind.replace(/^alert_/, ""), reason: "rate_limited" });
        },
      })
    ));
  }

  /** Subscribes to every event type of the bus; returns the unsubscribe function. */
  attach(bus: EventBus): () => void {
    return subscribeAll(bus, (e) => this.observe(e));
  }

  /** Evaluates the rules on one durable event (what {@link attach} calls for each bus event). */
  observe(e: MonitorEvent): void {
    const c = this.config;
    if (c === undefined) return;
    switch (e.kind) {
      case "bars":
      case "bar": {
        const tf = e.payload.timeframe;
        let tfMs = this.#tfMs.get(tf);
        if (tfMs === undefined) this.#tfMs.set(tf, tfMs = timeframeMs(tf));
        const openMs = e.payload.ts;
        if (e.kind === "bar") this.#feed(e.payload.symbol, openMs, tfMs);
        else for (let i = 0; i < e.payload.bars.length; i++) this.#feed(e.payload.bars[i]!.symbol, openMs, tfMs);
        this.#money(e);
        return;
      }
      case "order_filled":
      case "order_partially_filled":
        this.#money(e);
        return;
      case "order_rejected":
        if (c.orderRejected?.enabled) {
          this.#fire(e, "order_rejected", c.orderRejected.level, e.payload.clientOrderId, {
            title: `order rejected: ${e.payload.clientOrderId}`,
            detail: e.payload.reason,
          });
        }
        return;
      case "kill":
        if (c.killSwitch?.enabled) {
          this.#fire(e, "kill_switch", c.killSwitch.level, "kill", {
            title: `kill switch fired (${e.payload.by}${e.payload.rule ? ` rule ${e.payload.rule}` : ""})`,
            detail: `${e.payload.reason}${e.payload.flatten ? "; flattening every position" : ""}`,
          });
        }
        return;
      case "feed_stale":
        this.#stream(e, e.payload);
        return;
      case "reconciliation_mismatch":
        this.#mismatch(e, e.payload);
        return;
      case "reconciliation":
        this.#report(e, { ...e.payload, messages: e.payload.messages ?? [] });
        return;
    }
  }

  /**
   * Takes a feed's status report (the streaming feed's `onStatus`): `{ kind: "stale", silentMs }`, a stream without
   * a message for that long, fires `feedStale` when it is beyond the rule's seconds; other kinds are ignored.
   */
  feedStatus(status: { kind: string; silentMs?: number; symbol?: string; exchange?: string }): void {
    if (status.kind !== "stale" || typeof status.silentMs !== "number") return;
    this.#stream(undefined, {
      silentMs: status.silentMs,
      ...(status.symbol ? { symbol: status.symbol } : {}),
      ...(status.exchange ? { exchange: status.exchange } : {}),
    });
  }

  /**
   * Takes a reconciliation's report (lib/runner's `reconcile`: `ok`, `balanceMismatches`, `unknownOpenOrders`,
   * `messages`), for a report that is not logged; a logged `reconciliation` event on the bus is observed the same
   * way. Nothing when `ok`; else one alert per asset whose balance differs (key `balance:ASSET`) and one for the
   * rest of the findings (key `orders`), each deduplicated as usual.
   */
  reconciliation(report: ReconciliationReport): void {
    this.#report(undefined, report);
  }

  /** A report, from the method or from a logged `reconciliation` event on the bus (then the alert names its seq). */
  #report(e: MonitorEvent | undefined, report: ReconciliationReport): void {
    const rule = this.config?.reconciliationMismatch;
    if (report.ok || !rule?.enabled) return;
    for (const b of report.balanceMismatches) {
      this.#mismatch(e, {
        what: "balance",
        symbol: b.asset,
        detail: `the exchange holds ${b.actual} ${b.asset}, the log ${b.expected}`,
      });
    }
    const others = report.messages.filter((m) => !report.balanceMismatches.some((b) => m.includes(b.asset)));
    if (report.unknownOpenOrders.length > 0 || others.length > 0 || report.balanceMismatches.length === 0) {
      this.#mismatch(e, {
        what: "orders",
        detail: (others.length > 0 ? others : report.messages).join("; ") || "the exchange and the log disagree",
      });
    }
  }

  /**
   * Checks feed staleness at `now` (default: the clock): every symbol whose next bar (due at its close, the last
   * bar's open plus two timeframes) is more than `feedStale.seconds` late alerts. Call it from a timer.
   */
  tick(now: number = this.#clock()): void {
    const rule = this.config?.feedStale;
    if (!rule?.enabled) return;
    const limitMs = rule.seconds * 1000;
    for (const [symbol, f] of this.#feeds) {
      const late = now - (f.openMs + 2 * f.tfMs);
      if (late > limitMs) {
        this.#fire(undefined, "feed_stale", rule.level, symbol, {
          title: `feed stale: ${symbol}`,
          detail: `no closed bar since the one opened at ${new Date(f.openMs).toISOString()}; the next is ${
            Math.round(late / 1000)
          } s overdue (limit ${rule.seconds} s)`,
          value: late / 1000,
          threshold: rule.seconds,
        });
      }
    }
  }

  /**
   * Runs {@link tick} every `intervalMs` (default 1 s) until disposed; nothing when no `feedStale` rule is on. The
   * timer does not keep the process alive.
   */
  startTimer(intervalMs = 1_000): Disposable {
    if (!this.config?.feedStale?.enabled) return { [Symbol.dispose]: () => {} };
    const id = setInterval(() => this.tick(), intervalMs);
    Deno.unrefTimer(id);
    return { [Symbol.dispose]: () => clearInterval(id) };
  }

  /** The last 100 alerts sent, oldest first. */
  recent(): readonly Alert[] {
    return this.#recent;
  }

  stats(): AlertStats {
    return { ...this.#stats };
  }

  #feed(symbol: string, openMs: number, tfMs: number): void {
    const f = this.#feeds.get(symbol);
    if (f === undefined) this.#feeds.set(symbol, { openMs, tfMs });
    else if (openMs >= f.openMs) {
      f.openMs = openMs;
      f.tfMs = tfMs;
    }
  }

  #mismatch(
    e: MonitorEvent | undefined,
    p: { what: string; detail: string; symbol?: string; clientOrderId?: string },
  ): void {
    const rule = this.config?.reconciliationMismatch;
    if (!rule?.enabled) return;
    const about = p.symbol ?? p.clientOrderId;
    this.#fire(e, "reconciliation_mismatch", rule.level, `${p.what}:${about ?? ""}`, {
      title: `reconciliation mismatch: ${p.what}${about ? ` ${about}` : ""}`,
      detail: `${p.detail}; the account stays reducing until an operator acknowledges it`,
    });
  }

  #stream(
    e: MonitorEvent | undefined,
    p: { symbol?: string; exchange?: string; silentMs: number; reason?: string },
  ): void {
    const rule = this.config?.feedStale;
    if (!rule?.enabled || p.silentMs < rule.seconds * 1000) return;
    const what = p.symbol ?? (p.exchange ? `${p.exchange} stream` : "stream");
    this.#fire(e, "feed_stale", rule.level, p.symbol ?? "stream", {
      title: `feed stale: ${what}${p.symbol && p.exchange ? ` on ${p.exchange}` : ""}`,
      detail: `no message for ${Math.round(p.silentMs / 1000)} s${p.reason ? `: ${p.reason}` : ""}`,
      value: p.silentMs / 1000,
      threshold: rule.seconds,
    });
  }

  #money(e: MonitorEvent): void {
    const c = this.config!;
    const dd = c.drawdown, dl = c.dailyLoss;
    if (!dd?.enabled && !dl?.enabled) return;
    const s = this.#snapshot!();
    if (dd?.enabled) {
      const v = drawdown(s);
      if (v > dd.above) {
        this.#fire(e, "drawdown", dd.level, "account", {
          title: `drawdown ${pct(v)} beyond ${pct(dd.above)}`,
          detail: `equity ${s.equity.toFixed(2)} vs peak ${s.equityPeak.toFixed(2)}`,
          value: v,
          threshold: dd.above,
        });
      }
    }
    if (dl?.enabled && s.dayStartEquity > 0) {
      const v = Math.max(0, 1 - s.equity / s.dayStartEquity);
      if (v > dl.above) {
        this.#fire(e, "daily_loss", dl.level, "account", {
          title: `daily loss ${pct(v)} beyond ${pct(dl.above)}`,
          detail: `equity ${s.equity.toFixed(2)} vs ${s.dayStartEquity.toFixed(2)} at the start of the UTC day`,
          value: v,
          threshold: dl.above,
        });
      }
    }
  }

  #fire(
    e: MonitorEvent | undefined,
    rule: AlertRule,
    level: Alert["level"],
    key: string,
    what: { title: string; detail: string; value?: number; threshold?: number },
  ): void {
    const now = this.#clock();
    const dedupKey = `${rule}\0${key}`;
    const last = this.#last.get(dedupKey);
    if (last !== undefined && now - last < this.config!.dedupSeconds * 1000) {
      this.#stats.duplicates++;
      this.#suppressed?.inc({ account: this.account, rule, reason: "duplicate" });
      return;
    }
    // Re-inserted so the map's first key is the oldest: bounded memory under a storm of distinct keys.
    this.#last.delete(dedupKey);
    if (this.#last.size >= MAX_KEYS) this.#last.delete(this.#last.keys().next().value!);
    this.#last.set(dedupKey, now);
    const alert: Alert = {
      rule,
      account: this.account,
      key: redact(key, this.#secrets).slice(0, 128),
      level,
      ts: now,
      title: redact(what.title, this.#secrets).slice(0, 200),
      detail: redact(what.detail, this.#secrets).slice(0, 4_000),
      ...(what.value !== undefined ? { value: what.value } : {}),
      ...(what.threshold !== undefined ? { threshold: what.threshold } : {}),
      ...(e ? { seq: e.seq } : {}),
      ...(e?.correlationId ? { correlationId: e.correlationId } : {}),
    };
    this.#stats.fired++;
    this.#fired?.inc({ account: this.account, rule });
    if (this.#recent.length >= 100) this.#recent.shift();
    this.#recent.push(alert);
    const n: Notification = {
      ts: Math.max(0, Math.floor(now)),
      account: this.account,
      level,
      kind: `alert_${rule}`,
      title: alert.title || rule,
      detail: alert.detail,
      ...(alert.correlationId ? { correlationId: alert.correlationId.slice(0, 128) } : {}),
      data: {
        rule,
        key: alert.key,
        ...(alert.value !== undefined && Number.isFinite(alert.value) ? { value: alert.value } : {}),
        ...(alert.threshold !== undefined ? { threshold: alert.threshold } : {}),
        ...(alert.seq !== undefined ? { seq: alert.seq } : {}),
      },
    };
    this.notifier.notify(n);
    try {
      this.#onAlert?.(alert);
    } catch {
      // A listener's failure must not reach the trading path.
    }
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)} %`;
}
