import { type AuditEventOf, AuditLog } from "../audit/mod.ts";
import { resolveDataDir } from "../fs/mod.ts";
import type { SleeveSpec } from "../runner/sleeve.ts";
import { parseSeries } from "../types/mod.ts";
import { resolvePromotedStrategy } from "./resolve_promoted_strategy.ts";

/** Options of {@link loadPromotedSleeves}. */
export interface LoadPromotedSleevesOptions {
  /** Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
  account: string;
  /** Where saved strategies are looked up when an event names no source file. Default `<project>/strategies`. */
  strategiesDir?: string;
}

/**
 * The sleeves an account's promotions define, as `PaperRunner.open` takes them: one per strategy and symbol (id
 * `<strategy>@<symbol>`; a later promotion of the same pair replaces the earlier one, in log order), each with the
 * `exchange` of its promotion's market (where a live account trades it; absent for an old promotion without a
 * market), each strategy
 * resolved and hash-checked by {@link resolvePromotedStrategy} (a changed built-in or an edited saved file refuses
 * with "promote the new version"). Options are the evidence's; `cash` is the promotion's allocation, else left out
 * so the runner splits the account's starting cash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuditLog } from "../audit/mod.ts";
 * import { smaCross, strategyCodeHash } from "../strategies/mod.ts";
 * import { loadPromotedSleeves } from "./load_promoted_sleeves.ts";
 * const dataDir = await Deno.makeTempDir();
 * const log = AuditLog.open({ dataDir, account: "paper-1" });
 * const codeHash = await strategyCodeHash(smaCross);
 * for (const fast of [5, 10]) {
 *   log.append({ kind: "promotion", runId: "p", payload: {
 *     strategy: "sma_cross", codeHash, params: { fast, slow: 30 }, market: "binance:BTC/USDT:1h",
 *     symbol: "BTC/USDT", timeframe: "1h", options: { fee: 0.001, cash: 10_000 }, evidenceRunIds: [],
 *   } });
 * }
 * log.close();
 * const sleeves = await loadPromotedSleeves({ dataDir, account: "paper-1" });
 * assert.deepEqual(sleeves.map((s) => [s.id, s.params.fast, s.options?.cash]), [["sma_cross@BTC/USDT", 10, undefined]]);
 * assert.equal(sleeves[0]!.exchange, "binance");
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function loadPromotedSleeves(options: LoadPromotedSleevesOptions): Promise<SleeveSpec[]> {
  const dataDir = resolveDataDir(options.dataDir);
  const log = AuditLog.open({ dataDir, account: options.account, readOnly: true });
  const latest = new Map<string, AuditEventOf<"promotion">>();
  try {
    for (let after = 0;;) {
      const page = log.query({ kind: "promotion", afterSeq: after, limit: 1000 }) as AuditEventOf<"promotion">[];
      for (const e of page) {
        const symbol = e.payload.symbol ?? symbolOf(e);
        latest.delete(`${e.payload.strategy}@${symbol}`); // re-insert: Map order follows the latest promotion
        latest.set(`${e.payload.strategy}@${symbol}`, e);
      }
      if (page.length < 1000) break;
      after = page[page.length - 1]!.seq;
    }
  } finally {
    log.close();
  }
  const out: SleeveSpec[] = [];
  for (const [id, e] of latest) {
    const p = e.payload;
    const strategy = await resolvePromotedStrategy(p.strategy, p.codeHash, {
      ...(p.source ? { source: p.source } : {}),
      ...(options.strategiesDir !== undefined ? { strategiesDir: options.strategiesDir } : {}),
    });
    const { cash: _evidenceCash, ...rest } = p.options ?? {};
    const exchange = p.market === undefined ? undefined : parseSeries(p.market).exchange;
    const sleeve: SleeveSpec = {
      id,
      strategy,
      params: strategy.params.parse(p.params),
      codeHash: p.codeHash,
      symbol: p.symbol ?? symbolOf(e),
      ...(exchange !== undefined ? { exchange } : {}),
      ...(p.timeframe !== undefined ? { timeframe: p.timeframe } : {}),
      options: { ...rest, ...(p.cash !== undefined ? { cash: p.cash } : {}) },
    };
    out.push(sleeve);
  }
  return out;
}

function symbolOf(e: AuditEventOf<"promotion">): string {
  if (e.payload.market === undefined) {
    throw new RangeError(
      `promotion event seq ${e.seq} (${e.payload.strategy}) names no symbol or market: promote it again with a market`,
    );
  }
  return parseSeries(e.payload.market).symbol;
}
