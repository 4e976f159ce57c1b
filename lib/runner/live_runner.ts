import { type AuditEvent, type AuditEventInput, AuditLog } from "../audit/mod.ts";
import { type BacktestOptions, parseBacktestOptions } from "../backtest/mod.ts";
import { entryUnits } from "../backtest/_costs.ts";
import { actionEnter, actionExit, signalAction } from "../backtest/_signal_action.ts";
import { resolveDataDir } from "../fs/mod.ts";
import { type RiskConfig, riskConfigHash, RiskSession, type Verdict } from "../risk/mod.ts";
import { type Fill, type OrderIntent, timeframeMs } from "../types/mod.ts";
import type { Broker, BrokerTrade, OrderUpdate, SubmitResult } from "./broker.ts";
import { EventBus } from "./event_bus.ts";
import type { Feed, FeedBar } from "./feed.ts";
import { gatherReconcile, type LogEvent, logViewOf, type ReconcileReport } from "./reconcile.ts";
import { acquireRunnerLock } from "./runner_lock.ts";
import { RunnerStateError } from "./runner_state_error.ts";
import type { SleeveState } from "./paper_runner.ts";
import type { SleeveSpec } from "./sleeve.ts";
import { type BarSignals, StrategyStepper } from "./strategy_stepper.ts";
import { LiveBook } from "./_live_book.ts";
import {
  checkBatch,
  feedBarsOf,
  FLATTEN_ON_KILL,
  isBudgetStop,
  LLM_BUDGET_REASON,
  recordBatch,
  signalEvent,
  sleeveKey,
  sleevesBySymbol,
  sortBatch,
  verdictEvent,
} from "./_runner_batch.ts";
import { ackedSeq, operatorAck, publishDurable, ruleEventOf } from "./_runner_operator.ts";

/** Options of {@link LiveRunner.open}. */
export interface LiveRunnerOptions {
  account: string;
  /** Data dir of the account's audit log. Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
  /** What the account trades; ids must be unique. */
  sleeves: readonly SleeveSpec[];
  risk: RiskConfig;
  /** The account's starting cash (split evenly over sleeves whose options give no `cash`). */
  startingCash: number;
  /** ccxt timeframe of the bars. */
  timeframe: string;
  /** The exchange (a {@link CcxtBroker}); the runner never closes it. */
  broker: Broker;
  /**
   * Send real orders. False (the default): a dry run on live data; every approved order is logged as an
   * `order_dry_run` (what it would have sent) and nothing reaches the broker's `submit`.
   */
  armed?: boolean;
  /**
   * Base-unit step every order is rounded down to, overriding the exchange's. Default: each market's step as the
   * broker announces it ({@link Broker.market}; Binance's LOT_SIZE), else 0.00001.
   */
  lotStep?: number;
  /** How often open orders are polled and the operator's commands read between bars (ms). Default 250. */
  pollMs?: number;
  /** Wall clock. Default `Date.now`. */
  clock?: () => number;
  bus?: EventBus;
  /** Strings never to store (API keys): redacted by the audit log. */
  secrets?: readonly string[];
  runId?: string;
}

/** One sleeve's state: the paper runner's shape; `position` is in base units, net of fees charged in the base. */
export type LiveSleeveState = SleeveState;

/** What {@link LiveRunner.run} reports. */
export interface LiveRunSummary {
  runId: string;
  reason: string;
  batches: number;
  bars: number;
  /** Orders sent (or re-sent after a reconciliation) by this process; 0 in a dry run. */
  sent: number;
  /** Orders a dry run would have sent. */
  dryRun: number;
  denied: number;
  fills: number;
  reconciliations: number;
  equity: number;
}

interface Sleeve {
  spec: SleeveSpec;
  key: string;
  o: BacktestOptions;
  stepper: StrategyStepper;
  book: LiveBook;
  n: number;
  lastClose: number;
  /** Its market's lot step: orders are whole multiples of it, and less than one step held is flat. */
  lot: number;
  /** The signals `pushAsync` answered for this batch's bar (strategies with `prepare` only). */
  ready: Readonly<BarSignals> | null;
}

interface Pending {
  intent: OrderIntent;
  sleeve: Sleeve;
  verdict?: Verdict;
  /** The first attempt's stamp, already durable as an `order_submitted` in the intent's transaction. */
  stamp?: number;
}

type Step =
  | { kind: "batch"; bars: FeedBar[]; now: number }
  | { kind: "fill"; event: AuditEvent }
  | { kind: "operator"; event: AuditEvent }
  | { kind: "reconciliation"; event: AuditEvent };

const OPERATOR_KINDS = ["pause", "resume", "kill", "operator_ack"] as const;

/**
 * The live runner: the paper loop ({@link PaperRunner}'s order of work per batch, its strategy stepping, risk
 * session, audit log and bus) with an exchange {@link Broker} and a live {@link Feed}.
 *
 * Per batch of closed bars: operator commands are read; the bars are recorded, equity marked, each sleeve's strategy
 * decides, and every intent with its risk verdict is appended in ONE transaction before the broker sees an order
 * (C1). A strategy with an asynchronous `prepare` (an LLM agent) is awaited before the bars are recorded, with the
 * sleeve's position, while no fill can move the books (the order pump waits), then the batch runs as above.
 * Approved market orders are sent right after (no simulated next-open fill). Each attempt's `order_submitted`
 * (the signed request's stamp as its time) is durable before the attempt leaves, so a restarted runner knows until
 * when the order may still appear: the first attempt's rides in C1 itself (its stamp passed to `submit`, one fsync
 * fewer on the way from bar to order), a later attempt's is appended by the broker's `beforeAttempt` hook. Fills come from the broker's updates (polled every
 * `pollMs`): each partial fill moves the sleeve's book and the risk state as it comes, net of the fee in the asset
 * it was taken in.
 *
 * Reconciliation ({@link gatherReconcile}) runs on start and after any feed or broker reconnect
 * ({@link LiveRunner.requestReconcile}): fills the log lacks are applied and logged, open orders tracked, an order
 * that never arrived re-sent under the same client id; its report is a `reconciliation` event, and a mismatch holds
 * the account in `reducing` (exits only) until an operator's `operator_ack` names that event.
 *
 * Unarmed (the default) it is a dry run: every approved order is logged as `order_dry_run` (what would have been
 * sent; it ends the intent, so no reconciliation looks it up and no restart sends it) and `submit` is never called.
 *
 * Crash safety: on open, the log is re-executed in order (bars batches, fills, operator commands at the place the
 * runner acknowledged them, reconciliations), which rebuilds strategies, books and risk state exactly. Approved
 * intents with no `order_submitted` were never sent: within one timeframe of their decision they are sent now, older
 * ones are logged as cancelled. Intents with an `order_submitted` and no outcome are left to the start
 * reconciliation (looked up by client id, never re-sent blindly).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { noLimitsRiskConfig } from "../risk/mod.ts";
 * import { smaCross } from "../strategies/mod.ts";
 * import { startFakeExchange } from "../testing/mod.ts";
 * import { CcxtBroker } from "./ccxt_broker.ts";
 * import { LiveRunner } from "./live_runner.ts";
 * const credentials = { apiKey: "demo-live-key", secret: "demo-live-secret" };
 * const fake = await startFakeExchange({ symbols: ["X/USDT"], prices: { "X/USDT": 10 }, account: { ...credentials, balances: { USDT: 1_000 } } });
 * const broker = await CcxtBroker.open({ exchange: "binance", apiUrl: fake.url, credentials });
 * const dataDir = await Deno.makeTempDir();
 * const runner = await LiveRunner.open({
 *   account: "demo", dataDir, risk: noLimitsRiskConfig(), startingCash: 1_000, timeframe: "1m", broker,
 *   sleeves: [{ id: "sma", strategy: smaCross, params: { fast: 1, slow: 2 }, symbol: "X/USDT" }],
 * });
 * const bars = [10, 9, 10].map((c, i) => [{ symbol: "X/USDT", timeframe: "1m", ts: i * 60_000, open: c, high: c, low: c, close: c, volume: 1 }]);
 * const summary = await runner.run({ symbols: ["X/USDT"], timeframe: "1m", batches: async function* () { yield* bars; } });
 * assert.equal(summary.dryRun, 1); // unarmed: logged what it would have sent
 * assert.equal(fake.orders.length, 0);
 * runner.close();
 * await broker.close();
 * await fake.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export class LiveRunner {
  readonly account: string;
  readonly runId: string;
  readonly log: AuditLog;
  readonly broker: Broker;
  readonly bus: EventBus;
  readonly risk: RiskSession;
  readonly armed: boolean;
  readonly #o: LiveRunnerOptions;
  readonly #sleeves: Sleeve[];
  readonly #bySymbol: Map<string, Sleeve[]>;
  readonly #byId = new Map<string, Sleeve>();
  readonly #dataHash = new Map<string, string>();
  readonly #lastTs = new Map<string, number>();
  readonly #tfMs: number;
  #configHash = "";
  #opSeq = 0;
  readonly #applied = new Map<number, AuditEvent>();
  /** Reconciliations waiting for an operator_ack (seqs), and whether the runner's pause is the hold's. */
  #hold: number[] = [];
  #holdPaused = false;
  #flattenDue = false;
  /** Exchange balances when the account first ran live: the base of the holdings the log rebuilds. */
  #baseline: Record<string, number> | undefined;
  /** Logged intents by client id, and which have an outcome or a send attempt. */
  readonly #intents = new Map<string, OrderIntent>();
  readonly #approved = new Map<string, number>();
  readonly #attempted = new Set<string>();
  /** Serialises every broker call (the update poll, sends, reconciliations). */
  #chain: Promise<unknown> = Promise.resolve();
  #reconcileDue: "start" | "reconnect" | undefined = "start";
  #reconcileAt = 0;
  #sent = 0;
  #dry = 0;
  #denied = 0;
  #fills = 0;
  #batches = 0;
  #bars = 0;
  #reconciliations = 0;
  #unlock: () => void = () => {};
  /** Some sleeve's strategy has an asynchronous `prepare` (false: every batch is decided synchronously). */
  readonly #preparing: boolean;
  /**
   * The audit events the strategies' `prepare` emitted for the batch being decided (an agent's decisions): `#batch`
   * appends them with the batch, before its signals and intents; a recovery drops them.
   */
  #emitted: AuditEventInput[] = [];
  /** Puts an emitted event in {@link #emitted} with the batch's correlation id (set per batch by `#prepare`). */
  readonly #emit = (kind: string, payload: unknown): void => {
    this.#emitted.push(
      { kind, runId: this.runId, ts: this.#now(), correlationId: this.#emitCorr, payload } as AuditEventInput,
    );
  };
  #emitCorr = "";

  private constructor(o: LiveRunnerOptions, log: AuditLog) {
    this.#o = o;
    this.account = o.account;
    this.runId = o.runId ?? `live-${crypto.randomUUID().slice(0, 8)}`;
    this.log = log;
    this.broker = o.broker;
    this.armed = o.armed === true;
    this.bus = o.bus ?? new EventBus();
    this.#tfMs = timeframeMs(o.timeframe);
    if (o.lotStep !== undefined && !(o.lotStep > 0)) {
      throw new RangeError(`lotStep ${o.lotStep} must be > 0 (the exchange's LOT_SIZE step)`);
    }
    const ids = new Set<string>();
    const even = o.startingCash / Math.max(1, o.sleeves.filter((s) => s.options?.cash === undefined).length);
    this.#sleeves = o.sleeves.map((spec) => {
      if (ids.has(spec.id)) {
        throw new RangeError(`sleeve id ${JSON.stringify(spec.id)} is used twice: ids must be unique`);
      }
      ids.add(spec.id);
      const opts = parseBacktestOptions({ cash: even, ...spec.options, asset: spec.symbol });
      const key = sleeveKey(o.account, spec.id);
      const s: Sleeve = {
        spec,
        key,
        o: opts,
        stepper: new StrategyStepper({ strategy: spec.strategy, params: spec.params, direction: opts.direction }),
        book: new LiveBook(opts.cash),
        n: 0,
        lastClose: NaN,
        lot: o.lotStep ?? o.broker.market?.(spec.symbol)?.lotStep ?? 0.00001,
        ready: null,
      };
      this.#byId.set(key, s);
      return s;
    });
    this.#bySymbol = sleevesBySymbol(this.#sleeves);
    this.#preparing = this.#sleeves.some((s) => s.stepper.needsPrepare);
    this.risk = new RiskSession({ config: o.risk, account: o.account, cash: o.startingCash, now: 0 });
  }

  /** Opens the account's log, takes the runner lock and rebuilds the state from the log (see the class doc). */
  static async open(options: LiveRunnerOptions): Promise<LiveRunner> {
    if (options.sleeves.length === 0) {
      throw new RangeError(`account ${options.account} has no sleeve to run: promote a strategy first`);
    }
    const dataDir = resolveDataDir(options.dataDir);
    const log = AuditLog.open({ dataDir, account: options.account, secrets: options.secrets });
    let unlock = (): void => {};
    try {
      const runner = new LiveRunner(options, log);
      unlock = acquireRunnerLock({ dataDir, account: options.account, runId: runner.runId });
      runner.#unlock = unlock;
      runner.#configHash = await riskConfigHash(options.risk);
      await runner.#recover();
      return runner;
    } catch (e) {
      unlock();
      log.close();
      throw e;
    }
  }

  /** Per symbol, the open time of the last bar processed. */
  get lastBarTs(): ReadonlyMap<string, number> {
    return this.#lastTs;
  }

  /** Seqs of `reconciliation` events still waiting for an operator's `operator_ack`. */
  get unacknowledged(): readonly number[] {
    return this.#hold;
  }

  sleeves(): LiveSleeveState[] {
    return this.#sleeves.map((s) => ({
      id: s.spec.id,
      symbol: s.spec.symbol,
      strategy: s.spec.strategy.name,
      cash: s.book.cash,
      position: s.book.pos,
      entryPrice: s.book.entryPrice,
      bars: s.n,
      lastClose: s.lastClose,
    }));
  }

  equity(): number {
    let e = 0;
    for (const s of this.#sleeves) {
      e += s.book.cash + (s.book.pos !== 0 && s.lastClose === s.lastClose ? s.book.pos * s.lastClose : 0);
    }
    return e;
  }

  /** The lot step each symbol's orders are rounded down to (see {@link LiveRunnerOptions.lotStep}). */
  lotSteps(): Map<string, number> {
    return new Map(this.#sleeves.map((s) => [s.spec.symbol, s.lot]));
  }

  /** Asks for a reconciliation before the next order (a feed or broker reconnect); it runs within `pollMs`. */
  requestReconcile(trigger: "reconnect" | "start" = "reconnect"): void {
    this.#reconcileDue ??= trigger;
  }

  /**
   * Reconciles (trigger `start`), then runs the feed until it ends or the signal fires; open orders are polled
   * between bars. On the way out the orders still open are polled once more. An error is logged and rethrown.
   */
  async run(feed: Feed, options: { signal?: AbortSignal } = {}): Promise<LiveRunSummary> {
    const o = this.#o;
    this.#appendLive([{
      kind: "run_started",
      runId: this.runId,
      ts: this.#now(),
      payload: {
        mode: "live",
        ...(o.sleeves.length === 1 ? { strategy: o.sleeves[0]!.strategy.name } : {}),
        ...(o.sleeves.length === 1 && o.sleeves[0]!.codeHash ? { codeHash: o.sleeves[0]!.codeHash } : {}),
        symbols: [...this.#bySymbol.keys()].sort(),
        startingCash: o.startingCash,
        configHash: this.#configHash,
      },
    }]);
    let reason = "end of data";
    let error: unknown;
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    let pump: Promise<void> = Promise.resolve();
    try {
      await this.#serial(() => this.#maintain());
      await this.#serial(() => this.#sendUnsent());
      pump = this.#pump(stop.signal);
      for await (const batch of feed.batches({ after: this.#lastTs, signal })) {
        if (signal.aborted) break;
        this.#pollOperator();
        const approved = !this.#preparing ? this.#batch(batch, this.#now(), "live") : await this.#serial(async () => {
          await this.#prepare(batch, signal);
          return this.#batch(batch, this.#now(), "live");
        });
        await this.#serial(async () => {
          await this.#maintain();
          for (const p of approved) await this.#send(p.intent, p.stamp);
          await this.#drain();
        });
      }
      if (options.signal?.aborted) reason = "stopped";
      await this.#serial(() => this.#drain());
    } catch (e) {
      error = e;
      reason = isBudgetStop(e) ? LLM_BUDGET_REASON : "error";
    } finally {
      stop.abort();
      await pump;
    }
    // A reached LLM budget ends the run cleanly: the bar is not logged (a restart decides it again), but the
    // decisions that found the budget spent go into the log with the run's end.
    const stranded = reason === LLM_BUDGET_REASON ? this.#emitted : [];
    this.#emitted = [];
    if (reason === LLM_BUDGET_REASON) error = undefined;
    this.#appendLive([...stranded, {
      kind: "run_stopped",
      runId: this.runId,
      ts: this.#now(),
      payload: {
        reason,
        ...(error !== undefined ? { error: String((error as Error)?.message ?? error).slice(0, 4_000) } : {}),
      },
    }]);
    if (error !== undefined) throw error;
    return {
      runId: this.runId,
      reason,
      batches: this.#batches,
      bars: this.#bars,
      sent: this.#sent,
      dryRun: this.#dry,
      denied: this.#denied,
      fills: this.#fills,
      reconciliations: this.#reconciliations,
      equity: this.equity(),
    };
  }

  close(): void {
    this.log.close();
    this.#unlock();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // --- the broker side -------------------------------------------------------------------------------------------

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(fn, fn);
    this.#chain = next.catch(() => {});
    return next;
  }

  /** Between bars: operator commands, a due reconciliation, the updates of open orders. Broker failures wait. */
  async #pump(signal: AbortSignal): Promise<void> {
    const every = this.#o.pollMs ?? 250;
    while (!signal.aborted) {
      await new Promise<void>((r) => {
        const wake = (): void => {
          clearTimeout(t);
          signal.removeEventListener("abort", wake);
          r();
        };
        // Removed on every wake-up: a day of polls must not pile up listeners on the signal.
        const t = setTimeout(wake, every);
        signal.addEventListener("abort", wake, { once: true });
      });
      if (signal.aborted) break;
      this.#pollOperator();
      await this.#serial(async () => {
        try {
          await this.#maintain();
          await this.#drain();
        } catch {
          // The exchange is unreachable past the broker's retries: look again next time, then reconcile.
          this.requestReconcile("reconnect");
        }
      });
    }
  }

  /** Runs a due reconciliation (and re-sends what never arrived). */
  async #maintain(): Promise<void> {
    if (this.#reconcileDue === undefined || this.#now() < this.#reconcileAt) return;
    const trigger = this.#reconcileDue;
    // Updates of orders this process tracks go in first: the report then sees the log as it stands.
    await this.#drain();
    await this.#reconcile(trigger);
    this.#reconcileDue = undefined;
  }

  /** Polls the broker's tracked orders and logs what happened, fills applied as they come. */
  async #drain(): Promise<void> {
    if (this.broker.pending().length === 0) return;
    let updates: OrderUpdate[];
    try {
      updates = await this.broker.poll();
    } catch (e) {
      this.requestReconcile("reconnect");
      throw e;
    }
    const out: AuditEventInput[] = [];
    for (const u of updates) this.#update(u, out);
    this.#appendLive(out);
  }

  #update(u: OrderUpdate, out: AuditEventInput[]): void {
    if (u.kind === "acknowledged") this.#acknowledged(u.clientOrderId, u.exchangeOrderId, out);
    else if (u.kind === "partially_filled" || u.kind === "filled") {
      this.#filled(u.clientOrderId, u.symbol, u.trade, u.kind === "filled", out);
    } else if (u.kind === "rejected" || u.kind === "cancelled" || u.kind === "expired") {
      this.#ended(u.clientOrderId, u.kind, u.reason, out);
    }
  }

  #acknowledged(id: string, exchangeOrderId: string, out: AuditEventInput[]): void {
    out.push({
      kind: "order_acknowledged",
      runId: this.runId,
      ts: this.#now(),
      ...this.#corr(id),
      payload: { clientOrderId: id, exchangeOrderId: exchangeOrderId.slice(0, 128) },
    });
  }

  /** An execution at the exchange: logged (`complete`: the one that completes the order) and applied at once. */
  #filled(id: string, symbol: string, t: BrokerTrade, complete: boolean, out: AuditEventInput[]): void {
    const now = this.#now();
    const fill: Fill = {
      clientOrderId: id,
      symbol,
      side: t.side,
      qty: t.qty,
      price: t.price,
      fee: t.fee,
      ts: Math.floor(t.ts),
      feeAsset: t.feeAsset,
      feeAmount: t.feeAmount,
    };
    out.push({
      kind: complete ? "order_filled" : "order_partially_filled",
      runId: this.runId,
      ts: now,
      ...this.#corr(id),
      payload: fill,
    });
    this.#applyFill(fill, now, out);
  }

  #ended(id: string, state: "rejected" | "cancelled" | "expired", reason: string, out: AuditEventInput[]): void {
    out.push({
      kind: state === "rejected" ? "order_rejected" : state === "cancelled" ? "order_cancelled" : "order_expired",
      runId: this.runId,
      ts: this.#now(),
      ...this.#corr(id),
      payload: { clientOrderId: id, reason: reason.slice(0, 1_000) },
    });
  }

  #corr(clientOrderId: string): { correlationId?: string } {
    const c = this.#intents.get(clientOrderId)?.correlationId;
    return c ? { correlationId: c } : {};
  }

  /** A fill moves its sleeve's book and the risk state (null `into`: recovering, the rule events are logged). */
  #applyFill(fill: Fill, now: number, into: AuditEventInput[] | null): void {
    const sleeve = this.#byId.get(fill.clientOrderId.split("-")[0] ?? "");
    this.#fills++;
    this.risk.onFill(fill, now);
    if (sleeve === undefined) return;
    const pnl = sleeve.book.apply(fill, sleeve.lot);
    if (pnl !== undefined) this.#ruleEvent(this.risk.onTradeClosed(pnl, now), into, now);
  }

  /** Sends one approved intent (or, unarmed, logs what would have been sent). */
  async #send(intent: OrderIntent, stamp?: number): Promise<void> {
    const id = intent.clientOrderId;
    const corr = this.#corr(id);
    if (!this.armed) {
      this.#dry++;
      this.#attempted.add(id);
      this.#appendLive([{
        kind: "order_dry_run",
        runId: this.runId,
        ts: this.#now(),
        ...corr,
        payload: {
          clientOrderId: id,
          symbol: intent.symbol,
          side: intent.side,
          qty: intent.qty,
          type: intent.type,
          price: intent.price,
          reason: "dry run: the account is not armed (armed: true in its config and --arm send orders)",
        },
      }]);
      return;
    }
    this.#attempted.add(id);
    let r: SubmitResult;
    try {
      r = await this.broker.submit(
        { clientOrderId: id, symbol: intent.symbol, side: intent.side, type: "market", qty: intent.qty },
        {
          beforeAttempt: (a) => {
            if (a.stamp !== stamp) this.#appendLive([this.#submitted(id, a.stamp)]);
          },
          ...(stamp !== undefined ? { stamp } : {}),
        },
      );
    } catch (e) {
      // The broker could not do its job (unreachable past retries): the order may exist; reconcile before more.
      this.requestReconcile("reconnect");
      throw e;
    }
    if (r.status === "sent") this.#sent++;
    else if (r.status === "rejected" || r.status === "not_sent") {
      this.#appendLive([{
        kind: r.status === "rejected" ? "order_rejected" : "order_cancelled",
        runId: this.runId,
        ts: this.#now(),
        ...corr,
        payload: {
          clientOrderId: id,
          reason: `${r.status === "not_sent" ? "not sent: " : ""}${r.reason}`.slice(0, 1_000),
        },
      }]);
    } else if (r.status === "unresolved") {
      // Never sent again before its window closes: the reconciliation after it looks the order up.
      this.#reconcileDue ??= "reconnect";
      this.#reconcileAt = Math.max(this.#reconcileAt, r.resolveAfter + 1);
    }
  }

  /** An attempt about to leave with `stamp` (its time: a restart knows until when the order may still appear). */
  #submitted(id: string, stamp: number): AuditEventInput {
    return {
      kind: "order_submitted",
      runId: this.runId,
      ts: Math.floor(stamp),
      ...this.#corr(id),
      payload: { clientOrderId: id, broker: this.broker.name.slice(0, 64) },
    };
  }

  /** Approved intents the log holds no send attempt or outcome for (a crash between C1 and the send). */
  async #sendUnsent(): Promise<void> {
    for (const id of this.#approved.keys()) if (!this.#attempted.has(id)) await this.#sendIfFresh(id, "never sent");
  }

  /**
   * Sends an approved intent again or for the first time after a restart, if it was decided at most one bar ago;
   * an older one is logged as cancelled: a market order that late is not the decision any more.
   */
  async #sendIfFresh(id: string, what: string): Promise<void> {
    const now = this.#now();
    const decidedAt = this.#approved.get(id) ?? now;
    const intent = this.#intents.get(id);
    if (intent !== undefined && now - decidedAt <= this.#tfMs) return await this.#send(intent);
    this.#attempted.add(id);
    this.#appendLive([{
      kind: "order_cancelled",
      runId: this.runId,
      ts: now,
      ...this.#corr(id),
      payload: {
        clientOrderId: id,
        reason: `${what}: decided at ${new Date(decidedAt).toISOString()}, longer than one bar ago; a market ` +
          "order that late is not the decision any more",
      },
    }]);
  }

  // --- reconciliation --------------------------------------------------------------------------------------------

  async #reconcile(trigger: "start" | "reconnect"): Promise<ReconcileReport> {
    if (this.#baseline === undefined) {
      // First live start of the account: the exchange's balances are the base the log's fills are counted from.
      const b = await this.broker.balances();
      const after: Record<string, number> = {};
      for (const [asset, v] of Object.entries(b)) if (v.total !== 0) after[asset] = v.total;
      this.#baseline = after;
      this.#appendLive([{
        kind: "config_change",
        runId: this.runId,
        ts: this.#now(),
        payload: { target: "exchange_balances", after, configHash: this.#configHash },
      }]);
    }
    const view = logViewOf(this.#events(), { start: this.#baseline });
    const report = await gatherReconcile(this.broker, view);
    const out: AuditEventInput[] = [];
    const resend: string[] = [];
    const applied = new Map(view.open.map((o) => [o.clientOrderId, o.filled]));
    // An order this broker still tracks reports its own fills through the update poll: counting them here too would
    // apply them twice.
    const tracked = new Set(this.broker.pending());
    for (const r of report.orders) {
      if (tracked.has(r.clientOrderId)) continue;
      if (r.outcome === "never_arrived") {
        resend.push(r.clientOrderId);
        continue;
      }
      if (r.outcome === "pending" || r.outcome === "missing") continue;
      const order = r.order;
      let filled = applied.get(r.clientOrderId) ?? 0;
      if (!applied.has(r.clientOrderId)) this.#acknowledged(r.clientOrderId, order.exchangeOrderId, out);
      r.newFills.forEach((t, i) => {
        filled += t.qty;
        this.#filled(r.clientOrderId, t.symbol, t, i === r.newFills.length - 1 && order.state === "filled", out);
      });
      if (order.state === "cancelled" || order.state === "expired" || order.state === "rejected") {
        this.#ended(r.clientOrderId, order.state, order.reason ?? order.state, out);
      }
      this.#attempted.add(r.clientOrderId);
    }
    this.#appendLive(out);
    // Orders still open are followed by the update poll from where the log stands.
    for (const r of report.orders) {
      if (tracked.has(r.clientOrderId) || (r.outcome !== "open" && r.outcome !== "partially_filled")) continue;
      const done = (applied.get(r.clientOrderId) ?? 0) + r.newFills.reduce((s, t) => s + t.qty, 0);
      await this.broker.track(r.order.symbol, r.clientOrderId, { appliedQty: done });
    }
    const stored = this.#appendLive([{
      kind: "reconciliation",
      runId: this.runId,
      ts: this.#now(),
      payload: {
        trigger,
        broker: this.broker.name.slice(0, 64),
        ok: report.ok,
        needsAck: report.needsAck,
        tradingState: report.tradingState,
        resolved: report.orders.map((r) => ({
          clientOrderId: r.clientOrderId,
          outcome: r.outcome,
          ...("order" in r
            ? {
              exchangeOrderId: r.order.exchangeOrderId.slice(0, 128),
              filled: r.order.filled,
              newFills: r.newFills.length,
            }
            : {}),
          ...("resolveAfter" in r ? { resolveAfter: Math.floor(r.resolveAfter) } : {}),
        })),
        unknownOpenOrders: report.unknownOpenOrders.map((u) => ({
          symbol: u.symbol,
          exchangeOrderId: u.exchangeOrderId.slice(0, 128),
          exchangeClientId: u.exchangeClientId.slice(0, 128),
          side: u.side,
          type: u.type,
          qty: u.qty,
          filled: u.filled,
        })),
        balanceMismatches: report.balanceMismatches.map((m) => ({ ...m, asset: m.asset.slice(0, 32) })),
        messages: report.messages.slice(0, 1_000).map((m) => m.slice(0, 1_000)),
      },
    }]);
    this.#reconciliations++;
    if (report.needsAck && stored[0]) this.#holdOn(stored[0].seq);
    // Provably never arrived: the same client id may go again (the broker's never-twice rule).
    for (const id of resend) await this.#sendIfFresh(id, "never arrived at the exchange");
    if (report.orders.some((r) => r.outcome === "pending")) this.#reconcileDue ??= "reconnect";
    return report;
  }

  /** Every event of the log, in order (what {@link logViewOf} reads). */
  *#events(): Generator<LogEvent> {
    let after = 0;
    for (;;) {
      const page = this.log.query({ afterSeq: after, limit: 5_000 });
      if (page.length === 0) return;
      for (const e of page) {
        after = e.seq;
        yield e as LogEvent;
      }
    }
  }

  #holdOn(seq: number): void {
    this.#hold.push(seq);
    if (this.risk.tradingState === "active") {
      this.risk.pause(`reconciliation ${seq} found a mismatch: reducing until an operator acknowledges it`);
      this.#holdPaused = true;
    }
  }

  #holdAck(seq: number): void {
    if (!this.#hold.includes(seq)) return;
    this.#hold = this.#hold.filter((s) => s > seq);
    if (this.#hold.length === 0 && this.#holdPaused) {
      this.#holdPaused = false;
      if (this.risk.tradingState === "reducing") this.risk.resume();
    }
  }

  // --- one batch -------------------------------------------------------------------------------------------------

  /**
   * Checks the batch, then awaits `pushAsync` for its bar of every sleeve with `prepare` (with the sleeve's position),
   * in the order the decisions take; `#batch` then reads those signals. Nothing is recorded yet: a bad bar or a failed
   * prepare leaves the log as it was (the run stops; a restart re-executes the log).
   */
  async #prepare(bars: readonly FeedBar[], signal?: AbortSignal): Promise<void> {
    const sorted = sortBatch(bars);
    checkBatch(sorted, this.#lastTs);
    this.#emitted = [];
    this.#emitCorr = `bars:${sorted[0]?.ts}`;
    for (const bar of sorted) {
      for (const s of this.#bySymbol.get(bar.symbol) ?? []) {
        if (!s.stepper.needsPrepare) continue;
        const pos = Math.abs(s.book.pos) < s.lot ? 0 : s.book.pos;
        s.ready = await s.stepper.pushAsync(bar, {
          position: pos > 0 ? 1 : pos < 0 ? -1 : 0,
          emit: this.#emit,
          ...(signal ? { signal } : {}),
        });
      }
    }
  }

  /** Records the bars, marks, decides; appends it all in one transaction; answers the approved intents. */
  #batch(bars: readonly FeedBar[], now: number, mode: "live" | "recover"): Pending[] {
    const sorted = sortBatch(bars);
    const first = sorted[0];
    if (first === undefined) return [];
    const runId = this.runId;
    const c1: AuditEventInput[] = [];
    const batchCorr = `bars:${first.ts}`;
    checkBatch(sorted, this.#lastTs);
    c1.push(
      recordBatch(
        sorted,
        { lastTs: this.#lastTs, dataHash: this.#dataHash, risk: this.risk, tfMs: this.#tfMs },
        runId,
        now,
        batchCorr,
      ),
    );
    this.#bars += sorted.length;
    for (const bar of sorted) for (const s of this.#bySymbol.get(bar.symbol) ?? []) s.lastClose = bar.close;
    this.#ruleEvent(this.risk.markEquity(this.equity(), now), c1, now);
    if (this.#emitted.length > 0) {
      // Stamped with the batch's time, as every event of the batch.
      if (mode === "live") { for (const e of this.#emitted) c1.push({ ...e, ts: now }); }
      this.#emitted = [];
    }
    const pending: Pending[] = [];
    const flatten = this.#flattenDue;
    this.#flattenDue = false;
    for (const bar of sorted) {
      for (const s of this.#bySymbol.get(bar.symbol) ?? []) {
        s.n++;
        const sig = s.ready ?? s.stepper.push(bar);
        s.ready = null;
        const pos = Math.abs(s.book.pos) < s.lot ? 0 : s.book.pos;
        if (flatten && pos !== 0) {
          this.#intent(s, bar, pos, "f", "exit", 0, batchCorr, pending);
          continue;
        }
        const code = signalAction(pos, sig.le, sig.lx, sig.se, sig.sx);
        const exit = actionExit(code), enter = actionEnter(code);
        if (exit !== 0) {
          c1.push(signalEvent(s.spec.strategy.name, bar, pos > 0 ? "exit_long" : "exit_short", runId, now, batchCorr));
          this.#intent(s, bar, pos, "x", "exit", 0, batchCorr, pending);
        }
        if (enter !== 0) {
          c1.push(
            signalEvent(s.spec.strategy.name, bar, enter > 0 ? "enter_long" : "enter_short", runId, now, batchCorr),
          );
          this.#intent(s, bar, exit !== 0 ? 0 : pos, "e", "enter", enter, batchCorr, pending);
        }
      }
    }
    for (const p of pending) {
      c1.push({ kind: "order_intent", runId, ts: now, correlationId: batchCorr, payload: p.intent });
      const before = this.risk.tradingState;
      const v = p.intent.clientOrderId.endsWith("-f") ? FLATTEN_ON_KILL : this.risk.decide(p.intent, now);
      p.verdict = v;
      if (!v.ok) this.#denied++;
      c1.push(verdictEvent(p.intent.clientOrderId, v, runId, now, batchCorr));
      if (!v.ok && this.risk.tradingState !== before) this.#ruleEvent(v, c1, now);
    }
    const approved = pending.filter((p) => p.verdict!.ok);
    if (mode === "recover") {
      for (const p of pending) {
        if (!this.#intents.has(p.intent.clientOrderId)) {
          throw new RunnerStateError(
            `the log of account ${this.account} does not hold intent ${p.intent.clientOrderId} that the code decides now ` +
              `(bar ${new Date(p.intent.barTs).toISOString()}): the strategy, its params or the risk config changed ` +
              "since these orders were logged; promote the new version to a new account",
          );
        }
      }
      for (const p of approved) this.#approved.set(p.intent.clientOrderId, now);
    } else {
      for (const p of pending) this.#intents.set(p.intent.clientOrderId, p.intent);
      for (const p of approved) this.#approved.set(p.intent.clientOrderId, now);
      if (this.armed) {
        // The first attempt's order_submitted rides in C1: one fsync fewer between the bar and the order. Its stamp
        // is the broker's clock (the signed request's timestamp), not the runner's `now`, which a test may fake.
        const stamp = Date.now();
        for (const p of approved) {
          p.stamp = stamp;
          c1.push(this.#submitted(p.intent.clientOrderId, stamp));
        }
      }
      // C1: every decision and intent is durable before the broker sees an order.
      this.#appendLive(c1);
    }
    this.#batches++;
    return approved;
  }

  #intent(
    s: Sleeve,
    bar: FeedBar,
    pos: number,
    tag: string,
    action: "enter" | "exit",
    dir: number,
    correlationId: string,
    into: Pending[],
  ): void {
    const price = bar.close;
    let side: "buy" | "sell";
    let qty: number;
    if (action === "exit") {
      side = pos > 0 ? "sell" : "buy";
      qty = Math.abs(pos);
    } else {
      side = dir > 0 ? "buy" : "sell";
      const mul = dir > 0 ? 1 + s.o.spread / 2 + s.o.slippage : 1 - s.o.spread / 2 - s.o.slippage;
      let cash = s.book.cash;
      if (s.book.pos > 0 && tag === "e" && pos === 0) cash += s.book.pos * price * (1 - s.o.fee);
      const est = entryUnits(s.o, price * mul, cash, cash);
      qty = est > 0 ? est : 0;
    }
    // Rounded down to whole lot steps (an exit must not ask for more than is held: fees in the base asset leave
    // less than a step over, which counts as flat), with a tolerance relative to the size for binary noise: a fixed
    // 1e-9 step turned 828.70638 / 0.00001 = 82870637.99999999 into an exit one step short, and the sleeve, holding
    // that step, never entered again.
    const units = qty / s.lot;
    const steps = Math.floor(units + Math.max(1e-9, units * 1e-12));
    qty = Math.round(steps * s.lot * 1e10) / 1e10;
    if (!(qty > 0)) return;
    into.push({
      sleeve: s,
      intent: {
        clientOrderId: `${s.key}-${bar.ts.toString(36)}-${tag}`,
        account: this.account,
        strategy: s.spec.strategy.name,
        symbol: s.spec.symbol,
        side,
        qty,
        price: price > 0 ? price : 1,
        type: "market",
        reduceOnly: action === "exit",
        barTs: bar.ts,
        correlationId,
      },
    });
  }

  #ruleEvent(v: Verdict | null, into: AuditEventInput[] | null, now: number): void {
    const e = ruleEventOf(v, this.risk, this.runId, now);
    if (e === undefined) return;
    if (e.kind === "kill" && this.risk.flattenOnKill) this.#flattenDue = true;
    into?.push(e);
  }

  // --- operators, recovery, appends ------------------------------------------------------------------------------

  /**
   * Applies pause / resume / kill / operator_ack events other processes appended, each acknowledged by a
   * `config_change` (target `trading_state`, `diff.operatorSeq`) that says where it took effect, so a restarted
   * runner applies it between the same two batches.
   */
  #pollOperator(): void {
    for (;;) {
      const events = this.log.query({ afterSeq: this.#opSeq, kinds: [...OPERATOR_KINDS], limit: 1_000 });
      for (const e of events) {
        this.#opSeq = Math.max(this.#opSeq, e.seq);
        if (!isCommand(e)) continue;
        const before = this.risk.tradingState;
        this.#operator(e);
        this.#applied.set(e.seq, e);
        this.#appendLive([this.#ack(e, before)]);
      }
      if (events.length < 1_000) break;
    }
  }

  #ack(e: AuditEvent, before: string): AuditEventInput {
    return operatorAck(e, before, this.risk.tradingState, this.runId, this.#now(), this.#configHash);
  }

  #operator(e: AuditEvent): void {
    if (e.kind === "operator_ack") return this.#holdAck(e.payload.reconciliationSeq);
    if (e.kind === "pause") {
      this.risk.pause(e.payload.reason);
      this.#holdPaused = false;
    } else if (e.kind === "kill") {
      this.risk.kill(e.payload.reason);
      this.#holdPaused = false;
      if (e.payload.flatten) this.#flattenDue = true;
    } else if (e.kind === "resume") {
      if (this.risk.tradingState === "halted") this.risk.resume({ afterKill: true });
      else if (this.risk.tradingState === "reducing") this.risk.resume();
      // A resume does not acknowledge a reconciliation: the hold stays until its operator_ack.
      this.#holdPaused = false;
      if (this.#hold.length > 0 && this.risk.tradingState === "active") {
        this.risk.pause("a reconciliation is waiting for an operator_ack");
        this.#holdPaused = true;
      }
    }
  }

  /** Re-executes the log (see the class doc). */
  async #recover(): Promise<void> {
    const steps: Step[] = [];
    const commands = new Map<number, AuditEvent>();
    for (const e of this.#events() as Iterable<AuditEvent>) {
      switch (e.kind) {
        case "bars":
          steps.push({ kind: "batch", now: e.ts, bars: feedBarsOf(e) });
          break;
        case "order_intent":
          this.#intents.set(e.payload.clientOrderId, e.payload);
          break;
        case "order_submitted":
        case "order_rejected":
        case "order_cancelled":
        case "order_expired":
        case "order_dry_run":
        case "order_acknowledged":
          this.#attempted.add(e.payload.clientOrderId);
          break;
        case "order_filled":
        case "order_partially_filled":
          this.#attempted.add(e.payload.clientOrderId);
          steps.push({ kind: "fill", event: e });
          break;
        case "reconciliation":
          steps.push({ kind: "reconciliation", event: e });
          break;
        case "pause":
        case "resume":
        case "kill":
        case "operator_ack":
          this.#opSeq = Math.max(this.#opSeq, e.seq);
          if (isCommand(e)) commands.set(e.seq, e);
          break;
        case "config_change": {
          if (e.payload.target === "exchange_balances") {
            this.#baseline ??= e.payload.after as Record<string, number>;
          } else {
            const seq = ackedSeq(e);
            const cmd = seq === undefined ? undefined : commands.get(seq);
            if (cmd !== undefined) {
              commands.delete(cmd.seq);
              steps.push({ kind: "operator", event: cmd });
            }
          }
          break;
        }
      }
    }
    for (const step of steps) {
      if (step.kind === "batch") {
        if (this.#preparing) await this.#prepare(step.bars);
        this.#batch(step.bars, step.now, "recover");
      } else if (step.kind === "operator") this.#operator(step.event);
      else if (step.kind === "fill") {
        if (step.event.kind === "order_filled" || step.event.kind === "order_partially_filled") {
          this.#applyFill(step.event.payload, step.event.ts, null);
        }
      } else if (step.event.kind === "reconciliation" && step.event.payload.needsAck) {
        this.#holdOn(step.event.seq);
      }
    }
    // Commands written while no runner ran take effect now.
    for (const cmd of commands.values()) {
      const before = this.risk.tradingState;
      this.#operator(cmd);
      this.#applied.set(cmd.seq, cmd);
      this.#appendLive([this.#ack(cmd, before)]);
    }
    this.#batches =
      this.#bars =
      this.#fills =
      this.#denied =
        0;
  }

  #appendLive(events: AuditEventInput[]): AuditEvent[] {
    if (events.length === 0) return [];
    const stored = this.log.appendMany(events);
    publishDurable(this.bus, stored, this.#applied);
    return stored;
  }

  #now(): number {
    return Math.floor((this.#o.clock ?? Date.now)());
  }
}

/** An operator's command (a rule's pause or kill is the runner's own event, replayed with its batch). */
function isCommand(e: AuditEvent): boolean {
  if (e.kind === "operator_ack") return true;
  return (e.kind === "pause" || e.kind === "resume" || e.kind === "kill") && e.payload.by === "operator";
}
