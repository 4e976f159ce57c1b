import { type AuditEvent, type AuditEventInput, AuditLog } from "../audit/mod.ts";
import { type BacktestOptions, parseBacktestOptions } from "../backtest/mod.ts";
import { entryUnits } from "../backtest/_costs.ts";
import { actionEnter, actionExit, signalAction } from "../backtest/_signal_action.ts";
import { resolveDataDir } from "../fs/mod.ts";
import { type RiskConfig, riskConfigHash, RiskSession, type Verdict } from "../risk/mod.ts";
import { type OrderIntent, timeframeMs } from "../types/mod.ts";
import { EventBus } from "./event_bus.ts";
import type { Feed, FeedBar } from "./feed.ts";
import { type BrokerOrder, type BrokerOutcome, SimulatedBroker } from "./sim_broker.ts";
import type { SleeveSpec } from "./sleeve.ts";
import { type BarSignals, StrategyStepper } from "./strategy_stepper.ts";
import { acquireRunnerLock } from "./runner_lock.ts";
import { RunnerStateError } from "./runner_state_error.ts";
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

/** Options of {@link PaperRunner.open}. */
export interface PaperRunnerOptions {
  account: string;
  /** Data dir of the account's audit log and broker store. Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
  /** What the account trades; ids must be unique. */
  sleeves: readonly SleeveSpec[];
  /** The account's risk config. */
  risk: RiskConfig;
  /** Starting cash of the account (split evenly over sleeves whose options give no `cash`). */
  startingCash: number;
  /** `replay`: time is the bars' (each batch is decided at its bars' close time); `paper`: the wall clock. */
  mode: "paper" | "replay";
  /** ccxt timeframe of the bars. */
  timeframe: string;
  /** Wall clock for `paper` mode. Default `Date.now`. */
  clock?: () => number;
  /** Subscribers to the durable events. */
  bus?: EventBus;
  /** Strings never to store (API keys, tokens): redacted by the audit log. */
  secrets?: readonly string[];
  /** Run id of this process's run. Default: a random one. */
  runId?: string;
}

/** One sleeve's state. */
export interface SleeveState {
  id: string;
  symbol: string;
  strategy: string;
  cash: number;
  /** Signed units. */
  position: number;
  entryPrice: number;
  /** Bars seen. */
  bars: number;
  lastClose: number;
}

/** What {@link PaperRunner.run} reports when it returns. */
export interface RunSummary {
  runId: string;
  /** Why it stopped: `end of data`, `stopped` (signal), or the error. */
  reason: string;
  batches: number;
  bars: number;
  /** Orders sent to the broker by this process (adoptions of orders sent before a crash not counted). */
  sent: number;
  /** Order intents the risk engine denied in this process. */
  denied: number;
  fills: number;
  equity: number;
}

/** Progress callback payload for replays. */
export interface RunProgress {
  batches: number;
  bars: number;
  ts: number;
  equity: number;
}

interface Sleeve {
  spec: SleeveSpec;
  key: string;
  o: BacktestOptions;
  stepper: StrategyStepper;
  /** Bars seen: the index of the next bar. */
  n: number;
  lastClose: number;
  /** The signals `pushAsync` answered for this batch's bar (strategies with `prepare` only). */
  ready: Readonly<BarSignals> | null;
}

/** An intent waiting for its verdict and the broker. */
interface Pending {
  intent: OrderIntent;
  order: BrokerOrder;
  verdict?: Verdict;
}

/** How a batch is processed. */
interface BatchMode {
  /** `live`: append and send; `recover`: rebuild memory from a batch already in the log. */
  kind: "live" | "recover";
  now: number;
}

/**
 * The paper runner: one event loop from a {@link Feed} through each sleeve's strategy, the risk engine, the
 * simulated broker and the portfolio to the account's audit log, on a typed {@link EventBus}.
 *
 * Per batch of closed bars (one open time), in this order, the backtester's: (1) the bars are recorded (`bar`
 * events with a rolling SHA-256 of every bar the symbol has seen, so the log proves which data a decision saw); (2)
 * the broker fills the orders decided on the previous bar at this bar's open and checks resting stops; (3) equity is
 * marked and the account rules run (a rule pause or kill is an event; a kill with `flattenOnKill` closes every
 * position at the next decision); (4) each sleeve's strategy reads the bar and its signals become order intents
 * (deterministic client ids: account, sleeve, bar), each decided by the risk engine (a strategy with an
 * asynchronous `prepare`, an LLM agent, is awaited first, with the sleeve's position after (2); nothing is appended
 * while it runs). All of that is appended in one transaction (one fsync) BEFORE the broker sees any order; then the
 * broker takes the approved orders (fills at the close for `fill: "close"`) and `order_submitted` and those fills
 * are appended. Subscribers hear of an event only after it is durable.
 *
 * Crash safety: state is never written anywhere but the log (and the broker's own order store). On open, the runner
 * re-executes every batch in its log (same bars, same decision times, operator pauses and kills at their place in
 * the log), which rebuilds strategies, books and risk state exactly; for the last batch, an approved intent without
 * `order_submitted` is looked up at the broker by client id (adopted if it arrived, sent if it did not), never sent
 * blindly. An intent regenerated differently from the log (the code changed) stops the runner with an error.
 *
 * Operators: pause, resume and kill events written by other processes (`deno task risk`, the lab) are read from the
 * log between batches and applied at that batch boundary; once the runner's acknowledgement is durable the command
 * itself is published on the bus (`agent_state_change`), for the monitor's kill alert and trading-state gauge.
 */
export class PaperRunner {
  readonly account: string;
  readonly runId: string;
  readonly log: AuditLog;
  readonly broker: SimulatedBroker;
  readonly bus: EventBus;
  readonly risk: RiskSession;
  readonly #o: PaperRunnerOptions;
  readonly #sleeves: Sleeve[];
  readonly #bySymbol: Map<string, Sleeve[]>;
  readonly #dataHash = new Map<string, string>();
  readonly #tfMs: number;
  /** Highest seq of a pause / resume / kill event looked at (operator commands are applied once). */
  #opSeq = 0;
  /** Operator commands applied whose acknowledgement is not durable yet, by seq: published on the bus once it is. */
  readonly #applied = new Map<number, AuditEvent>();
  /** Events computed but not yet appended (group commit in replays; see `#append`). */
  #buffer: AuditEventInput[] = [];
  #lastFlush = 0;
  #flattenDue = false;
  #lastTs = new Map<string, number>();
  #sent = 0;
  #denied = 0;
  #fills = 0;
  #batches = 0;
  #bars = 0;
  #configHash = "";
  /** Ids in the log at open: intents, and intents with an outcome at the broker (submitted/filled/...). */
  #loggedIntents = new Set<string>();
  #loggedSubmitted = new Set<string>();
  #unlock: () => void = () => {};
  /** Some sleeve's strategy has an asynchronous `prepare` (false: every batch is decided synchronously). */
  readonly #preparing: boolean;
  /** The running `run`'s signal, handed to `prepare`. */
  #signal: AbortSignal | undefined;
  /** The decision events of a batch an LLM budget stop cut short: logged with `run_stopped`. */
  #stranded: AuditEventInput[] = [];

  private constructor(o: PaperRunnerOptions, log: AuditLog, broker: SimulatedBroker) {
    this.#o = o;
    this.account = o.account;
    this.runId = o.runId ?? `paper-${crypto.randomUUID().slice(0, 8)}`;
    this.log = log;
    this.broker = broker;
    this.bus = o.bus ?? new EventBus();
    this.#tfMs = timeframeMs(o.timeframe);
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
        n: 0,
        lastClose: NaN,
        ready: null,
      };
      broker.addSleeve(spec.id, spec.symbol, opts);
      return s;
    });
    this.#bySymbol = sleevesBySymbol(this.#sleeves);
    this.#preparing = this.#sleeves.some((s) => s.stepper.needsPrepare);
    this.risk = new RiskSession({ config: o.risk, account: o.account, cash: o.startingCash, now: 0 });
  }

  /**
   * Opens the account's log and broker store and rebuilds the runner's state by re-executing the batches in the log
   * (see the class doc). Throws when the log does not verify or when the code no longer produces the logged intents.
   */
  static async open(options: PaperRunnerOptions): Promise<PaperRunner> {
    if (options.sleeves.length === 0) {
      throw new RangeError(`account ${options.account} has no sleeve to run: promote a strategy first`);
    }
    const dataDir = resolveDataDir(options.dataDir);
    const log = AuditLog.open({ dataDir, account: options.account, secrets: options.secrets });
    let broker: SimulatedBroker | undefined;
    let unlock = (): void => {};
    try {
      broker = SimulatedBroker.open({ dataDir, account: options.account });
      const runner = new PaperRunner(options, log, broker);
      unlock = acquireRunnerLock({ dataDir, account: options.account, runId: runner.runId });
      runner.#unlock = unlock;
      runner.#configHash = await riskConfigHash(options.risk);
      await runner.#recover();
      return runner;
    } catch (e) {
      unlock();
      log.close();
      broker?.close();
      throw e;
    }
  }

  /** Per symbol, the open time of the last bar processed (where the feed resumes). */
  get lastBarTs(): ReadonlyMap<string, number> {
    return this.#lastTs;
  }

  /** Each sleeve's cash, position and bars seen. */
  sleeves(): SleeveState[] {
    return this.#sleeves.map((s) => {
      const b = this.broker.book(s.spec.id);
      return {
        id: s.spec.id,
        symbol: s.spec.symbol,
        strategy: s.spec.strategy.name,
        cash: b.cash,
        position: b.pos,
        entryPrice: b.entryPrice,
        bars: s.n,
        lastClose: s.lastClose,
      };
    });
  }

  /** Account equity: every sleeve's cash plus its position at the last close. */
  equity(): number {
    let e = 0;
    for (const s of this.#sleeves) {
      const b = this.broker.book(s.spec.id);
      e += b.cash + (b.pos !== 0 && s.lastClose === s.lastClose ? b.pos * s.lastClose : 0);
    }
    return e;
  }

  /**
   * Runs the feed until it ends (a replay: `run_stopped` "end of data", orders still waiting are cancelled) or the
   * signal fires (`run_stopped` "stopped"). An error is logged in `run_stopped` and rethrown.
   */
  async run(
    feed: Feed,
    options: { signal?: AbortSignal; onProgress?: (p: RunProgress) => void } = {},
  ): Promise<RunSummary> {
    const o = this.#o;
    // A replay's clock is its bars': the run starts at the first batch's decision time (or where the last run ended).
    let started = false;
    const start = (ts: number): void => {
      if (started) return;
      started = true;
      this.#append([{
        kind: "run_started",
        runId: this.runId,
        ts,
        payload: {
          mode: o.mode === "replay" ? "replay" : "paper",
          ...(o.sleeves.length === 1 ? { strategy: o.sleeves[0]!.strategy.name } : {}),
          ...(o.sleeves.length === 1 && o.sleeves[0]!.codeHash ? { codeHash: o.sleeves[0]!.codeHash } : {}),
          symbols: [...this.#bySymbol.keys()].sort(),
          startingCash: o.startingCash,
          configHash: this.#configHash,
        },
      }]);
      this.#flush();
    };
    if (o.mode !== "replay" || this.#lastTs.size > 0) start(this.#now(undefined));
    let reason = "end of data";
    let error: unknown;
    this.#signal = options.signal;
    try {
      for await (const batch of feed.batches({ after: this.#lastTs, signal: options.signal })) {
        if (options.signal?.aborted) break;
        const now = this.#now(batch);
        start(now);
        this.#pollOperator();
        const decided = this.#batch(batch, { kind: "live", now });
        if (decided !== undefined) await decided;
        options.onProgress?.({
          batches: this.#batches,
          bars: this.#bars,
          ts: batch[0]?.ts ?? 0,
          equity: this.equity(),
        });
      }
      if (options.signal?.aborted) reason = "stopped";
      else if (o.mode === "replay") this.#cancelWaiting("end of data");
    } catch (e) {
      error = e;
      reason = isBudgetStop(e) ? LLM_BUDGET_REASON : "error";
    }
    this.#signal = undefined;
    start(this.#now(undefined));
    this.#flush();
    const stranded = this.#stranded;
    this.#stranded = [];
    const stopped = this.#appendLive([...stranded, {
      kind: "run_stopped",
      runId: this.runId,
      ts: this.#now(undefined),
      payload: {
        reason,
        ...(error !== undefined ? { error: String((error as Error)?.message ?? error).slice(0, 4_000) } : {}),
      },
    }]).slice(stranded.length);
    // A budget stop is a clean end (the reason and the message are in the log), not a failure.
    if (reason === LLM_BUDGET_REASON) error = undefined;
    if (reason === "end of data" && stopped[0]) this.bus.emit("backtest_complete", stopped[0]);
    if (error !== undefined) throw error;
    return {
      runId: this.runId,
      reason,
      batches: this.#batches,
      bars: this.#bars,
      sent: this.#sent,
      denied: this.#denied,
      fills: this.#fills,
      equity: this.equity(),
    };
  }

  close(): void {
    this.log.close();
    this.broker.close();
    this.#unlock();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // --- one batch -------------------------------------------------------------------------------------------------

  /**
   * Steps (1) to (3), then the decisions and the broker: synchronously, or after awaiting the `prepare` of the
   * sleeves that have one (the answer is then a promise) once the bar's fills give their positions.
   */
  #batch(bars: readonly FeedBar[], mode: BatchMode): void | Promise<void> {
    const now = mode.now;
    const sorted = sortBatch(bars);
    const c1: AuditEventInput[] = [];
    const runId = this.runId;
    // (1) bars: one `bars` event for the batch (one open time, one row whatever the number of symbols)
    const first = sorted[0];
    if (first === undefined) return;
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
    // (2) fills at this open and stops
    for (const bar of sorted) {
      for (const s of this.#bySymbol.get(bar.symbol) ?? []) {
        const outcomes = this.broker.onBar(s.spec.id, bar, s.n);
        for (const out of outcomes) this.#outcome(out, c1, now, out.correlationId ?? batchCorr);
      }
    }
    // (3) mark
    for (const bar of sorted) {
      for (const s of this.#bySymbol.get(bar.symbol) ?? []) if (bar.close === bar.close) s.lastClose = bar.close;
    }
    this.#ruleEvent(this.risk.markEquity(this.equity(), now), c1, now);
    if (!this.#preparing) return this.#decide(sorted, c1, mode, batchCorr);
    // The strategies' own audit events (an agent's decisions) join the batch, before the signals and intents they
    // lead to, with its correlation id. Recovering, they are computed again and dropped with the rest of `c1`.
    const emit = (kind: string, payload: unknown): void => {
      c1.push({ kind, runId, ts: now, correlationId: batchCorr, payload } as AuditEventInput);
    };
    return this.#prepare(sorted, emit).then(
      () => this.#decide(sorted, c1, mode, batchCorr),
      (e) => {
        // A reached LLM budget ends the run cleanly: the bar is not logged (a restart decides it again), but the
        // decisions that found the budget spent go into the log with the run's end.
        if (isBudgetStop(e) && mode.kind === "live") this.#stranded = c1.filter((x) => x.kind === "decision");
        throw e;
      },
    );
  }

  /** Awaits `pushAsync` for this batch's bar of every sleeve with `prepare`, in the order the decisions take. */
  async #prepare(sorted: readonly FeedBar[], emit: (kind: string, payload: unknown) => void): Promise<void> {
    for (const bar of sorted) {
      for (const s of this.#bySymbol.get(bar.symbol) ?? []) {
        if (!s.stepper.needsPrepare) continue;
        const pos = this.broker.book(s.spec.id).pos;
        s.ready = await s.stepper.pushAsync(bar, {
          position: pos > 0 ? 1 : pos < 0 ? -1 : 0,
          emit,
          ...(this.#signal ? { signal: this.#signal } : {}),
        });
      }
    }
  }

  /** (4) decisions and (5) the broker. */
  #decide(sorted: readonly FeedBar[], c1: AuditEventInput[], mode: BatchMode, batchCorr: string): void {
    const now = mode.now;
    const runId = this.runId;
    // (4) decisions
    const pending: Pending[] = [];
    const flatten = this.#flattenDue;
    this.#flattenDue = false;
    for (const bar of sorted) {
      for (const s of this.#bySymbol.get(bar.symbol) ?? []) {
        const i = s.n;
        s.n++;
        const sig = s.ready ?? s.stepper.push(bar);
        s.ready = null;
        const book = this.broker.book(s.spec.id);
        const c = batchCorr;
        if (flatten && book.pos !== 0) {
          pending.push(this.#intent(s, bar, i, "f", { action: "exit", dir: 0, reason: "end" }, c));
          continue;
        }
        const code = signalAction(book.pos, sig.le, sig.lx, sig.se, sig.sx);
        const exit = actionExit(code), enter = actionEnter(code);
        if (exit === 0 && enter === 0) continue;
        if (exit !== 0) {
          c1.push(signalEvent(s.spec.strategy.name, bar, book.pos > 0 ? "exit_long" : "exit_short", runId, now, c));
          pending.push(
            this.#intent(s, bar, i, "x", { action: "exit", dir: 0, reason: exit === 2 ? "reversal" : "signal" }, c),
          );
        }
        if (enter !== 0) {
          c1.push(signalEvent(s.spec.strategy.name, bar, enter > 0 ? "enter_long" : "enter_short", runId, now, c));
          const p = this.#intent(s, bar, i, "e", { action: "enter", dir: enter }, c);
          if (p.intent.qty > 0) pending.push(p);
        }
      }
    }
    for (const p of pending) {
      c1.push({ kind: "order_intent", runId, ts: now, correlationId: p.intent.correlationId, payload: p.intent });
      // The kill switch's flatten: the engine denies everything while halted, so the runner's own closing orders
      // bypass the check (and are logged as such).
      const stateBefore = this.risk.tradingState;
      const v = p.order.reason === "end" ? FLATTEN_ON_KILL : this.risk.decide(p.intent, now);
      p.verdict = v;
      if (!v.ok) this.#denied++;
      c1.push(verdictEvent(p.intent.clientOrderId, v, runId, now, p.intent.correlationId));
      // A denial whose level moved the account (a pause or a kill rule) is logged once, when it moves it: the
      // denials that follow while halted ("halted") are verdicts, not new kills.
      if (!v.ok && this.risk.tradingState !== stateBefore) this.#ruleEvent(v, c1, now);
    }
    const approved = pending.filter((p) => p.verdict!.ok);
    if (mode.kind === "recover") {
      for (const p of pending) {
        if (!this.#loggedIntents.has(p.intent.clientOrderId)) {
          throw new RunnerStateError(
            `the log of account ${this.account} does not hold intent ${p.intent.clientOrderId} that the code decides now ` +
              `(bar ${
                new Date(p.intent.barTs).toISOString()
              }): the strategy, its params or the risk config changed since ` +
              `these orders were logged; promote the new version to a new account`,
          );
        }
      }
    } else {
      this.#append(c1);
    }
    // (5) the broker, only after every intent is durable
    const c2: AuditEventInput[] = [];
    const toSend = mode.kind === "recover"
      ? approved.filter((p) => !this.#loggedSubmitted.has(p.intent.clientOrderId))
      : approved;
    const restored = mode.kind === "recover"
      ? approved.filter((p) => this.#loggedSubmitted.has(p.intent.clientOrderId))
      : [];
    if (restored.length > 0) {
      const r = this.broker.submit(restored.map((p) => p.order), "restore", now);
      for (const out of r.outcomes) this.#outcome(out, null, now, out.correlationId);
    }
    if (toSend.length > 0) {
      // Every intent (and everything decided before it) is durable before the broker sees an order.
      this.#flush();
      const r = this.broker.submit(toSend.map((p) => p.order), "send", now);
      this.#sent += r.sent.length;
      for (const p of toSend) {
        c2.push({
          kind: "order_submitted",
          runId,
          ts: now,
          correlationId: p.intent.correlationId,
          payload: { clientOrderId: p.intent.clientOrderId, broker: "paper" },
        });
      }
      for (const out of r.outcomes) this.#outcome(out, c2, now, out.correlationId);
      this.#append(c2);
    }
    this.#batches++;
    if (mode.kind === "live") this.#maybeFlush();
  }

  /** Applies a broker outcome to the risk state and adds its audit event to `into` (null: recovering). */
  #outcome(out: BrokerOutcome, into: AuditEventInput[] | null, now: number, correlationId: string | undefined): void {
    const runId = this.runId;
    if (out.kind === "fill") {
      const fill = {
        clientOrderId: out.clientOrderId,
        symbol: out.symbol,
        side: out.side,
        qty: out.qty,
        price: out.price,
        fee: out.fee,
        ts: now,
      };
      this.risk.onFill(fill, now);
      this.#fills++;
      into?.push({ kind: "order_filled", runId, ts: now, ...(correlationId ? { correlationId } : {}), payload: fill });
      if (out.pnl !== undefined) this.#ruleEvent(this.risk.onTradeClosed(out.pnl, now), into, now);
    } else {
      into?.push({
        kind: out.kind === "rejected" ? "order_rejected" : "order_cancelled",
        runId,
        ts: now,
        ...(correlationId ? { correlationId } : {}),
        payload: { clientOrderId: out.clientOrderId, reason: out.reason },
      });
    }
  }

  /** Logs a rule pause / kill that moved the account (markEquity and onTradeClosed return only those). */
  #ruleEvent(v: Verdict | null, into: AuditEventInput[] | null, now: number): void {
    const e = ruleEventOf(v, this.risk, this.runId, now);
    if (e === undefined) return;
    if (e.kind === "kill" && this.risk.flattenOnKill) this.#flattenDue = true;
    into?.push(e);
  }

  #intent(
    s: Sleeve,
    bar: FeedBar,
    i: number,
    tag: string,
    order: Pick<BrokerOrder, "action" | "dir" | "reason">,
    correlationId: string,
  ): Pending {
    const book = this.broker.book(s.spec.id);
    const id = `${s.key}-${bar.ts.toString(36)}-${tag}`;
    const price = bar.close === bar.close ? bar.close : s.lastClose;
    let side: "buy" | "sell";
    let qty: number;
    if (order.action === "exit") {
      side = book.pos > 0 ? "sell" : "buy";
      qty = Math.abs(book.pos);
    } else {
      side = order.dir > 0 ? "buy" : "sell";
      // The estimate at the decision's close (what the risk rules weigh); the broker sizes at the fill price.
      const mul = order.dir > 0 ? 1 + s.o.spread / 2 + s.o.slippage : 1 - s.o.spread / 2 - s.o.slippage;
      // A reversal's entry is sized after its exit, as simulateWithRisk's entrySize does: with the book's cash
      // before the close, an all-in long has none left and the short entry would be dropped as size 0.
      let cash = book.cash;
      if (book.pos > 0) {
        const notional = book.pos * (price * book.sellMul);
        cash += notional - (notional * s.o.fee + s.o.fixedFee);
      } else if (book.pos < 0) {
        const notional = -book.pos * (price * book.buyMul);
        cash -= notional + (notional * s.o.fee + s.o.fixedFee);
      }
      const est = entryUnits(s.o, price * mul, cash, cash);
      qty = est > 0 ? est : cash > 0 && price > 0 ? cash / (price * mul) : 0;
    }
    const intent: OrderIntent = {
      clientOrderId: id,
      account: this.account,
      strategy: s.spec.strategy.name,
      symbol: s.spec.symbol,
      side,
      qty,
      price: price > 0 ? price : 1,
      type: "market",
      reduceOnly: order.action === "exit",
      barTs: bar.ts,
      correlationId,
    };
    return {
      intent,
      order: {
        clientOrderId: id,
        sleeve: s.spec.id,
        symbol: s.spec.symbol,
        action: order.action,
        dir: order.dir,
        ...(order.reason ? { reason: order.reason } : {}),
        bar: i,
        close: bar.close,
        correlationId,
      },
    };
  }

  // --- operators, recovery, appends ------------------------------------------------------------------------------

  /**
   * Applies the pause / resume / kill commands other processes appended since the last look, and logs where each
   * took effect: a `config_change` (target `trading_state`, `diff.operatorSeq`) in the runner's own stream of
   * events, so a restarted runner applies each command between the same two batches as this one did (the command's
   * own seq only says when it was written, and batches may still be waiting in the group-commit buffer).
   */
  #pollOperator(): void {
    for (;;) {
      const events = this.log.query({ afterSeq: this.#opSeq, kinds: ["pause", "resume", "kill"], limit: 1_000 });
      for (const e of events) {
        this.#opSeq = Math.max(this.#opSeq, e.seq);
        if ((e.kind !== "pause" && e.kind !== "resume" && e.kind !== "kill") || e.payload.by !== "operator") continue;
        const before = this.risk.tradingState;
        this.#operator(e);
        this.#applied.set(e.seq, e);
        this.#append([this.#ack(e, before)]);
      }
      if (events.length < 1_000) break;
    }
  }

  #ack(e: AuditEvent, before: string): AuditEventInput {
    return operatorAck(e, before, this.risk.tradingState, this.runId, this.#now(undefined), this.#configHash);
  }

  #operator(e: AuditEvent): void {
    if (e.kind === "pause" && e.payload.by === "operator") this.risk.pause(e.payload.reason);
    else if (e.kind === "kill" && e.payload.by === "operator") {
      this.risk.kill(e.payload.reason);
      if (e.payload.flatten) this.#flattenDue = true;
    } else if (e.kind === "resume" && e.payload.by === "operator") {
      if (this.risk.tradingState === "halted") this.risk.resume({ afterKill: true });
      else if (this.risk.tradingState === "reducing") this.risk.resume();
    }
  }

  /**
   * Re-executes the batches in the log. A batch is the run of `bar` events appended together; operator events
   * apply at their place between batches. The last batch's approved intents without `order_submitted` are
   * reconciled with the broker by client id.
   */
  async #recover(): Promise<void> {
    const batches: { bars: FeedBar[]; now: number }[] = [];
    type Step =
      | { kind: "batch"; index: number }
      | { kind: "operator"; event: AuditEvent }
      | { kind: "cancel"; id: string };
    const steps: Step[] = [];
    /** Operator commands not yet acknowledged by a runner, by seq. */
    const commands = new Map<number, AuditEvent>();
    let after = 0;
    for (;;) {
      const page = this.log.query({ afterSeq: after, limit: 5_000 });
      if (page.length === 0) break;
      for (const e of page) {
        after = e.seq;
        if (e.kind === "bars") {
          batches.push({ now: e.ts, bars: feedBarsOf(e) });
          steps.push({ kind: "batch", index: batches.length - 1 });
          continue;
        }
        if (e.kind === "order_intent") this.#loggedIntents.add(e.payload.clientOrderId);
        else if (e.kind === "order_submitted" || e.kind === "order_rejected") {
          this.#loggedSubmitted.add(e.payload.clientOrderId);
        } else if (e.kind === "order_cancelled") {
          // A cancellation outside a batch (a replay's end) removes a waiting order at its place in the log.
          this.#loggedSubmitted.add(e.payload.clientOrderId);
          steps.push({ kind: "cancel", id: e.payload.clientOrderId });
        } else if (e.kind === "pause" || e.kind === "resume" || e.kind === "kill") {
          this.#opSeq = Math.max(this.#opSeq, e.seq);
          if (e.payload.by === "operator") commands.set(e.seq, e);
        } else if (e.kind === "config_change") {
          const seq = ackedSeq(e);
          const cmd = seq === undefined ? undefined : commands.get(seq);
          if (cmd !== undefined) {
            commands.delete(cmd.seq);
            steps.push({ kind: "operator", event: cmd });
          }
        }
      }
    }
    for (const step of steps) {
      if (step.kind === "operator") this.#operator(step.event);
      else if (step.kind === "cancel") this.broker.cancelOrder(step.id);
      else {
        const b = batches[step.index]!;
        const decided = this.#batch(b.bars, { kind: "recover", now: b.now });
        if (decided !== undefined) await decided;
      }
    }
    // Commands written while no runner ran (or before a crash let it acknowledge them) take effect now.
    for (const cmd of commands.values()) {
      const before = this.risk.tradingState;
      this.#operator(cmd);
      this.#applied.set(cmd.seq, cmd);
      this.#appendLive([this.#ack(cmd, before)]);
    }
    // The summary counts what this process does.
    this.#batches =
      this.#bars =
      this.#fills =
      this.#denied =
        0;
  }

  /**
   * Queues events for the log. Paper runs append at once (one fsync per batch, subscribers hear at once). Replays
   * group commits: batches wait in memory until an order must reach the broker (`#flush` first), 4,096 events are
   * waiting, 250 ms passed, or the run ends; a crash loses only batches that sent nothing, which the restarted
   * runner simply computes again.
   */
  #append(events: AuditEventInput[]): void {
    for (const e of events) this.#buffer.push(e);
    if (this.#o.mode !== "replay") this.#flush();
  }

  #maybeFlush(): void {
    if (this.#buffer.length >= 4_096 || performance.now() - this.#lastFlush >= 250) this.#flush();
  }

  #flush(): void {
    this.#lastFlush = performance.now();
    if (this.#buffer.length === 0) return;
    const events = this.#buffer;
    this.#buffer = [];
    this.#appendLive(events);
  }

  #appendLive(events: AuditEventInput[]): AuditEvent[] {
    if (events.length === 0) return [];
    const stored = this.log.appendMany(events);
    publishDurable(this.bus, stored, this.#applied);
    return stored;
  }

  #now(batch: readonly FeedBar[] | undefined): number {
    if (this.#o.mode === "replay") {
      if (batch === undefined || batch.length === 0) {
        let last = 0;
        for (const t of this.#lastTs.values()) last = Math.max(last, t);
        return last === 0 ? 0 : last + this.#tfMs;
      }
      return batch[0]!.ts + this.#tfMs;
    }
    // Event times are whole milliseconds; an injected clock may not be.
    return Math.floor((this.#o.clock ?? Date.now)());
  }

  /** Cancels orders still waiting for a bar (a replay has no next bar for them). */
  #cancelWaiting(reason: string): void {
    const events: AuditEventInput[] = [];
    const now = this.#now(undefined);
    for (const s of this.#sleeves) {
      for (const o of this.broker.cancelPending(s.spec.id)) {
        events.push({
          kind: "order_cancelled",
          runId: this.runId,
          ts: now,
          payload: { clientOrderId: o.clientOrderId, reason },
        });
      }
    }
    this.#appendLive(events);
  }
}
