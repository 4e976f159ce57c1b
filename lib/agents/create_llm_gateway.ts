import type { Middleware } from "@anthropic-ai/sdk";
import { LlmConfigError } from "./llm_errors.ts";
import type { LlmCacheMode, LlmGateway, LlmRequest, LlmResponse } from "./llm_gateway.ts";
import type { LlmStore } from "./llm_store.ts";
import type { PriceTable } from "./price_table.ts";
import { requestHash } from "./request_hash.ts";
import { lazyClient, type LlmClientOptions, scrubKey } from "./_gateway_client.ts";
import { GatewayCore, linkCore, type LlmGatewayTotals } from "./_gateway_core.ts";
import { messageParams, rawOf, worstCaseUsd } from "./_gateway_wire.ts";

export type { LlmClientOptions } from "./_gateway_client.ts";
export type { LlmGatewayTotals } from "./_gateway_core.ts";

/** Options of {@link createLlmGateway}. */
export interface LlmGatewayOptions extends LlmClientOptions {
  /** `replay`: store only, a miss throws; `record`: store, else the API (stored); `live`: the API (stored). */
  mode: LlmCacheMode;
  /** The content-addressed store. */
  store: LlmStore;
  /** Price overrides by model id (from the agents config), over the built-in `priceTable`. */
  prices?: PriceTable;
  /** Hard cap on the USD this gateway spends on API calls (store hits are free). Default: none. */
  budgetUsd?: number;
}

/** The gateway {@link createLlmGateway} returns: {@link LlmGateway} plus its totals. */
export interface MeteredLlmGateway extends LlmGateway {
  /** The store it reads and writes. */
  readonly store: LlmStore;
  /** The hard cap, if any. */
  readonly budgetUsd: number | undefined;
  /** Usage and cost since creation. */
  totals(): LlmGatewayTotals;
}

/**
 * The model gateway over the real `@anthropic-ai/sdk`, through the content-addressed {@link LlmStore}:
 *
 * - `replay`: a stored answer (`fromStore: true`, `attempts: 0`), else `LlmReplayMissError`; never an HTTP request,
 *   no key needed.
 * - `record`: a stored answer, else one API call, stored. `live`: always the API, stored too (a known hash keeps
 *   its first answer; the returned record names the new one).
 * - The call: `messages.create` with the system prompt as a cached prefix (`cache_control: ephemeral`) and the
 *   request's JSON schema as `output_config.format`; the SDK retries 408/409/429/5xx (`maxRetries`, default 2) and
 *   `attempts` counts the HTTP attempts. An error after the retries is the SDK's `APIError` subclass, with the key
 *   scrubbed from its text. A refusal or a `max_tokens` cut-off is an answer (its `stopReason`), not an error.
 * - Budget: before a call, its worst case (input ~ characters / 4 priced as a cache write, output = `maxTokens`) is
 *   checked against `budgetUsd` minus what was spent and what calls in flight reserved; over it, `LlmBudgetError` and
 *   no call. An unknown model is an `LlmConfigError` before any call.
 * - Key: `apiKey`, else `anthropicKey()` (env `ANTHROPIC_API_KEY`, else the vault) on the first API call.
 *   `ANTHROPIC_BASE_URL` is honoured unless `baseURL` is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLlmGateway } from "./create_llm_gateway.ts";
 * import { LlmReplayMissError } from "./llm_errors.ts";
 * import { LlmStore } from "./llm_store.ts";
 * using store = LlmStore.open({ path: ":memory:" });
 * const request = {
 *   model: "claude-haiku-4-5", maxTokens: 256, system: "You are a risk officer.",
 *   messages: [{ role: "user" as const, content: "- close = 100 | last close | known 0 bars ago" }],
 *   outputSchema: { type: "object" }, templateVersion: "1",
 * };
 * const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 };
 * store.put({ request, usage, costUsd: 0.000035, response: {
 *   model: "claude-haiku-4-5", content: [{ type: "text", text: '{"action":"hold"}' }], stop_reason: "end_turn", usage: {},
 * } });
 * const gateway = createLlmGateway({ mode: "replay", store });
 * const answer = await gateway.complete(request);
 * assert.equal(answer.text, '{"action":"hold"}');
 * assert.equal(answer.call.fromStore, true);
 * await assert.rejects(gateway.complete({ ...request, templateVersion: "2" }), LlmReplayMissError);
 * assert.equal(gateway.totals().storeHits, 1);
 * ```
 */
export function createLlmGateway(options: LlmGatewayOptions): MeteredLlmGateway {
  const { mode, store, prices, budgetUsd } = options;
  if (mode !== "live" && mode !== "record" && mode !== "replay") {
    throw new LlmConfigError("bad_option", `--llm-cache ${JSON.stringify(mode)}: use live, record or replay`);
  }
  if (budgetUsd !== undefined && !(Number.isFinite(budgetUsd) && budgetUsd >= 0)) {
    throw new LlmConfigError("bad_option", `--llm-budget ${budgetUsd}: give a finite amount of USD, 0 or more`);
  }
  const core = new GatewayCore(mode, store, prices, budgetUsd, lazyClient(options));

  async function complete(req: LlmRequest, signal?: AbortSignal): Promise<LlmResponse> {
    const hash = requestHash(req);
    const stored = await core.lookupSoon(req, hash);
    if (stored !== undefined) return stored;
    const release = core.reserve(worstCaseUsd(req, prices));
    try {
      const { client } = await core.client.get();
      let attempts = 0;
      const count: Middleware = (request, next) => {
        attempts++;
        return next(request);
      };
      const message = await client.messages.create(messageParams(req), {
        middleware: [count],
        ...(signal === undefined ? {} : { signal }),
      });
      return core.answered(req, rawOf(message), attempts, false);
    } catch (e) {
      throw scrubKey(e, core.client.key());
    } finally {
      release();
    }
  }

  const gateway: MeteredLlmGateway = {
    mode,
    store,
    budgetUsd,
    complete,
    totals: () => core.totals(),
  };
  linkCore(gateway, core);
  return gateway;
}
