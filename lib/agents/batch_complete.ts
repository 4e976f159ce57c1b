import type { MeteredLlmGateway } from "./create_llm_gateway.ts";
import { LlmBatchError, type LlmBatchFailure } from "./llm_errors.ts";
import type { LlmRequest, LlmResponse } from "./llm_gateway.ts";
import { requestHash } from "./request_hash.ts";
import { scrubKey } from "./_gateway_client.ts";
import { coreOf } from "./_gateway_core.ts";
import { messageParams, rawOf, worstCaseUsd } from "./_gateway_wire.ts";

/** Options of {@link batchComplete}. */
export interface BatchCompleteOptions {
  /** Wait between status polls, ms. Default 10,000 (batches take minutes to hours). */
  pollIntervalMs?: number;
  /** Give up waiting after this long, ms (the batch keeps running at the API; record mode picks it up next time only if resubmitted). Default 24 h, the API's own limit. */
  maxWaitMs?: number;
  /** Stops the polling. */
  signal?: AbortSignal;
}

/**
 * Answers many requests through the Message Batches API at half price, in the gateway's mode and store: stored
 * answers are used (replay: a miss throws `LlmReplayMissError` before anything is sent), the rest (all of them in
 * `live` mode; duplicates once) go as one batch whose worst case is checked against the gateway's budget first. It
 * polls until the batch has ended, stores every succeeded result (priced with the batch discount) and returns the
 * answers in the order of `requests`. Requests that errored, expired or were canceled raise {@link LlmBatchError}
 * after the others are stored. For calls that do not depend on each other's answers only (not debate rounds).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchComplete } from "./batch_complete.ts";
 * import { createLlmGateway } from "./create_llm_gateway.ts";
 * import { LlmStore } from "./llm_store.ts";
 * using store = LlmStore.open({ path: ":memory:" });
 * const gateway = createLlmGateway({ mode: "replay", store });
 * assert.deepEqual(await batchComplete(gateway, []), []);
 * ```
 */
export async function batchComplete(
  gateway: MeteredLlmGateway,
  requests: readonly LlmRequest[],
  options: BatchCompleteOptions = {},
): Promise<LlmResponse[]> {
  const core = coreOf(gateway);
  const out = new Array<LlmResponse | undefined>(requests.length);
  const hashes = requests.map((r) => requestHash(r));
  const pending = new Map<string, { req: LlmRequest; indices: number[] }>();
  for (let i = 0; i < requests.length; i++) {
    const req = requests[i]!, hash = hashes[i]!;
    const waiting = pending.get(hash);
    if (waiting) {
      waiting.indices.push(i);
      continue;
    }
    const stored = core.lookup(req, hash);
    if (stored !== undefined) out[i] = stored;
    else pending.set(hash, { req, indices: [i] });
  }
  if (pending.size === 0) return out as LlmResponse[];

  let estimate = 0;
  for (const { req } of pending.values()) estimate += worstCaseUsd(req, core.prices, true);
  const release = core.reserve(estimate);
  const failures: LlmBatchFailure[] = [];
  let batchId = "";
  try {
    const { client } = await core.client.get();
    const signalOpt = options.signal === undefined ? {} : { signal: options.signal };
    let batch = await client.messages.batches.create({
      requests: [...pending].map(([hash, { req }]) => ({ custom_id: hash, params: messageParams(req) })),
    }, signalOpt);
    batchId = batch.id;
    const deadline = Date.now() + (options.maxWaitMs ?? 86_400_000);
    while (batch.processing_status !== "ended") {
      if (Date.now() > deadline) {
        throw new RangeError(
          `batch ${batch.id} still ${batch.processing_status} after ${options.maxWaitMs} ms: raise maxWaitMs`,
        );
      }
      await sleep(options.pollIntervalMs ?? 10_000, options.signal);
      batch = await client.messages.batches.retrieve(batch.id, {}, signalOpt);
    }
    const seen = new Set<string>();
    for await (const item of await client.messages.batches.results(batch.id, {}, signalOpt)) {
      const p = pending.get(item.custom_id);
      if (p === undefined || seen.has(item.custom_id)) continue;
      seen.add(item.custom_id);
      const r = item.result;
      if (r.type === "succeeded") {
        const [first, ...rest] = p.indices;
        out[first!] = core.answered(p.req, rawOf(r.message), 1, true);
        // A request listed twice was sent once: its other places read the answer just stored.
        for (const i of rest) out[i] = core.hit(core.store.get(item.custom_id)!);
      } else {
        const detail = r.type === "errored" ? `${r.error.error.type}: ${r.error.error.message}` : r.type;
        for (const i of p.indices) failures.push({ index: i, requestHash: item.custom_id, result: r.type, detail });
      }
    }
    for (const [hash, p] of pending) {
      if (!seen.has(hash)) {
        for (const i of p.indices) {
          failures.push({ index: i, requestHash: hash, result: "expired", detail: "no result in the batch" });
        }
      }
    }
  } catch (e) {
    throw scrubKey(e, core.client.key());
  } finally {
    release();
  }
  if (failures.length > 0) throw new LlmBatchError(batchId, failures.sort((a, b) => a.index - b.index));
  return out as LlmResponse[];
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
