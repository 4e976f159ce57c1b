import { ConfigError, formatZodIssues, type OrderIntent } from "../types/mod.ts";
import { type CompiledRules, compileRules, mergeRules } from "./_compile.ts";
import { type RiskConfig, RiskConfigSchema, type RiskRules, type RuleLevel } from "./risk_config.ts";
import type { PositionState, RiskState } from "./risk_state.ts";
import type { Verdict } from "./verdict.ts";

const DAY_MS = 86_400_000;
const DUST = 1e-9;
const OK: Verdict = Object.freeze({ ok: true, code: "ok", level: "warning", detail: "" }) as Verdict;

const grossScratch = new Float64Array(1);
let grossSkip = "";
function addGross(p: PositionState): void {
  if (p.symbol !== grossSkip) grossScratch[0]! += (p.qty < 0 ? -p.qty : p.qty) * p.lastPrice;
}

function deny(code: string, level: RuleLevel, detail: string): Verdict {
  return { ok: false, code, level, detail };
}

/** Short number for details: 6 significant digits. */
function n(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x);
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

/**
 * The risk engine of one account, compiled once from its config (validated: a bad config throws a `ConfigError`
 * naming the field). `check` is pure: it reads the intent, the state and the injected clock `now` (epoch ms UTC,
 * integer), does no I/O and allocates nothing when the order is allowed. The only thing it writes is the order
 * ring's window cursors, a cache that never changes an answer (a snapshot before and after is the same).
 *
 * ## What `check(intent, state, now)` compares, in this order (the first failing rule answers)
 *
 * Every order (entries and exits, `reduceOnly`):
 * 1. `halted` (trading state): everything is denied, exits included (code `halted`, level `kill`).
 * 2. `wrong_account`: `intent.account` differs from `state.account`; `bad_intent`: qty or price not a finite
 *    number > 0; `bad_clock`: `now` not finite. Level `warning`.
 * 3. `not_reducing` (exits only): a `reduceOnly` intent must be opposite to the symbol's position and its qty at
 *    most the position's size (with a relative slack of 1e-9 for float dust); otherwise it is denied (level
 *    `warning`), never treated as an entry.
 * 4. `order_rate_minute|hour|day` (`orderRate`): the account's orders recorded (`recordOrder`) with a time in
 *    `(now - 60 s, now]`, `(now - 3600 s, now]` and since 00:00 UTC of `now`'s day, plus this one, must not exceed
 *    `perMinute`, `perHour`, `perDay`. Applies to exits too: a runaway loop of exits is a bug as well.
 *
 * Exits pass here. Entries (`reduceOnly: false`) go on:
 * 5. `reducing` (trading state): entries denied (level `pause`).
 * 6. `max_drawdown`: `(equityPeak - equity) / equityPeak > limit` (state as of the last `markEquity`).
 * 7. `daily_loss`: `dayStartEquity - equity` (quote) or that over `dayStartEquity` (fraction) `> limit`, when the
 *    last `markEquity` was on `now`'s UTC day (a new day not yet marked has lost nothing). `dayStartEquity` is the
 *    equity carried over 00:00 UTC (`markEquity`).
 * 8. `consecutive_losses`: `consecutiveLosses >= limit` (denied once the streak reaches the limit).
 * 9. `symbol_denied` / `symbol_not_allowed`: `symbol` in `deny`, or `allow` is a list without it.
 * 10. `trading_window`: `now`'s UTC weekday in `days` and its time of day in `[start, end)`; when `start > end`
 *     the window wraps midnight (`22:00`-`02:00`: 22:00 to 23:59:59.999 and 00:00 to 01:59:59.999, both taken on
 *     the weekday of `now`).
 * 11. `stale_data`: `now - lastBarClose(symbol) > maxBarAgeMs`, or no bar recorded for the symbol.
 * 12. `volatility_halt`: `volatility(symbol) > max`; no figure denies when `onMissing: "deny"`.
 * 13. `min_trade_interval`: `now - (last order time of the symbol, or of the account) < ms`.
 * 14. Position and exposure, only when the order increases the symbol's |position| (a reducing order passes
 *     them): `max_position_value`: `|qty after| x intent.price > limit`; `max_position_share`: that value over
 *     `equity > limit` (equity <= 0 denies); `max_gross_exposure`: sum of `|qty| x lastPrice` of the other
 *     symbols plus this symbol's value after `> limit`; `max_leverage`: gross after over equity `> limit`.
 *
 * Limits are inclusive: a value exactly at a limit passes (except the loss streak, see 8). The rules are the
 * account's, with the intent's strategy's override block merged over them (`rulesFor`). Counters (orders,
 * losses, equity) are the account's, whichever strategy made them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRiskState, DEFAULT_RISK_CONFIG, recordBar, RiskEngine } from "./mod.ts";
 * const engine = new RiskEngine(DEFAULT_RISK_CONFIG);
 * const now = Date.UTC(2026, 0, 5, 12, 0);
 * const state = createRiskState({ account: "paper-1", cash: 10_000, now, ringCapacity: engine.ringCapacity });
 * recordBar(state, { symbol: "BTC/USDT", closeTime: now, close: 50_000, volatility: 0.01 });
 * const intent = {
 *   clientOrderId: "c1", account: "paper-1", strategy: "sma_cross", symbol: "BTC/USDT",
 *   side: "buy", qty: 0.04, price: 50_000, type: "market", reduceOnly: false, barTs: now - 60_000,
 * } as const;
 * assert.equal(engine.check(intent, state, now).code, "ok"); // 2,000 = 20 % of equity
 * const big = engine.check({ ...intent, qty: 0.06 }, state, now); // 3,000 = 30 % > 25 %
 * assert.equal(big.code, "max_position_share");
 * assert.equal(big.level, "warning");
 * ```
 */
export class RiskEngine {
  /** The validated config this engine was built from. */
  readonly config: RiskConfig;
  /** Capacity the state's order ring needs (the largest rate limit over the account and its strategies). */
  readonly ringCapacity: number;
  /** Whether a kill also flattens every position (carried out by the runner). */
  readonly flattenOnKill: boolean;
  readonly #account: CompiledRules;
  readonly #byStrategy: Map<string, CompiledRules>;
  readonly #merged: Map<string, RiskRules>;

  constructor(config: RiskConfig) {
    const parsed = RiskConfigSchema.safeParse(config);
    if (!parsed.success) throw new ConfigError(`risk config: ${formatZodIssues(parsed.error, config)}`);
    this.config = parsed.data;
    this.flattenOnKill = parsed.data.flattenOnKill;
    this.#account = compileRules(parsed.data.rules);
    this.#byStrategy = new Map();
    this.#merged = new Map();
    let cap = this.#account.rateOn ? Math.max(this.#account.perMinute, this.#account.perHour, this.#account.perDay) : 1;
    for (const [name, o] of Object.entries(parsed.data.strategies)) {
      const merged = mergeRules(parsed.data.rules, o);
      const c = compileRules(merged);
      this.#merged.set(name, merged);
      this.#byStrategy.set(name, c);
      if (c.rateOn) cap = Math.max(cap, c.perMinute, c.perHour, c.perDay);
    }
    this.ringCapacity = cap;
  }

  /** The rules in force for a strategy's intents (the account's with the strategy's override merged over). */
  rulesFor(strategy: string): RiskRules {
    return this.#merged.get(strategy) ?? this.config.rules;
  }

  /**
   * Account-level rules, with no order involved (the account's rules, no strategy override): drawdown, daily loss
   * and the loss streak, as in steps 6-8 of `check`. The runner calls it after each `markEquity` and
   * `recordTradeClosed` and applies the verdict, so the circuit breaker fires even when no entry is tried.
   */
  checkAccount(state: RiskState, now: number): Verdict {
    return this.#accountRules(this.#account, state, now);
  }

  /** The verdict on one order intent (see the class doc for every rule, in order). */
  check(intent: OrderIntent, state: RiskState, now: number): Verdict {
    if (state.tradingState === "halted") {
      return deny("halted", "kill", `account ${state.account} is halted (${state.reason}); nothing new until resumed`);
    }
    if (intent.account !== state.account) {
      return deny("wrong_account", "warning", `intent for account ${intent.account} checked against ${state.account}`);
    }
    const qty = intent.qty, price = intent.price;
    if (!(qty > 0 && qty < Infinity && price > 0 && price < Infinity)) {
      return deny("bad_intent", "warning", `qty ${qty} and price ${price} must be finite numbers > 0`);
    }
    if (!Number.isFinite(now)) return deny("bad_clock", "warning", `now ${now} is not a finite epoch-ms time`);
    const r = this.#byStrategy.get(intent.strategy) ?? this.#account;
    const symbol = intent.symbol;
    const pos = state.positions.get(symbol);
    const q = pos === undefined ? 0 : pos.qty;
    const d = intent.side === "buy" ? qty : -qty;
    const after = q + d;

    if (intent.reduceOnly) {
      // A relative 1e-9 of slack: a position summed from fills (0.1 + 0.2) must close with an exit of 0.3.
      if (q === 0 || (q > 0) === (d > 0) || qty > Math.abs(q) * (1 + DUST)) {
        return deny(
          "not_reducing",
          "warning",
          `reduce-only ${intent.side} ${n(qty)} ${symbol} does not reduce the position of ${n(q)}`,
        );
      }
    }
    if (r.rateOn) {
      const v = this.#rate(r, state, now);
      if (v !== OK) return v;
    }
    if (intent.reduceOnly) return OK;

    if (state.tradingState === "reducing") {
      return deny("reducing", "pause", `account ${state.account} is reducing (${state.reason}); exits only`);
    }
    const acc = this.#accountRules(r, state, now);
    if (acc !== OK) return acc;

    if (r.symbolsOn) {
      if (r.deny.has(symbol)) return deny("symbol_denied", r.symbolsLevel, `${symbol} is in the deny list`);
      if (r.allow !== null && !r.allow.has(symbol)) {
        return deny("symbol_not_allowed", r.symbolsLevel, `${symbol} is not in the allow list`);
      }
    }
    if (r.windowOn) {
      const day = Math.floor(now / DAY_MS);
      const weekday = ((day + 4) % 7 + 7) % 7; // 1970-01-01 was a Thursday (4)
      const t = now - day * DAY_MS;
      const s = r.windowStartMs, e = r.windowEndMs;
      const inside = (r.dayMask & (1 << weekday)) !== 0 && (s < e ? t >= s && t < e : t >= s || t < e);
      if (!inside) {
        return deny("trading_window", r.windowLevel, `${iso(now)} is outside the trading window`);
      }
    }
    if (r.staleMs !== Infinity) {
      const close = state.lastBarClose.get(symbol);
      if (close === undefined) return deny("stale_data", r.staleLevel, `no bar of ${symbol} recorded`);
      if (now - close > r.staleMs) {
        return deny(
          "stale_data",
          r.staleLevel,
          `last bar of ${symbol} closed at ${iso(close)}, ${now - close} ms before now > ${r.staleMs} ms`,
        );
      }
    }
    if (r.volMax !== Infinity) {
      const v = state.volatility.get(symbol);
      if (v === undefined) {
        if (r.volMissingDeny) return deny("volatility_halt", r.volLevel, `no volatility figure for ${symbol}`);
      } else if (v > r.volMax) {
        return deny("volatility_halt", r.volLevel, `volatility of ${symbol} ${n(v)} > max ${n(r.volMax)}`);
      }
    }
    if (r.intervalMs > 0) {
      const last = r.intervalPerSymbol ? (state.lastOrderAt.get(symbol) ?? -Infinity) : state.orders.last;
      if (now - last < r.intervalMs) {
        return deny(
          "min_trade_interval",
          r.intervalLevel,
          `last order of ${r.intervalPerSymbol ? symbol : "the account"} at ${iso(last)}, ${now - last} ms ago < ` +
            `${r.intervalMs} ms`,
        );
      }
    }
    const absAfter = after < 0 ? -after : after;
    if (absAfter > (q < 0 ? -q : q)) {
      const value = absAfter * price;
      const equity = state.equity;
      if (value > r.posValue) {
        return deny("max_position_value", r.posValueLevel, `${symbol} value after ${n(value)} > ${n(r.posValue)}`);
      }
      const share = equity > 0 ? value / equity : Infinity;
      if (share > r.posShare) {
        return deny(
          "max_position_share",
          r.posShareLevel,
          `${symbol} value after ${n(value)} is ${n(share)} of equity ${n(equity)} > ${n(r.posShare)}`,
        );
      }
      if (r.gross !== Infinity || r.leverage !== Infinity) {
        grossScratch[0] = value;
        grossSkip = symbol;
        // forEach with a module-level callback and a typed-array accumulator: a for-of over the Map allocates an
        // iterator per check, this allocates nothing.
        state.positions.forEach(addGross);
        const gross = grossScratch[0]!;
        if (gross > r.gross) {
          return deny("max_gross_exposure", r.grossLevel, `gross exposure after ${n(gross)} > ${n(r.gross)}`);
        }
        const lev = equity > 0 ? gross / equity : Infinity;
        if (lev > r.leverage) {
          return deny(
            "max_leverage",
            r.leverageLevel,
            `leverage after ${n(lev)} (equity ${n(equity)}) > ${n(r.leverage)}`,
          );
        }
      }
    }
    return OK;
  }

  #rate(r: CompiledRules, state: RiskState, now: number): Verdict {
    const ring = state.orders;
    if (ring.capacity < this.ringCapacity) {
      return deny(
        "ring_too_small",
        "warning",
        `the state's order ring holds ${ring.capacity} orders, the rate limits need ${this.ringCapacity}; create the ` +
          `state with ringCapacity: engine.ringCapacity`,
      );
    }
    const m = ring.countSince(0, now - 60_000) + 1;
    if (m > r.perMinute) return deny("order_rate_minute", r.rateLevel, `${m} orders in 60 s > ${r.perMinute}`);
    const h = ring.countSince(1, now - 3_600_000) + 1;
    if (h > r.perHour) return deny("order_rate_hour", r.rateLevel, `${h} orders in 3600 s > ${r.perHour}`);
    // Integer epoch ms: ts > dayStart - 1 is ts >= dayStart.
    const dd = ring.countSince(2, Math.floor(now / DAY_MS) * DAY_MS - 1) + 1;
    if (dd > r.perDay) return deny("order_rate_day", r.rateLevel, `${dd} orders this UTC day > ${r.perDay}`);
    return OK;
  }

  #accountRules(r: CompiledRules, state: RiskState, now: number): Verdict {
    const equity = state.equity;
    if (r.drawdown !== Infinity) {
      const peak = state.equityPeak;
      const dd = peak > 0 ? (peak - equity) / peak : 0;
      if (dd > r.drawdown) {
        return deny(
          "max_drawdown",
          r.drawdownLevel,
          `drawdown ${n(dd)} from peak ${n(peak)} to equity ${n(equity)} > ${n(r.drawdown)}`,
        );
      }
    }
    if (r.dailyLoss !== Infinity && state.day === Math.floor(now / DAY_MS)) {
      const start = state.dayStartEquity;
      const loss = start - equity;
      const x = r.dailyLossFraction ? (start > 0 ? loss / start : loss > 0 ? Infinity : 0) : loss;
      if (x > r.dailyLoss) {
        return deny(
          "daily_loss",
          r.dailyLossLevel,
          `loss today ${n(x)}${r.dailyLossFraction ? " of" : ""} from day start equity ${n(start)} to ${n(equity)} > ` +
            `${n(r.dailyLoss)}`,
        );
      }
    }
    if (state.consecutiveLosses >= r.losses) {
      return deny(
        "consecutive_losses",
        r.lossesLevel,
        `${state.consecutiveLosses} losing trades in a row, limit ${r.losses}`,
      );
    }
    return OK;
  }
}
