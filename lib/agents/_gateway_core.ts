import { canonicalJson } from "../types/mod.ts";
import { LlmBudgetError, LlmReplayMissError } from "./llm_errors.ts";
import type { LlmCacheMode, LlmRequest, LlmResponse } from "./llm_gateway.ts";
import type { LlmRawMessage, LlmStore, LlmStoreAnswer } from "./llm_store.ts";
import type { LlmUsage } from "./outcome.ts";
import { costUsd, type PriceTable } from "./price_table.ts";
import { requestHash } from "./request_hash.ts";
import type { LazyClient } from "./_gateway_client.ts";
import { sha256Hex } from "./_gateway_hash.ts";
import { textOf, usageOf } from "./_gateway_wire.ts";

/** Usage and cost totals of a gateway since it was created. */
export interface LlmGatewayTotals {
  /** Every answered request (store hits and API calls). */
  calls: number;
  /** Answers from the store (cost nothing now). */
  storeHits: number;
  /** Answers from the API (single calls and batch items). */
  apiCalls: number;
  /** Of `apiCalls`, those answered through Message Batches. */
  batchCalls: number;
  /** HTTP attempts of single API calls (retries included). */
  attempts: number;
  /** Token sums over every answered request. */
  usage: LlmUsage;
  /** The price of every answered request (what the run costs, or would cost unreplayed). */
  costUsd: number;
  /** Dollars spent now: API calls only. The budget caps this. */
  spentUsd: number;
  /** cacheRead / (cacheRead + cacheWrite + input) over `usage`; 0 before any input. */
  cacheHitRate: number;
}

/** The shared state of a gateway: store, pricing, budget and totals (batches reach it through {@link coreOf}). */
export class GatewayCore {
  readonly mode: LlmCacheMode;
  readonly store: LlmStore;
  readonly prices: PriceTable | undefined;
  readonly budgetUsd: number | undefined;
  readonly client: LazyClient;
  #reserved = 0;
  #t = {
    calls: 0,
    storeHits: 0,
    apiCalls: 0,
    batchCalls: 0,
    attempts: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    spentUsd: 0,
  };

  constructor(
    mode: LlmCacheMode,
    store: LlmStore,
    prices: PriceTable | undefined,
    budgetUsd: number | undefined,
    client: LazyClient,
  ) {
    this.mode = mode;
    this.store = store;
    this.prices = prices;
    this.budgetUsd = budgetUsd;
    this.client = client;
  }

  /** The stored answer for `req` when the mode reads the store; a replay miss throws. */
  lookup(req: LlmRequest, hash: string = requestHash(req)): LlmResponse | undefined {
    if (this.mode === "live") return undefined;
    const entry = this.store.answer(hash);
    if (entry !== undefined) return this.hit(entry);
    if (this.mode === "replay") throw new LlmReplayMissError(hash, req.model);
    return undefined;
  }

  /**
   * {@link lookup} for requests made together: the lookups asked in one synchronous run (a debate round's
   * `Promise.all` over its personas) are read in one store query at the next microtask, and each promise settles in
   * the order asked (so totals add up in a fixed order). A replay miss rejects its own promise only.
   */
  lookupSoon(req: LlmRequest, hash: string): Promise<LlmResponse | undefined> {
    if (this.mode === "live") return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.#pending.push({ req, hash, resolve, reject });
      if (this.#pending.length === 1) queueMicrotask(() => this.#flush());
    });
  }

  #pending: {
    req: LlmRequest;
    hash: string;
    resolve: (r: LlmResponse | undefined) => void;
    reject: (e: unknown) => void;
  }[] = [];

  #flush(): void {
    const batch = this.#pending;
    this.#pending = [];
    let found: Map<string, LlmStoreAnswer>;
    try {
      found = this.store.answers(batch.map((b) => b.hash));
    } catch (e) {
      for (const b of batch) b.reject(e);
      return;
    }
    for (const b of batch) {
      const entry = found.get(b.hash);
      if (entry !== undefined) b.resolve(this.hit(entry));
      else if (this.mode === "replay") b.reject(new LlmReplayMissError(b.hash, b.req.model));
      else b.resolve(undefined);
    }
  }

  /**
   * Reserves `estimateUsd` of the budget for a call about to be made (calls in flight count against it), or throws
   * {@link LlmBudgetError}. Returns the release to call when the call ends, whatever its outcome.
   */
  reserve(estimateUsd: number): () => void {
    if (this.budgetUsd !== undefined && this.#t.spentUsd + this.#reserved + estimateUsd > this.budgetUsd) {
      throw new LlmBudgetError(this.#t.spentUsd + this.#reserved, estimateUsd, this.budgetUsd);
    }
    this.#reserved += estimateUsd;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#reserved -= estimateUsd;
    };
  }

  /** Stores an API answer (a known hash keeps its first entry) and counts it as spent. */
  answered(req: LlmRequest, raw: LlmRawMessage, attempts: number, batch: boolean): LlmResponse {
    const usage = usageOf(raw);
    const cost = costUsd(req.model, usage, { ...(this.prices ? { prices: this.prices } : {}), batch });
    const { entry } = this.store.put({ request: req, response: raw, usage, costUsd: cost, batch });
    this.#count(usage, cost);
    this.#t.apiCalls++;
    if (batch) this.#t.batchCalls++;
    this.#t.attempts += attempts;
    this.#t.spentUsd += cost;
    return {
      stopReason: raw.stop_reason ?? "",
      text: textOf(raw),
      call: {
        requestHash: entry.requestHash,
        // Live mode may answer a stored hash anew: the record names this answer, not the stored one.
        responseHash: sha256Hex(canonicalJson(raw)),
        model: req.model,
        usage,
        costUsd: cost,
        fromStore: false,
        attempts,
      },
    };
  }

  totals(): LlmGatewayTotals {
    const t = this.#t;
    const denominator = t.cacheReadTokens + t.cacheWriteTokens + t.inputTokens;
    return {
      calls: t.calls,
      storeHits: t.storeHits,
      apiCalls: t.apiCalls,
      batchCalls: t.batchCalls,
      attempts: t.attempts,
      usage: {
        inputTokens: t.inputTokens,
        outputTokens: t.outputTokens,
        cacheReadTokens: t.cacheReadTokens,
        cacheWriteTokens: t.cacheWriteTokens,
      },
      costUsd: t.costUsd,
      spentUsd: t.spentUsd,
      cacheHitRate: denominator === 0 ? 0 : t.cacheReadTokens / denominator,
    };
  }

  hit(entry: LlmStoreAnswer): LlmResponse {
    this.#count(entry.usage, entry.costUsd);
    this.#t.storeHits++;
    return {
      stopReason: entry.stopReason,
      text: textOf(entry.response),
      call: {
        requestHash: entry.requestHash,
        responseHash: entry.responseHash,
        model: entry.model,
        usage: entry.usage,
        costUsd: entry.costUsd,
        fromStore: true,
        attempts: 0,
      },
    };
  }

  #count(u: LlmUsage, cost: number): void {
    const t = this.#t;
    t.calls++;
    t.inputTokens += u.inputTokens;
    t.outputTokens += u.outputTokens;
    t.cacheReadTokens += u.cacheReadTokens;
    t.cacheWriteTokens += u.cacheWriteTokens;
    t.costUsd += cost;
  }
}

const cores = new WeakMap<object, GatewayCore>();

/** Links a gateway object to its core. */
export function linkCore(gateway: object, core: GatewayCore): void {
  cores.set(gateway, core);
}

/** The core of a gateway made by `createLlmGateway`, or a TypeError naming the fix. */
export function coreOf(gateway: object): GatewayCore {
  const core = cores.get(gateway);
  if (core === undefined) {
    throw new TypeError("not a gateway made by createLlmGateway: pass the object createLlmGateway returned");
  }
  return core;
}
