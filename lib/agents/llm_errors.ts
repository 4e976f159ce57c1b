/**
 * A replay-mode request that the content-addressed store does not hold. Replay never calls the API, so a miss is an
 * error rather than a silent spend: record the run once (`--llm-cache record`), then replay it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LlmReplayMissError } from "./llm_errors.ts";
 * const e = new LlmReplayMissError("ab12", "claude-sonnet-4-5");
 * assert.match(e.message, /ab12.*claude-sonnet-4-5.*--llm-cache record/);
 * ```
 */
export class LlmReplayMissError extends Error {
  override name = "LlmReplayMissError";
  /** The request hash that was not found. */
  readonly requestHash: string;
  /** The request's model. */
  readonly model: string;

  constructor(requestHash: string, model: string) {
    super(
      `replay: the LLM store holds no answer for request ${requestHash} (model ${model}); replay never calls the ` +
        "API: run once with --llm-cache record to record it, then replay",
    );
    this.requestHash = requestHash;
    this.model = model;
  }
}

/**
 * The call (or batch) would take the dollars spent by this gateway past its hard budget, so it was not made. The
 * caller stops cleanly (the persona abstains with reason `budget`); raise `--llm-budget` to go on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LlmBudgetError } from "./llm_errors.ts";
 * const e = new LlmBudgetError(0.99, 0.02, 1);
 * assert.match(e.message, /spent \$0\.99.*\$0\.02.*\$1.*--llm-budget/);
 * ```
 */
export class LlmBudgetError extends Error {
  override name = "LlmBudgetError";
  /** Dollars spent on API calls so far (store hits are free). */
  readonly spentUsd: number;
  /** The worst-case price of the call that was refused. */
  readonly estimateUsd: number;
  /** The hard cap. */
  readonly budgetUsd: number;

  constructor(spentUsd: number, estimateUsd: number, budgetUsd: number) {
    super(
      `LLM budget reached: spent $${usd(spentUsd)}, the next call may cost up to $${usd(estimateUsd)}, budget ` +
        `$${usd(budgetUsd)}; the call was not made: raise --llm-budget (USD) to go on`,
    );
    this.spentUsd = spentUsd;
    this.estimateUsd = estimateUsd;
    this.budgetUsd = budgetUsd;
  }
}

/** What an {@link LlmConfigError} is about. */
export type LlmConfigErrorCode =
  /** No Anthropic API key in the environment nor in the vault. */
  | "missing_key"
  /** The model is not in the price table. */
  | "unknown_model"
  /** A bad option value (a negative budget, an empty model). */
  | "bad_option";

/**
 * A gateway setting the user must fix before any call is made: the message names the value (never a key) and the
 * fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LlmConfigError } from "./llm_errors.ts";
 * const e = new LlmConfigError("unknown_model", "no price for model x");
 * assert.equal(e.code, "unknown_model");
 * ```
 */
export class LlmConfigError extends Error {
  override name = "LlmConfigError";
  /** What to fix. */
  readonly code: LlmConfigErrorCode;

  constructor(code: LlmConfigErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Some requests of a Message Batch did not succeed (errored, expired or canceled). The ones that succeeded are stored
 * already, so running the batch again in `record` mode submits only the failed ones.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LlmBatchError } from "./llm_errors.ts";
 * const e = new LlmBatchError("msgbatch_1", [{ index: 2, requestHash: "ab", result: "expired", detail: "expired" }]);
 * assert.match(e.message, /1 of the requests of batch msgbatch_1/);
 * ```
 */
export class LlmBatchError extends Error {
  override name = "LlmBatchError";
  /** The batch id. */
  readonly batchId: string;
  /** The failed requests: index in the input, hash, result type and one line from the API. */
  readonly failures: readonly LlmBatchFailure[];

  constructor(batchId: string, failures: readonly LlmBatchFailure[]) {
    const first = failures[0];
    super(
      `${failures.length} of the requests of batch ${batchId} did not succeed (first: #${first?.index} ` +
        `${first?.result}: ${first?.detail}); the others are stored: run again with --llm-cache record to retry ` +
        "only these",
    );
    this.batchId = batchId;
    this.failures = failures;
  }
}

/** One request of a batch that did not succeed. */
export interface LlmBatchFailure {
  index: number;
  requestHash: string;
  result: "errored" | "expired" | "canceled";
  detail: string;
}

function usd(x: number): string {
  return x >= 1 ? x.toFixed(2) : x.toPrecision(2).replace(/0+$/, "").replace(/\.$/, "");
}
