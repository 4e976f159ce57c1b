import type { Fill, OrderIntent, TradingState } from "../types/mod.ts";
import { applyVerdict } from "./apply_verdict.ts";
import { createRiskState } from "./create_risk_state.ts";
import { kill } from "./kill.ts";
import { markEquity } from "./mark_equity.ts";
import { pause } from "./pause.ts";
import { recordBar, type RiskBar } from "./record_bar.ts";
import { recordFill } from "./record_fill.ts";
import { recordOrder } from "./record_order.ts";
import { recordTradeClosed } from "./record_trade_closed.ts";
import { resume } from "./resume.ts";
import type { RiskConfig } from "./risk_config.ts";
import { RiskEngine } from "./risk_engine.ts";
import type { RiskState } from "./risk_state.ts";
import type { Verdict } from "./verdict.ts";

/** Options of {@link RiskSession}. */
export interface RiskSessionOptions {
  /** The account's risk config (validated by the engine: a bad one throws a `ConfigError` naming the field). */
  config: RiskConfig;
  /** The account the session guards; intents must name it. */
  account: string;
  /** Starting cash (also the starting equity), quote currency. Ignored when `state` is given. */
  cash: number;
  /** Creation time, epoch ms UTC (the UTC day of the daily-loss reference). Ignored when `state` is given. */
  now: number;
  /**
   * A state to continue from (rebuilt from the audit log on a restart). Its order ring must hold
   * `engine.ringCapacity` orders, else the rate rules deny with `ring_too_small`.
   */
  state?: RiskState;
}

/** A closed bar as the session reads it. */
export interface RiskSessionBar {
  symbol: string;
  /** Open time, epoch ms UTC. */
  openTime: number;
  /** Close time (open time plus the timeframe), epoch ms UTC: the stale-data clock. */
  closeTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** Options of {@link RiskSession.resume}. */
export interface RiskSessionResumeOptions {
  /** Required (true) to leave `halted` (see `resume`). */
  afterKill?: boolean;
}

/**
 * One account's risk engine and state, driven the same way by the backtester and the runner: the only object a
 * caller touches per bar (`onBar`, then fills with `onFill` and `onTradeClosed`, then `markEquity`) and per order
 * (`decide`). It holds the state, replacing it when a verdict or an operator moves the trading state, so callers
 * never thread `applyVerdict` results themselves.
 *
 * Volatility (the `volatilityHalt` rule's figure), computed here from the bars so every caller computes it alike;
 * only while the rule is enabled (in the account's rules; a strategy override of `measure`/`window` is not
 * tracked separately):
 * - `return_std`: the sample standard deviation (ddof 1, as pandas' `rolling(window).std()`) of the last `window`
 *   one-bar simple returns `close[t] / close[t-1] - 1`; the first figure comes after `window + 1` bars.
 * - `atr_pct`: Wilder's ATR(`window`) over the close, as `lib/indicators/atr.ts` computes it (the first bar's
 *   true range is `high - low`, the seed is the mean of the first `window` true ranges, then
 *   `atr = (atr * (window - 1) + tr) / window`); the first figure comes at the `window`-th bar.
 * A bar with a non-finite or non-positive price is ignored (not recorded), so the stale-data rule sees the gap.
 * Per bar this costs O(window) arithmetic on preallocated ring buffers and allocates nothing after a symbol's first bar.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_RISK_CONFIG, RiskSession } from "./mod.ts";
 * const t0 = Date.UTC(2026, 0, 5, 9, 0);
 * const s = new RiskSession({ config: DEFAULT_RISK_CONFIG, account: "paper-1", cash: 10_000, now: t0 });
 * s.onBar({ symbol: "ETH/USDT", openTime: t0 - 60_000, closeTime: t0, open: 2_000, high: 2_000, low: 2_000, close: 2_000 });
 * const buy = {
 *   clientOrderId: "paper-1-r1-1", account: "paper-1", strategy: "sma_cross", symbol: "ETH/USDT",
 *   side: "buy", qty: 1, price: 2_000, type: "market", reduceOnly: false, barTs: t0 - 60_000,
 * } as const;
 * // The default volatility rule denies entries until it has a figure (warm-up).
 * assert.equal(s.decide(buy, t0).code, "volatility_halt");
 * // A 25 % drawdown kills the account: markEquity returns the verdict that did it.
 * assert.equal(s.markEquity(7_500, t0 + 60_000)?.code, "max_drawdown");
 * assert.equal(s.tradingState, "halted");
 * s.resume({ afterKill: true });
 * assert.equal(s.tradingState, "active");
 * ```
 */
export class RiskSession {
  readonly #engine: RiskEngine;
  #state: RiskState;
  readonly #vol: Map<string, VolatilityTracker> = new Map();
  readonly #volOn: boolean;
  readonly #volAtr: boolean;
  readonly #volWindow: number;
  // Reused for every recordBar call, which does not keep it: no object per bar.
  readonly #bar: RiskBar = { symbol: "", closeTime: 0, close: 0, volatility: NaN };

  constructor(options: RiskSessionOptions) {
    this.#engine = new RiskEngine(options.config);
    const vh = this.#engine.config.rules.volatilityHalt;
    this.#volOn = vh.enabled;
    this.#volAtr = vh.measure === "atr_pct";
    this.#volWindow = vh.window;
    if (options.state !== undefined) {
      if (options.state.account !== options.account) {
        throw new RangeError(
          `the state given is account ${JSON.stringify(options.state.account)}, the session's is ` +
            `${JSON.stringify(options.account)}; pass the state of the same account`,
        );
      }
      this.#state = options.state;
    } else {
      this.#state = createRiskState({
        account: options.account,
        cash: options.cash,
        now: options.now,
        ringCapacity: this.#engine.ringCapacity,
      });
    }
  }

  /** The current state (replaced, not changed in place, when the trading state moves). */
  get state(): RiskState {
    return this.#state;
  }

  /** `active`, `reducing` or `halted`. */
  get tradingState(): TradingState {
    return this.#state.tradingState;
  }

  /** The compiled engine (its config, `rulesFor`, `ringCapacity`). */
  get engine(): RiskEngine {
    return this.#engine;
  }

  /** Whether a kill should also close every position (the caller sends those orders). */
  get flattenOnKill(): boolean {
    return this.#engine.flattenOnKill;
  }

  /**
   * Records a closed bar: updates the symbol's volatility figure and calls `recordBar` (last close time, last
   * price, figure; NaN while warming up). Returns null: a bar alone never moves the trading state.
   */
  onBar(bar: RiskSessionBar): Verdict | null {
    const c = bar.close;
    if (!(c > 0 && c < Infinity) || !Number.isFinite(bar.closeTime)) return null;
    let v = NaN;
    if (this.#volOn) {
      let t = this.#vol.get(bar.symbol);
      if (t === undefined) {
        t = new VolatilityTracker(this.#volWindow, this.#volAtr);
        this.#vol.set(bar.symbol, t);
      }
      v = t.push(bar.high, bar.low, c);
    }
    const b = this.#bar;
    b.symbol = bar.symbol;
    b.closeTime = bar.closeTime;
    b.close = c;
    b.volatility = v;
    recordBar(this.#state, b);
    return null;
  }

  /**
   * Marks the equity (`markEquity`, after the bar's fills), then runs the account rules (`checkAccount`). Returns
   * the verdict when it moved the trading state (a pause or a kill, to be logged), else null.
   */
  markEquity(equity: number, now: number): Verdict | null {
    markEquity(this.#state, equity, now);
    return this.#account(now);
  }

  /**
   * The verdict on an order intent at `now`: `check`, then `applyVerdict` (a pause or kill level moves the
   * account), then `recordOrder` when allowed (the caller sends the order). A denied order must not be sent.
   */
  decide(intent: OrderIntent, now: number): Verdict {
    const v = this.#engine.check(intent, this.#state, now);
    if (v.ok) recordOrder(this.#state, intent, now);
    else this.#state = applyVerdict(this.#state, v);
    return v;
  }

  /** Applies a fill to positions and cash (`recordFill`). `now` is the time it is processed (unused for now). */
  onFill(fill: Fill, _now: number): void {
    recordFill(this.#state, fill);
  }

  /**
   * Records a closed trade's net P&L (loss streak, `recordTradeClosed`), then runs the account rules as
   * `markEquity` does: returns the verdict when it moved the trading state, else null.
   */
  onTradeClosed(pnl: number, now: number): Verdict | null {
    recordTradeClosed(this.#state, pnl);
    return this.#account(now);
  }

  /** Operator pause: `active` -> `reducing` (exits only). */
  pause(reason: string): void {
    this.#state = pause(this.#state, reason);
  }

  /** Kill switch: -> `halted` (nothing at all); with `flattenOnKill` the caller closes the positions. */
  kill(reason: string): void {
    this.#state = kill(this.#state, reason);
  }

  /** Operator resume to `active`; leaving `halted` needs `afterKill: true` (RangeError otherwise). */
  resume(options: RiskSessionResumeOptions = {}): void {
    this.#state = resume(this.#state, { account: this.#state.account, afterKill: options.afterKill });
  }

  #account(now: number): Verdict | null {
    const v = this.#engine.checkAccount(this.#state, now);
    if (v.ok) return null;
    const before = this.#state;
    this.#state = applyVerdict(before, v);
    return this.#state === before ? null : v;
  }
}

/**
 * The volatility figure of one symbol, bar by bar, on a ring buffer allocated once (see `RiskSession` for the two
 * measures). A high or low that is not finite counts as the close (a frame of closes only).
 */
class VolatilityTracker {
  readonly #w: number;
  readonly #atr: boolean;
  readonly #ring: Float64Array;
  #head = 0;
  #count = 0;
  #prevClose = NaN;
  #trSum = 0;
  #atrValue = NaN;

  constructor(window: number, atr: boolean) {
    this.#w = window;
    this.#atr = atr;
    this.#ring = new Float64Array(atr ? 0 : window);
  }

  /** Takes a bar (close > 0, finite) and returns the figure after it, NaN while warming up. */
  push(high: number, low: number, close: number): number {
    const w = this.#w, prev = this.#prevClose;
    this.#prevClose = close;
    if (this.#atr) {
      const h = Number.isFinite(high) ? high : close, l = Number.isFinite(low) ? low : close;
      let tr = h - l;
      if (prev === prev) {
        const up = Math.abs(h - prev), down = Math.abs(l - prev);
        if (up > tr) tr = up;
        if (down > tr) tr = down;
      }
      const k = ++this.#count;
      if (k < w) {
        this.#trSum += tr;
        return NaN;
      }
      if (k === w) this.#atrValue = (this.#trSum + tr) / w;
      else this.#atrValue = (this.#atrValue * (w - 1) + tr) / w;
      return this.#atrValue / close;
    }
    if (prev !== prev) return NaN;
    const ring = this.#ring;
    ring[this.#head] = close / prev - 1;
    this.#head = this.#head + 1 === w ? 0 : this.#head + 1;
    if (this.#count < w) this.#count++;
    if (this.#count < w) return NaN;
    // Two passes over the window: exact enough at any price level, where running sums of squares drift.
    let sum = 0;
    for (let i = 0; i < w; i++) sum += ring[i]!;
    const mean = sum / w;
    let ss = 0;
    for (let i = 0; i < w; i++) {
      const d = ring[i]! - mean;
      ss += d * d;
    }
    return Math.sqrt(ss / (w - 1));
  }
}
