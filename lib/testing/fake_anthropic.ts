import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { agentDecision, countInput, tokensOf } from "./_fake_anthropic_answer.ts";
import { agentAnswer, type FakeReply } from "./_fake_anthropic_replies.ts";
import { serveLoopback } from "./_serve_loopback.ts";

export {
  agentAnswer,
  cutOff,
  error,
  hang,
  json,
  malformed,
  refusal,
  schemaViolation,
  sequence,
  text,
} from "./_fake_anthropic_replies.ts";
export type {
  AgentAnswerOptions,
  ErrorReplyOptions,
  FakeAction,
  FakeReply,
  SequenceOptions,
  TextReplyOptions,
} from "./_fake_anthropic_replies.ts";

/** What a reply script sees of a request. */
export interface FakeAnthropicRequest {
  /** `/v1/messages`, `/v1/messages/count_tokens`, or `/v1/messages/batches` for one request of a batch. */
  path: string;
  /** The parsed JSON body (for a batch request: its `params`). */
  body: Record<string, unknown>;
  /** 0-based index of this request among requests to the same path (of a batch request: its index in the batch). */
  n: number;
  /** The SDK's `x-stainless-retry-count` (0 on the first attempt; 0 for batch requests). */
  attempt: number;
  /** A batch request's `custom_id`. */
  customId?: string;
}

/** One HTTP request the fake received; authentication headers are never kept. */
export interface FakeAnthropicSeen {
  method: string;
  path: string;
  /** The parsed JSON body, or null (GET, or a body that is not JSON). */
  body: Record<string, unknown> | null;
  /** Headers, lower-cased, without `authorization` and `x-api-key`. */
  headers: Record<string, string>;
  /** `x-stainless-retry-count` (0 when absent). */
  attempt: number;
  /** HTTP status answered (0 while a hang is still pending). */
  status: number;
  /** Wall-clock time the request arrived (epoch ms). */
  at: number;
}

/** Options of {@link FakeAnthropic.start}. */
export interface FakeAnthropicOptions {
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
  /** The reply to each scripted request. Default: {@link agentAnswer}() for every request. */
  reply?: (req: FakeAnthropicRequest) => FakeReply | Promise<FakeReply>;
  /** When set, a request whose key differs answers 401 (any key passes when unset; a missing key always fails). */
  apiKey?: string;
  /** How many batch retrieves answer `in_progress` before the batch has `ended`. Default 0: ended at once. */
  batchRetrievesInProgress?: number;
}

/** Thrown away when the fake closes while a hang waits. */
const CLOSED = Symbol("closed");

/**
 * A protocol-level fake of the Anthropic API on 127.0.0.1 that the real `@anthropic-ai/sdk` talks to (pass `url` as
 * the client's `baseURL`): the Messages API with structured output, `count_tokens`, Message Batches, the API's
 * error bodies with `retry-after` headers, and authentication. Replies are scripted per request with the builders
 * ({@link agentAnswer}, {@link text}, {@link json}, {@link refusal}, {@link cutOff}, {@link malformed},
 * {@link schemaViolation}, {@link error}, {@link hang}, {@link sequence}).
 *
 * The default answer is a valid, deterministic persona decision read off the request's JSON schema (factor and fact
 * enums) and its fact lines, so a backtest recorded against the fake replays identically. Tokens are counted as
 * ceil(chars / 4); a `system` (or message) block with `cache_control` makes the prefix up to it cached: counted in
 * `cache_creation_input_tokens` the first time, `cache_read_input_tokens` after, and not in `input_tokens`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import Anthropic from "@anthropic-ai/sdk";
 * import { FakeAnthropic, refusal } from "./fake_anthropic.ts";
 *
 * const fake = await FakeAnthropic.start({ reply: () => refusal() });
 * try {
 *   const client = new Anthropic({ baseURL: fake.url, apiKey: "test-key" });
 *   const msg = await client.messages.create({
 *     model: "claude-sonnet-4-5",
 *     max_tokens: 256,
 *     messages: [{ role: "user", content: "hello" }],
 *   });
 *   assert.equal(msg.stop_reason, "refusal");
 *   assert.equal(fake.calls("/v1/messages"), 1);
 * } finally {
 *   await fake.close();
 * }
 * ```
 */
export class FakeAnthropic {
  /** `http://127.0.0.1:<port>`, the SDK's `baseURL`. */
  readonly url: string;
  /** Every request seen, in arrival order. */
  readonly requests: FakeAnthropicSeen[];
  readonly #close: () => Promise<void>;

  private constructor(url: string, requests: FakeAnthropicSeen[], close: () => Promise<void>) {
    this.url = url;
    this.requests = requests;
    this.#close = close;
  }

  /** Starts the fake on 127.0.0.1 and resolves once it listens. */
  static async start(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
    const requests: FakeAnthropicSeen[] = [];
    const closing = new AbortController();
    const server = new Server(options, requests, closing.signal);
    const http = await serveLoopback((req) => server.handle(req), { port: options.port ?? 0, signal: closing.signal });
    server.url = http.url;
    return new FakeAnthropic(server.url, requests, async () => {
      closing.abort();
      await http.server.finished;
    });
  }

  /** How many requests were seen, to `path` only when given (`/v1/messages`). */
  calls(path?: string): number {
    return path === undefined ? this.requests.length : this.requests.filter((r) => r.path === path).length;
  }

  /** Stops the server; pending hangs end at once. */
  close(): Promise<void> {
    return this.#close();
  }
}

interface Batch {
  id: string;
  createdAt: string;
  retrieves: number;
  lines: string[];
  succeeded: number;
  errored: number;
}

class Server {
  url = "";
  readonly #options: FakeAnthropicOptions;
  readonly #requests: FakeAnthropicSeen[];
  readonly #closing: AbortSignal;
  readonly #perPath = new Map<string, number>();
  readonly #cached = new Set<string>();
  readonly #batches = new Map<string, Batch>();

  constructor(options: FakeAnthropicOptions, requests: FakeAnthropicSeen[], closing: AbortSignal) {
    this.#options = options;
    this.#requests = requests;
    this.#closing = closing;
  }

  async handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    const headers: Record<string, string> = {};
    for (const [k, v] of req.headers) if (k !== "authorization" && k !== "x-api-key") headers[k] = v;
    const attempt = Number(req.headers.get("x-stainless-retry-count") ?? 0) || 0;
    let body: Record<string, unknown> | null = null;
    if (req.method === "POST") {
      try {
        const parsed: unknown = JSON.parse(await req.text());
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
          body = parsed as Record<string, unknown>;
        }
      } catch {
        body = null;
      }
    }
    const seen: FakeAnthropicSeen = { method: req.method, path, body, headers, attempt, status: 0, at: Date.now() };
    this.#requests.push(seen);
    let res: Response;
    try {
      res = await this.#route(req, path, body, attempt);
    } catch (e) {
      if (e === CLOSED) res = apiError(503, "api_error", "fake Anthropic: closed while the answer was held");
      else throw e;
    }
    seen.status = res.status;
    return res;
  }

  async #route(req: Request, path: string, body: Record<string, unknown> | null, attempt: number): Promise<Response> {
    const auth = this.#auth(req);
    if (auth !== null) return auth;
    const n = this.#perPath.get(path) ?? 0;
    this.#perPath.set(path, n + 1);
    if (req.method === "POST" && (path === "/v1/messages" || path === "/v1/messages/count_tokens")) {
      if (body === null) {
        return apiError(400, "invalid_request_error", `fake Anthropic: the body of POST ${path} is not a JSON object`);
      }
      const reply = await this.#script({ path, body, n, attempt });
      return await this.#answer(reply, { path, body, n, attempt });
    }
    if (req.method === "POST" && path === "/v1/messages/batches") {
      if (body === null || !Array.isArray(body.requests)) {
        return apiError(
          400,
          "invalid_request_error",
          "fake Anthropic: a batch needs `requests: [{custom_id, params}]`",
        );
      }
      return Response.json(await this.#createBatch(body.requests));
    }
    const m = /^\/v1\/messages\/batches\/([^/]+)(\/results)?$/.exec(path);
    if (req.method === "GET" && m !== null) {
      const batch = this.#batches.get(m[1]!);
      if (batch === undefined) return apiError(404, "not_found_error", `fake Anthropic: no batch ${m[1]}`);
      if (m[2] !== undefined) {
        return new Response(batch.lines.map((l) => l + "\n").join(""), {
          headers: { "content-type": "application/binary" },
        });
      }
      batch.retrieves++;
      return Response.json(this.#batchJson(batch));
    }
    return apiError(404, "not_found_error", `fake Anthropic: no route ${req.method} ${path}`);
  }

  #auth(req: Request): Response | null {
    const bearer = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1];
    const key = bearer ?? req.headers.get("x-api-key") ?? undefined;
    // The message never carries the key, which a log could otherwise leak.
    if (key === undefined || key === "") {
      return apiError(401, "authentication_error", "x-api-key header is required (or authorization: Bearer <key>)");
    }
    if (this.#options.apiKey !== undefined && key !== this.#options.apiKey) {
      return apiError(401, "authentication_error", "invalid x-api-key");
    }
    return null;
  }

  async #script(req: FakeAnthropicRequest): Promise<FakeReply> {
    const reply = this.#options.reply === undefined ? agentAnswer() : await this.#options.reply(req);
    return this.#unfold(reply, req);
  }

  async #answer(reply: FakeReply, req: FakeAnthropicRequest): Promise<Response> {
    if (reply.kind === "sequence") return this.#answer(this.#unfold(reply, req), req);
    if (reply.kind === "hang") {
      await this.#sleep(reply.ms);
      return this.#answer(this.#unfold(reply.then, req), req);
    }
    if (reply.kind === "error") {
      const h: Record<string, string> = {};
      if (reply.retryAfter !== undefined) h["retry-after"] = String(reply.retryAfter);
      if (reply.retryAfterMs !== undefined) h["retry-after-ms"] = String(reply.retryAfterMs);
      if (reply.shouldRetry !== undefined) h["x-should-retry"] = String(reply.shouldRetry);
      return apiError(reply.status, reply.type, reply.message, h);
    }
    if (req.path === "/v1/messages/count_tokens") return Response.json({ input_tokens: countInput(req.body).tokens });
    return Response.json(this.#message(reply, req.body), { headers: { "request-id": `req_fake_${req.n}` } });
  }

  #unfold(reply: FakeReply, req: FakeAnthropicRequest): FakeReply {
    while (reply.kind === "sequence") {
      const i = reply.by === "attempt" ? req.attempt : req.n;
      reply = reply.replies[Math.min(i, reply.replies.length - 1)]!;
    }
    return reply;
  }

  /** A Messages API answer; also counts the prompt cache, so call it once per answered request. */
  #message(reply: FakeReply & { kind: "agent" | "text" }, body: Record<string, unknown>): Record<string, unknown> {
    let out: string;
    let stopReason: string;
    if (reply.kind === "text") {
      out = reply.text;
      stopReason = reply.stopReason;
    } else {
      const override = {
        ...(reply.action === undefined ? {} : { action: reply.action }),
        ...(reply.confidence === undefined ? {} : { confidence: reply.confidence }),
      };
      out = JSON.stringify(agentDecision(body, override));
      stopReason = "end_turn";
      if (reply.truncate === true) {
        out = out.slice(0, Math.floor(out.length / 2));
        stopReason = "max_tokens";
      }
    }
    // A text longer than max_tokens is cut off, as the model's would be.
    const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : Infinity;
    if (tokensOf(out.length) > maxTokens) {
      out = out.slice(0, maxTokens * 4);
      stopReason = "max_tokens";
    }
    const input = countInput(body);
    let creation = 0;
    let read = 0;
    // As the API does: a prefix shorter than the model's minimum is silently not cached (all of it is input).
    if (input.cacheKey !== null && input.cacheTokens < minCacheTokens(body.model)) {
      input.cacheKey = null;
      input.cacheTokens = 0;
    }
    if (input.cacheKey !== null) {
      if (this.#cached.has(input.cacheKey)) read = input.cacheTokens;
      else {
        this.#cached.add(input.cacheKey);
        creation = input.cacheTokens;
      }
    }
    const model = typeof body.model === "string" ? body.model : "claude-fake";
    return {
      id: `msg_fake_${bytesToHex(sha256(new TextEncoder().encode(JSON.stringify(body) + out))).slice(0, 24)}`,
      type: "message",
      role: "assistant",
      model,
      content: [{ type: "text", text: out }],
      stop_reason: stopReason,
      stop_sequence: null,
      usage: {
        input_tokens: input.tokens - input.cacheTokens,
        output_tokens: tokensOf(out.length),
        cache_creation_input_tokens: creation,
        cache_read_input_tokens: read,
      },
    };
  }

  async #createBatch(items: unknown[]): Promise<Record<string, unknown>> {
    const id = `msgbatch_fake_${this.#batches.size + 1}`;
    const batch: Batch = { id, createdAt: new Date().toISOString(), retrieves: 0, lines: [], succeeded: 0, errored: 0 };
    for (const [n, item] of items.entries()) {
      const it = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
      const customId = String(it.custom_id ?? `request-${n}`);
      const params = (typeof it.params === "object" && it.params !== null ? it.params : {}) as Record<
        string,
        unknown
      >;
      const req: FakeAnthropicRequest = { path: "/v1/messages/batches", body: params, n, attempt: 0, customId };
      let reply = this.#unfold(await this.#script(req), req);
      // A batch is answered offline: a hang only delays, so its final reply stands.
      while (reply.kind === "hang") reply = this.#unfold(reply.then, req);
      if (reply.kind === "error") {
        batch.errored++;
        batch.lines.push(JSON.stringify({
          custom_id: customId,
          result: { type: "errored", error: { type: "error", error: { type: reply.type, message: reply.message } } },
        }));
      } else if (reply.kind === "agent" || reply.kind === "text") {
        batch.succeeded++;
        batch.lines.push(
          JSON.stringify({ custom_id: customId, result: { type: "succeeded", message: this.#message(reply, params) } }),
        );
      }
    }
    this.#batches.set(id, batch);
    return this.#batchJson(batch);
  }

  #batchJson(b: Batch): Record<string, unknown> {
    const ended = b.retrieves > (this.#options.batchRetrievesInProgress ?? 0) ||
      (this.#options.batchRetrievesInProgress ?? 0) === 0;
    const total = b.succeeded + b.errored;
    return {
      id: b.id,
      type: "message_batch",
      processing_status: ended ? "ended" : "in_progress",
      request_counts: {
        processing: ended ? 0 : total,
        succeeded: ended ? b.succeeded : 0,
        errored: ended ? b.errored : 0,
        canceled: 0,
        expired: 0,
      },
      created_at: b.createdAt,
      ended_at: ended ? b.createdAt : null,
      expires_at: new Date(Date.parse(b.createdAt) + 86_400_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: ended ? `${this.url}/v1/messages/batches/${b.id}/results` : null,
    };
  }

  /**
   * Waits `ms`, or until the fake closes. A client that gave up is not noticed (Deno's request signal also fires on
   * answered requests), so a hang holds its connection until it ends or `close()`.
   */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const gone = (): void => {
        clearTimeout(timer);
        reject(CLOSED);
      };
      const timer = setTimeout(() => {
        this.#closing.removeEventListener("abort", gone);
        resolve();
      }, ms);
      if (this.#closing.aborted) return gone();
      this.#closing.addEventListener("abort", gone, { once: true });
    });
  }
}

/** The API's error answer. */
function apiError(status: number, type: string, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ type: "error", error: { type, message } }, { status, headers });
}

/**
 * The shortest prefix the API caches, in tokens (Anthropic's prompt-caching docs): 4,096 on Claude Haiku 4.5 and
 * Opus 4.5/4.6, 2,048 on Haiku 3 and 3.5, 1,024 on the others (Sonnet 4.x, Opus 4/4.1, 3.7).
 */
export function minCacheTokens(model: unknown): number {
  if (typeof model !== "string") return 1_024;
  if (/haiku-4|opus-4-[56]/.test(model)) return 4_096;
  if (/haiku/.test(model)) return 2_048;
  return 1_024;
}
