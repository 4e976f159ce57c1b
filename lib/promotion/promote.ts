import { type AuditEventOf, AuditLog } from "../audit/mod.ts";
import { registry, strategyCodeHash } from "../strategies/mod.ts";
import { evaluate, type EvaluateGatesOptions, strategyOf } from "./_evaluate.ts";
import { recordedPath, sha256Hex } from "./_paths.ts";
import type { PromotionChecklist } from "./promotion_checklist.ts";
import { PromotionRefused } from "./promotion_refused.ts";
import { saveStrategy } from "./save_strategy.ts";

/** Options of {@link promote}: the gates' options plus where a notebook strategy is saved and the allocation. */
export interface PromoteOptions extends EvaluateGatesOptions {
  /** Cash allocated to the sleeve. Default: the account's starting cash split evenly over its sleeves. */
  cash?: number;
  /** Folder where a strategy object that is not a built-in is saved. Default `<project>/strategies`. */
  strategiesDir?: string;
  /** Module text to save for such a strategy instead of the generated one (see `saveStrategy`). */
  source?: string;
}

/** What {@link promote} did. */
export interface PromotionResult {
  checklist: PromotionChecklist;
  /** Seq of the `promotion` event in the account's audit log. */
  seq: number;
  event: AuditEventOf<"promotion">;
  /** The saved strategy file, for a strategy that is not a built-in. */
  source?: { path: string; sha256: string };
}

/**
 * Promotes a strategy version to an account: evaluates the gates (`evaluateGates`); when any fails, throws
 * {@link PromotionRefused} (carrying the checklist; nothing is written); else appends a `promotion` event to the
 * account's audit log with the code hash, params, market, symbol, timeframe, backtest options, evidence run ids and
 * the gates' summary, and returns the checklist and the event's seq. The runner picks it up with
 * `loadPromotedSleeves`.
 *
 * A strategy object that is not a built-in (one defined in a notebook) is first saved as a module file
 * (`saveStrategy`: `strategies/<name>-<hash12>.js`, loaded back and hash-checked); the evidence is computed with the
 * loaded code and the event records the file and its sha256, so the runner runs exactly that code. A changed
 * strategy has a new code hash: a new version, with its own evidence and promotion.
 *
 * @example
 * ```ts ignore
 * // In a notebook (needs 6 months of data, so not run as a doc test):
 * import { promote } from "../lib/promotion/mod.ts";
 * const r = await promote({ strategy: zReversion, params: p, account: "paper-1", market: "samples:SPX:1d", data: { frame, series: "samples:SPX:1d" } });
 * console.log(r.checklist.gates, r.seq);
 * ```
 */
export async function promote(options: PromoteOptions): Promise<PromotionResult> {
  if (options.cash !== undefined && !(Number.isFinite(options.cash) && options.cash > 0)) {
    throw new RangeError(`cash must be a positive amount, got ${options.cash}`);
  }
  let strategy = await strategyOf(options.strategy);
  const hash = await strategyCodeHash(strategy);
  let source: { path: string; sha256: string } | undefined;
  const builtin = registry.has(strategy.name) && await strategyCodeHash(registry.get(strategy.name)) === hash;
  if (typeof options.strategy === "string" && options.strategy.endsWith(".js")) {
    source = {
      path: recordedPath(options.strategy),
      sha256: await sha256Hex(await Deno.readTextFile(options.strategy)),
    };
  } else if (!builtin) {
    const saved = await saveStrategy(strategy, {
      ...(options.strategiesDir !== undefined ? { dir: options.strategiesDir } : {}),
      ...(options.source !== undefined ? { source: options.source } : {}),
    });
    options.onProgress?.(`saved ${strategy.name} as ${saved.recordedPath} (code ${hash.slice(0, 12)})`);
    strategy = saved.strategy;
    source = { path: saved.recordedPath, sha256: saved.sha256 };
  }
  const ev = await evaluate(options, strategy);
  if (!ev.checklist.ok) throw new PromotionRefused(ev.checklist);
  if (ev.market === undefined) {
    throw new TypeError(
      `promotion of ${strategy.name}: no market to trade; pass market as exchange:SYMBOL:timeframe (binance:BTC/USDT:1h)`,
    );
  }
  const log = AuditLog.open({ dataDir: ev.dataDir, account: options.account });
  try {
    const event = log.append({
      kind: "promotion",
      runId: `promotion-${Date.now()}`,
      payload: {
        strategy: strategy.name,
        codeHash: ev.checklist.codeHash,
        params: ev.checklist.params as Record<string, number | string | boolean | null>,
        market: ev.market.text,
        symbol: ev.market.symbol,
        timeframe: ev.market.timeframe,
        options: ev.options,
        ...(options.cash !== undefined ? { cash: options.cash } : {}),
        ...(source ? { source } : {}),
        gates: ev.checklist.gates.map((g) => ({ name: g.name, ok: g.ok })),
        evidenceRunIds: ev.evidenceRunIds,
      },
    }) as AuditEventOf<"promotion">;
    return { checklist: ev.checklist, seq: event.seq, event, ...(source ? { source } : {}) };
  } finally {
    log.close();
  }
}
