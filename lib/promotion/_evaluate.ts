import { join } from "node:path";
import { type BacktestOptions, type BacktestOptionsInput, parseBacktestOptions } from "../backtest/mod.ts";
import { resolveDataDir } from "../fs/mod.ts";
import { RunRegistry } from "../runs/mod.ts";
import {
  type AnyStrategy,
  isPortfolioStrategy,
  parseParams,
  registry,
  type Strategy,
  strategyCodeHash,
} from "../strategies/mod.ts";
import { formatSeries, parseSeries } from "../types/mod.ts";
import {
  auditGate,
  backtestGate,
  type EvidenceData,
  type GateContext,
  parityGate,
  riskGate,
  walkForwardGate,
} from "./_gates.ts";
import { sha256Hex } from "./_paths.ts";
import type { PromotionChecklist } from "./promotion_checklist.ts";
import { importStrategy } from "./save_strategy.ts";

/** Options of {@link evaluateGates}. */
export interface EvaluateGatesOptions {
  /** A registry name (`sma_cross`), the path of a saved strategy file (`strategies/x-<hash12>.js`), or a strategy object. */
  strategy: AnyStrategy | string;
  /** Params; strings are coerced as on the command line, missing ones take their defaults. */
  params?: Record<string, unknown>;
  /** The paper or live account to promote to. */
  account: string;
  /** `exchange:SYMBOL:timeframe` the account will trade. Default: `data`'s series when it is a stored one, else the backtest evidence's. */
  market?: string;
  /** Data the missing evidence is computed on (and the parity check replays). */
  data?: EvidenceData;
  /** Backtest options of the sleeve; the evidence must have used the same (its `cash` aside). Default: the defaults. */
  options?: BacktestOptionsInput;
  /** Data dir (accounts, audit logs, the store). Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
  /** Runs registry folder. Default `<dataDir>/_runs`. */
  runsDir?: string;
  /** Least days of data a backtest must span. Default 183 (6 months). */
  minDays?: number;
  /** Least walk-forward folds. Default 2. */
  minFolds?: number;
  /** Progress lines (what is being computed). */
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}

/** The checklist plus what a promotion needs to write its event. */
export interface Evaluation {
  checklist: PromotionChecklist;
  strategy: Strategy<any>;
  options: BacktestOptions;
  /** Market, symbol and timeframe the account will trade (undefined when no source named one). */
  market?: { text: string; symbol: string; timeframe: string };
  evidenceRunIds: string[];
  dataDir: string;
}

/** Resolves the strategy named or given. */
export async function strategyOf(s: AnyStrategy | string): Promise<Strategy<any>> {
  let strategy: AnyStrategy;
  if (typeof s === "string") {
    if (s.endsWith(".js")) strategy = await importStrategy(s, await sha256Hex(await Deno.readTextFile(s)));
    else if (registry.has(s)) strategy = registry.get(s);
    else {
      throw new RangeError(
        `unknown strategy ${JSON.stringify(s)}: use a built-in (${
          registry.list().map((x) => x.name).join(", ")
        }) or a saved strategy file (strategies/<name>-<hash12>.js)`,
      );
    }
  } else strategy = s;
  if (strategy === null || typeof strategy !== "object" || typeof strategy.name !== "string") {
    throw new TypeError(
      `strategy must be a registry name, a saved strategy file or a strategy object, got ${typeof s}`,
    );
  }
  if (isPortfolioStrategy(strategy)) {
    throw new TypeError(`${strategy.name} is a portfolio strategy: promotion runs single-asset strategies`);
  }
  return strategy as Strategy<any>;
}

/** Runs every gate in order and collects the checklist. */
export async function evaluate(o: EvaluateGatesOptions, resolved?: Strategy<any>): Promise<Evaluation> {
  if (o === null || typeof o !== "object") throw new TypeError("evaluateGates: pass an options object");
  if (typeof o.account !== "string" || o.account === "") {
    throw new TypeError(`evaluateGates: account must be an account name, got ${JSON.stringify(o.account)}`);
  }
  const strategy = resolved ?? await strategyOf(o.strategy);
  const codeHash = await strategyCodeHash(strategy);
  const params = parseParams(strategy, o.params ?? {}) as Record<string, unknown>;
  const options = parseBacktestOptions(o.options ?? {});
  const dataDir = resolveDataDir(o.dataDir);
  const runs = await RunRegistry.open({ dir: o.runsDir ?? join(dataDir, "_runs") });
  try {
    const ctx: GateContext = {
      strategy,
      codeHash,
      params,
      options,
      account: o.account,
      dataDir,
      runs,
      ...(o.data ? { data: o.data } : {}),
      minDays: o.minDays ?? 183,
      minFolds: o.minFolds ?? 2,
      progress: o.onProgress ?? (() => {}),
      ...(o.signal ? { signal: o.signal } : {}),
    };
    const bt = await backtestGate(ctx);
    const wf = await walkForwardGate(ctx);
    const risk = riskGate(ctx);
    const parity = await parityGate(ctx, bt.run);
    const audit = auditGate(ctx);
    const gates = [bt.gate, wf, risk.gate, parity, audit];
    const market = marketOf(o, bt.run?.series[0]);
    const checklist: PromotionChecklist = {
      strategy: strategy.name,
      codeHash,
      params,
      account: o.account,
      ...(market ? { market: market.text } : {}),
      gates,
      ok: gates.every((g) => g.ok),
    };
    const evidenceRunIds = [...new Set(gates.filter((g) => g.ok).flatMap((g) => g.runIds ?? []))];
    return { checklist, strategy, options, ...(market ? { market } : {}), evidenceRunIds, dataDir };
  } finally {
    await runs.close();
  }
}

function marketOf(
  o: EvaluateGatesOptions,
  evidenceSeries: string | undefined,
): { text: string; symbol: string; timeframe: string } | undefined {
  const candidates: (string | undefined)[] = [
    o.market,
    o.data ? (typeof o.data.series === "string" ? o.data.series : formatSeries(o.data.series)) : undefined,
    evidenceSeries,
  ];
  for (const [i, c] of candidates.entries()) {
    if (c === undefined) continue;
    const id = parseSeries(c); // a bad --market is the user's to fix: the RangeError names it
    if (i > 0 && id.exchange === "csv") continue; // a CSV file is evidence, not a market
    return { text: formatSeries(id), symbol: id.symbol, timeframe: id.timeframe };
  }
  return undefined;
}
